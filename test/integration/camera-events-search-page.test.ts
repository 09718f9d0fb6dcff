import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { snapshotKey } from "~/domain/camera-events";
import { MAX_QUERY_CHARS } from "~/domain/event-search";
import { appFetch } from "../helpers/app";
import { HOUR, insertEvent, ownedCamera } from "../helpers/events";

// /account/search: the GET form works without JavaScript (the URL is the search), results show
// the snapshot, description, time, camera and a link to the moment; empty pages say why.

const page = async (cookie: string, query = "") => {
  const res = await appFetch(`/account/search${query ? `?${query}` : ""}`, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
};

describe("the search page", () => {
  it("shows results newest first with picture, description, time (UTC), camera and a link that plays the moment", async () => {
    const { cookie, device } = await ownedCamera("page-pkg@example.com", { ownedForDays: 30, plan: "standard" });
    const at = Date.now() - 2 * HOUR;
    const older = await insertEvent(device.id, { at: at - HOUR, description: "A courier leaves a parcel at the door", snapshot: "ready" });
    await env.EVENT_SNAPSHOTS.put(snapshotKey(device.id, older), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await insertEvent(device.id, { at, description: "A parcel is left at the door" });

    const r = await page(cookie, "q=package");
    expect(r.status).toBe(200);
    expect(r.html).toContain('role="search"');
    expect(r.html).toContain('method="get"');
    const iNewer = r.html.indexOf("A parcel is left at the door");
    const iOlder = r.html.indexOf("A courier leaves a parcel at the door");
    expect(iNewer).toBeGreaterThan(0);
    expect(iOlder).toBeGreaterThan(iNewer);
    expect(r.html).toContain(`src="/api/events/${older}/thumbnail"`);
    expect(r.html).toContain(`href="/account/devices/${device.id}?at=${encodeURIComponent(new Date(at).toISOString())}"`);
    expect(r.html).toContain(`dateTime="${new Date(at).toISOString()}"`);
    const shown = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(at));
    expect(r.html).toContain(shown);
    expect(r.html).toContain("NEXA Prime 4K");
  });

  it("a camera without Smart search: the upgrade prompt, and a search says why with a link to the plans", async () => {
    const { cookie } = await ownedCamera("page-trial@example.com", { ownedForDays: 1 });
    const blank = await page(cookie);
    expect(blank.status).toBe(200);
    expect(blank.html).toContain('data-testid="search-upgrade"');
    expect(blank.html).toContain('href="/account/services"');
    const asked = await page(cookie, "q=package");
    expect(asked.html).toContain("Smart search is part of every paid cloud plan, from Starter up");
  });

  it("empty pages say why; a bad query is shown on the form, not a 500", async () => {
    const { cookie, device } = await ownedCamera("page-empty@example.com", { ownedForDays: 30, plan: "starter" });
    await insertEvent(device.id, { at: Date.now() - HOUR });
    expect((await page(cookie, "q=unicorn")).html).toContain('data-reason="no_match"');
    const outside = await page(cookie, `q=${encodeURIComponent("package 3 days ago")}`);
    expect(outside.html).toContain('data-reason="outside_window"');
    expect(outside.html).toContain("outside what your plans keep");
    const long = await page(cookie, `q=${"x".repeat(MAX_QUERY_CHARS + 1)}`);
    expect(long.status).toBe(200);
    expect(long.html).toContain('id="q-error"');
    expect((await page(cookie, "q=package&cursor=nope")).html).toContain("Start the search again");
  });

  it("signed out: to the sign-in page", async () => {
    const res = await appFetch("/account/search?q=package", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toContain("/login");
  });
});

describe("today on the device page", () => {
  it("a paid camera: the day's brief and its newest events, each linking to its moment; the trial: events and the upgrade line", async () => {
    const { cookie, device } = await ownedCamera("page-today@example.com", { ownedForDays: 30, plan: "standard" });
    const midnight = new Date(new Date().toISOString().slice(0, 10)).getTime();
    const at = Math.max(midnight, Date.now() - 10 * 60_000);
    await insertEvent(device.id, { at, description: "A courier leaves a parcel at the door" });
    const html = await (await appFetch(`/account/devices/${device.id}`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain('data-testid="camera-today"');
    expect(html).toMatch(/data-testid="camera-brief">Today: a parcel at \d\d:\d\d\.</);
    expect(html).toContain("A courier leaves a parcel at the door");
    expect(html).toContain(`href="/account/devices/${device.id}?at=${encodeURIComponent(new Date(at).toISOString())}"`);

    const trial = await ownedCamera("page-today-trial@example.com", { ownedForDays: 1 });
    await insertEvent(trial.device.id, { at, type: "person", labels: "person" });
    const t = await (await appFetch(`/account/devices/${trial.device.id}`, { headers: { Cookie: trial.cookie } })).text();
    expect(t).toContain("Descriptions, a daily brief and Smart search come with every paid cloud plan.");
    expect(t).not.toContain('data-testid="camera-brief"');
    expect(t).toContain('data-testid="camera-events"');
  });
});
