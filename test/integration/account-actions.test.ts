// The devices page's actions people must be able to trust (ADR 030): removing a camera takes a
// confirmation step (the first submit changes nothing), a non-owner's confirmed removal changes
// nothing, a successful form starts clean while a refused one keeps what was typed, the transfer
// offer shows the whole link, and the accept panel goes once the transfer is accepted.
import { describe, expect, it } from "vitest";
import { appFetch, shownMarkup } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";

let ip = 0;
function pageForm(cookie: string, fields: Record<string, string>, path = "/account/devices?index") {
  return appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `10.30.${Math.floor(++ip / 250)}.${ip % 250}` },
    body: new URLSearchParams(fields).toString(),
  });
}
// What the page shows: without its scripts, which carry the whole served catalogue (ADR 028), so an
// English sentence is always somewhere in the HTML; "not shown" is about the markup.
const shown = shownMarkup;
const owns = async (cookie: string, deviceId: string) => (await appFetch(`/api/devices/${deviceId}`, { headers: { Cookie: cookie } })).status === 200;

describe("removing a camera from the devices page", () => {
  it("the first submit only asks; the confirmed one removes it", async () => {
    const a = await signIn("ux-unbind@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);

    const ask = await pageForm(a, { intent: "unbind", deviceId: d.id });
    expect(ask.status).toBe(200);
    const asked = await ask.text();
    expect(asked).toContain(`Yes, remove ${d.serial}`);
    expect(asked).toContain('name="confirm" value="yes"');
    expect(await owns(a, d.id)).toBe(true);

    const done = await pageForm(a, { intent: "unbind", deviceId: d.id, confirm: "yes" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("The camera was removed from your account");
    expect(await owns(a, d.id)).toBe(false);
  });

  it("someone else's confirmed removal is refused and changes nothing", async () => {
    const [a, mallory] = [await signIn("ux-unbind-owner@example.com"), await signIn("ux-unbind-mallory@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const res = await pageForm(mallory, { intent: "unbind", deviceId: d.id, confirm: "yes" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(shown(html)).not.toContain("The camera was removed");
    expect(html).toContain("notice--error");
    expect(await owns(a, d.id)).toBe(true);
  });

  it("a confirm value other than yes is a field problem in plain words, and removes nothing", async () => {
    const a = await signIn("ux-unbind-odd@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const res = await pageForm(a, { intent: "unbind", deviceId: d.id, confirm: "sure" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Please check the form");
    expect(await owns(a, d.id)).toBe(true);
  });
});

describe("the activation form", () => {
  it("keeps what was typed after a refusal and starts clean after a success", async () => {
    const a = await signIn("ux-activate@example.com");
    const d = await provisionTestDevice();
    const refused = await (await pageForm(a, { intent: "activate", serial: d.serial, activationCode: "NOPE-0000" })).text();
    expect(refused).toMatch(new RegExp(`name="serial"[^>]*value="${d.serial}"`));
    const ok = await (await pageForm(a, { intent: "activate", serial: d.serial, activationCode: d.code })).text();
    expect(ok).toContain("activated");
    expect(ok).not.toMatch(new RegExp(`name="serial"[^>]*value="${d.serial}"`));
    expect(ok).not.toMatch(/name="activationCode"[^>]*value="/);
  });
});

describe("transfers on the devices page", () => {
  it("the offer shows the whole link, read-only, to copy; the accept panel goes once accepted", async () => {
    const [a, b] = [await signIn("ux-offer-a@example.com"), await signIn("ux-offer-b@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const offered = await (await pageForm(a, { intent: "offer-transfer", deviceId: d.id, toEmail: "ux-offer-b@example.com" })).text();
    const link = offered.match(
      /readOnly=""[^>]*value="([^"]+)"|value="([^"]+)"[^>]*readOnly=""|readonly=""[^>]*value="([^"]+)"|value="(http[^"]+transfer=[^"]+)"/,
    );
    expect(link).not.toBeNull();
    const href = (link!.slice(1).find(Boolean) ?? "").replace(/&amp;/g, "&");
    expect(href).toMatch(/^http:\/\/localhost:8787\/account\/devices\?transfer=[A-Za-z0-9_-]{43}$/);
    expect(offered).toContain('data-testid="copy-link"');

    const token = new URL(href).searchParams.get("transfer")!;
    const panel = await (await appFetch(`/account/devices?transfer=${token}`, { headers: { Cookie: b } })).text();
    expect(panel).toContain("Accept a camera transfer");
    const accepted = await (await pageForm(b, { intent: "accept-transfer", token }, `/account/devices?index&transfer=${token}`)).text();
    expect(accepted).toContain("The camera is now on your account");
    expect(shown(accepted)).not.toContain("Accept a camera transfer");
    expect(await owns(b, d.id)).toBe(true);
  });
});

describe("the camera's story on its page", () => {
  it("tells the owner's own history only: a new owner never sees the previous owner's trial or offer", async () => {
    const [a, b] = [await signIn("ux-story-a@example.com"), await signIn("ux-story-b@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const mine = await (await appFetch(`/account/devices/${d.id}`, { headers: { Cookie: a } })).text();
    expect(mine).toContain('data-testid="device-story"');
    expect(mine).toContain("Free 30-day cloud trial started");
    const offer = (await (await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: "ux-story-b@example.com" })).json()) as { token: string };
    expect((await postJson(b, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
    const theirs = await (await appFetch(`/account/devices/${d.id}`, { headers: { Cookie: b } })).text();
    expect(theirs).toContain("Transfer accepted");
    expect(shown(theirs)).not.toContain("Free 30-day cloud trial started");
    expect(shown(theirs)).not.toContain("Transfer offered");
    // And the previous owner can't open the page any more.
    expect((await appFetch(`/account/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(404);
  });
});

describe("the camera's story is that camera's", () => {
  it("an owner of two cameras sees on each page only that camera's events", async () => {
    const a = await signIn("ux-story-two@example.com");
    const [d1, d2] = [await provisionTestDevice(), await provisionTestDevice()];
    await activate(a, d1.serial, d1.code);
    await activate(a, d2.serial, d2.code);
    expect((await postJson(a, `/api/devices/${d2.id}/transfers`, { toEmail: "ux-story-friend@example.com" })).status).toBe(201);
    const story = (html: string) => shown(html).slice(shown(html).indexOf('data-testid="device-story"'));
    const first = await (await appFetch(`/account/devices/${d1.id}`, { headers: { Cookie: a } })).text();
    const second = await (await appFetch(`/account/devices/${d2.id}`, { headers: { Cookie: a } })).text();
    expect(story(first)).toContain("Free 30-day cloud trial started");
    expect(story(first)).not.toContain("Transfer offered");
    expect(story(second)).toContain("Transfer offered");
  });
});

describe("form replies never show zod's own words", () => {
  it("a 61-character camera name (the limit is 40) is refused in a sentence a person wrote", async () => {
    const a = await signIn("ux-zod@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const res = await pageForm(a, { intent: "rename", name: "x".repeat(61) }, `/account/devices/${d.id}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toMatch(/Too big|Too small|expected string|Invalid input/);
    expect(html).toContain("A camera name has at most 40 characters.");
    // And the JSON API says the same.
    const api = await postJson(a, `/api/devices/${d.id}/name`, { name: "x".repeat(61) });
    expect(JSON.stringify(await api.json())).not.toMatch(/Too big|expected string/);
  });
});
