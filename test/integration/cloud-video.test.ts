import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applySubscription } from "~/models/billing/subscription-sync.server";
import { depsFor } from "~/models/deps.server";
import { appFetch } from "../helpers/app";
import { standinControl } from "../helpers/standins";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";

// Cloud video routes against the AWS stand-in, through the real Worker. That the stand-in refuses
// a bad SigV4 signature (and that our client's signatures pass) is covered in
// test/standins/aws.test.ts ("SigV4 verification"); every 200 from GetClip below also proves it.

type Json = Record<string, any>;
const AWS = env.TEST_STANDIN_URLS.aws;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const control = (path: string, body: unknown) => standinControl(AWS, path, body);

/** A provisioned device activated by `email` (trial granted), with its own stream and channel in the stand-in. */
async function ownedCamera(email: string, opts: { ownedForDays?: number } = {}) {
  const cookie = await signIn(email);
  const userId = await userIdOf(cookie);
  const d = await provisionTestDevice({ iccid: null });
  await control("streams", { streams: [{ name: d.aovisId, retentionHours: 720 }] });
  const channel = await fetchChannelArn(d.aovisId);
  await env.DB.prepare("UPDATE devices SET webrtc_channel_arn = ?1 WHERE id = ?2").bind(channel, d.id).run();
  expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
  if (opts.ownedForDays) {
    // An owner since some days ago (the ownership row is the only thing the window reads).
    await env.DB.prepare("UPDATE device_ownerships SET started_at = ?1 WHERE device_id = ?2 AND status = 'active'")
      .bind(Date.now() - opts.ownedForDays * DAY, d.id)
      .run();
  }
  return { cookie, userId, device: d };
}

/** Creates the device's signaling channel through our own client (the stand-in names ARNs itself). */
async function fetchChannelArn(name: string): Promise<string> {
  const { kvsClientFromConfig } = await import("~/lib/kvs.server");
  const { getConfig } = await import("~/lib/config.server");
  return (await kvsClientFromConfig(getConfig(env)).createSignalingChannel({ name })).channelArn;
}

/** A Standard subscription applied through the real billing code (as the webhook would). */
async function subscribeStandard(userId: string, deviceId: string) {
  const nowSec = Math.floor(Date.now() / 1000);
  const result = await applySubscription(
    depsFor(env),
    {
      id: `sub_cv_${crypto.randomUUID().replace(/-/g, "")}`,
      status: "active",
      customer: null,
      metadata: { user_id: userId, device_id: deviceId, plan_code: "standard" },
      items: { data: [{ price: env.STRIPE_PRICE_CLOUD_STANDARD, current_period_start: nowSec - 86400, current_period_end: nowSec + 29 * 86400 }] },
    },
    { eventType: "test.cloud_video" },
  );
  expect(result).toMatchObject({ outcome: "applied" });
}

const clip = (cookie: string, deviceId: string, start: number | string, end: number | string) =>
  appFetch(`/api/devices/${deviceId}/clip?start=${encodeURIComponent(String(start))}&end=${encodeURIComponent(String(end))}`, { headers: { Cookie: cookie } });

describe("clip: the entitlement window", () => {
  it("trial user asking for a 2-day-old clip → 403 time_range_exceeds_entitlement with the window; within the last day → video/mp4", async () => {
    const { cookie, device } = await ownedCamera("cv-trial@example.com", { ownedForDays: 10 });
    const now = Date.now();
    const old = await clip(cookie, device.id, iso(now - 2 * DAY), iso(now - 2 * DAY + HOUR));
    expect(old.status).toBe(403);
    const body = (await old.json()) as Json;
    expect(body).toMatchObject({ error: "time_range_exceeds_entitlement", reason: "plan_limit" });
    expect(Date.parse(body.window.start)).toBeGreaterThan(now - DAY - 60_000);
    expect(Date.parse(body.window.start)).toBeLessThanOrEqual(now - DAY + 60_000);
    expect(Date.parse(body.window.end)).toBeGreaterThanOrEqual(now - 60_000);

    // Epoch milliseconds work too.
    const recent = await clip(cookie, device.id, now - 2 * HOUR, now - HOUR);
    expect(recent.status).toBe(200);
    expect(recent.headers.get("Content-Type")).toBe("video/mp4");
    const bytes = new Uint8Array(await recent.arrayBuffer());
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe("ftyp");
  });

  it("Standard user (through the billing code) passes the gate for a 3-day-old clip and gets the MP4 from KVS; 8 days back is refused", async () => {
    const { cookie, userId, device } = await ownedCamera("cv-standard@example.com", { ownedForDays: 30 });
    await subscribeStandard(userId, device.id);
    const now = Date.now();
    const res = await clip(cookie, device.id, iso(now - 3 * DAY), iso(now - 3 * DAY + 30 * 60_000));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("video/mp4");
    expect(res.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="aovis-${device.serial}-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z\\.mp4"$`));
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(100);
    const stats = (await (await fetch(`${AWS}/__standin/stats?name=${device.aovisId}`)).json()) as Json;
    expect(stats.calls.GetClip).toBe(1);

    const tooOld = await clip(cookie, device.id, iso(now - 8 * DAY), iso(now - 8 * DAY + HOUR));
    expect(tooOld.status).toBe(403);
    expect(((await tooOld.json()) as Json).reason).toBe("plan_limit");
  });

  it("window first, then the 24 h cap (400 range_too_long with the parts); junk times → 400", async () => {
    const { cookie, userId, device } = await ownedCamera("cv-cap@example.com", { ownedForDays: 30 });
    await subscribeStandard(userId, device.id);
    const now = Date.now();
    // Outside the window AND too long: the window answers.
    expect((await clip(cookie, device.id, now - 9 * DAY, now - 7.5 * DAY)).status).toBe(403);
    const long = await clip(cookie, device.id, now - 5 * DAY, now - 5 * DAY + 30 * HOUR);
    expect(long.status).toBe(400);
    const body = (await long.json()) as Json;
    expect(body).toMatchObject({ error: "range_too_long", maxSeconds: 86400 });
    expect(body.parts).toHaveLength(2);
    expect(body.parts[0]).toEqual({ start: iso(now - 5 * DAY), end: iso(now - 4 * DAY) });
    expect((await clip(cookie, device.id, "yesterday", "today")).status).toBe(400);
    expect(((await (await clip(cookie, device.id, now - HOUR, now - 2 * HOUR)).json()) as Json).error).toBe("invalid_range");
    const stats = (await (await fetch(`${AWS}/__standin/stats?name=${device.aovisId}`)).json()) as Json;
    expect(stats.calls.GetClip).toBeUndefined(); // nothing refused reached AWS
  });

  it("no entitlement → 403 no_cloud_entitlement for clips and on-demand HLS, but live view and live HLS still work", async () => {
    const { cookie, device } = await ownedCamera("cv-none@example.com", { ownedForDays: 3 });
    await env.DB.prepare("UPDATE entitlements SET status = 'EXPIRED' WHERE device_id = ?1").bind(device.id).run();
    const now = Date.now();
    const c = await clip(cookie, device.id, now - 2 * HOUR, now - HOUR);
    expect(c.status).toBe(403);
    expect(((await c.json()) as Json).error).toBe("no_cloud_entitlement");
    const od = await appFetch(`/api/devices/${device.id}/stream?start=${now - 2 * HOUR}&end=${now - HOUR}`, { headers: { Cookie: cookie } });
    expect(od.status).toBe(403);

    const live = await appFetch(`/api/devices/${device.id}/live`, { headers: { Cookie: cookie } });
    expect(live.status).toBe(200);
    const cfg = (await live.json()) as Json;
    expect(cfg).toMatchObject({ role: "VIEWER", region: "us-east-1" });
    expect(cfg.endpoints.wss).toMatch(/^ws:\/\//);
    expect(cfg.endpoints.https).toMatch(/^http:\/\//);
    expect(cfg.iceServers.length).toBeGreaterThanOrEqual(2);
    expect(cfg.iceServers[1]).toMatchObject({
      urls: expect.arrayContaining([expect.stringMatching(/^turn:/)]),
      username: expect.any(String),
      credential: expect.any(String),
    });
    const signed = new URL(cfg.signedViewerUrl);
    expect(signed.searchParams.get("X-Amz-ChannelARN")).toBe(cfg.channelArn);
    expect(signed.searchParams.get("X-Amz-Credential")).toMatch(/^AKIDLOCALSTANDIN\/\d{8}\/us-east-1\/kinesisvideo\/aws4_request$/);
    expect(signed.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(cfg)).not.toContain(env.AWS_SECRET_ACCESS_KEY);

    const liveHls = await appFetch(`/api/devices/${device.id}/stream?mode=live`, { headers: { Cookie: cookie } });
    expect(liveHls.status).toBe(200);
    const hls = (await liveHls.json()) as Json;
    expect(hls.mode).toBe("live");
    expect(hls.url).toContain("getHLSMasterPlaylist.m3u8?SessionToken=");
  });

  it("on-demand HLS inside the window → a session URL for exactly that range; outside → 403", async () => {
    const { cookie, device } = await ownedCamera("cv-hls@example.com", { ownedForDays: 5 });
    const now = Date.now();
    const ok = await appFetch(`/api/devices/${device.id}/stream?start=${iso(now - 3 * HOUR)}&end=${iso(now - 2 * HOUR)}`, { headers: { Cookie: cookie } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Json;
    expect(body).toMatchObject({ mode: "on_demand", range: { start: iso(now - 3 * HOUR), end: iso(now - 2 * HOUR) } });
    const playlist = await fetch(body.url);
    expect(playlist.status).toBe(200);
    // Decoded by hand: workerd warns on .text() for a Content-Type it doesn't know as text (HLS).
    expect(new TextDecoder().decode(await playlist.arrayBuffer())).toContain("#EXTM3U");
    const out = await appFetch(`/api/devices/${device.id}/stream?start=${now - 2 * DAY}&end=${now - 2 * DAY + HOUR}`, { headers: { Cookie: cookie } });
    expect(out.status).toBe(403);
    expect(((await out.json()) as Json).error).toBe("time_range_exceeds_entitlement");
  });
});

describe("privacy: ownership", () => {
  it("after a transfer the new owner can't see footage from before it (403 before_ownership), and the old owner gets 404", async () => {
    const alice = await ownedCamera("cv-alice@example.com", { ownedForDays: 20 });
    const bob = await signIn("cv-bob@example.com");
    const offer = (await (await postJson(alice.cookie, `/api/devices/${alice.device.id}/transfers`, { toEmail: "cv-bob@example.com" })).json()) as Json;
    expect((await postJson(bob, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
    const transferredAt = Date.now();
    await subscribeStandard(await userIdOf(bob), alice.device.id);

    const before = await clip(bob, alice.device.id, transferredAt - 2 * HOUR, transferredAt - HOUR);
    expect(before.status).toBe(403);
    const body = (await before.json()) as Json;
    expect(body).toMatchObject({ error: "time_range_exceeds_entitlement", reason: "before_ownership" });
    expect(Date.parse(body.window.start)).toBeGreaterThanOrEqual(transferredAt - 60_000);
    // Straddling the transfer is refused too.
    expect((await clip(bob, alice.device.id, transferredAt - HOUR, Date.now())).status).toBe(403);

    for (const path of ["clip?start=" + (transferredAt - 2 * HOUR) + "&end=" + (transferredAt - HOUR), "stream?mode=live", "live"]) {
      expect((await appFetch(`/api/devices/${alice.device.id}/${path}`, { headers: { Cookie: alice.cookie } })).status, path).toBe(404);
    }
  });

  it("non-owners, made-up ids and signed-out callers: 404 / 401 on clip, stream and live", async () => {
    const owner = await ownedCamera("cv-owner@example.com", { ownedForDays: 2 });
    const mallory = await signIn("cv-mallory@example.com");
    const now = Date.now();
    const paths = [`clip?start=${now - 2 * HOUR}&end=${now - HOUR}`, `stream?start=${now - 2 * HOUR}&end=${now - HOUR}`, "stream?mode=live", "live"];
    for (const p of paths) {
      const res = await appFetch(`/api/devices/${owner.device.id}/${p}`, { headers: { Cookie: mallory } });
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as Json).error).toBe("not_found");
      expect((await appFetch(`/api/devices/not-a-device!/${p}`, { headers: { Cookie: mallory } })).status, p).toBe(404);
      expect((await appFetch(`/api/devices/${owner.device.id}/${p}`)).status, p).toBe(401);
    }
    const stats = (await (await fetch(`${AWS}/__standin/stats?name=${owner.device.aovisId}`)).json()) as Json;
    expect(stats.calls).toEqual({ CreateSignalingChannel: 1 }); // our own setup call, nothing else
  });
});

describe("KVS errors and limits", () => {
  it("a gap in the footage → 502 clip_error with awsCode ResourceNotFoundException (never a 500)", async () => {
    const { cookie, device } = await ownedCamera("cv-gap@example.com", { ownedForDays: 2 });
    const now = Date.now();
    await control("gaps", { stream: device.aovisId, start: (now - 5 * HOUR) / 1000, end: (now - 3 * HOUR) / 1000 });
    const res = await clip(cookie, device.id, now - 4.5 * HOUR, now - 4 * HOUR);
    expect(res.status).toBe(502);
    expect((await res.json()) as Json).toMatchObject({ error: "clip_error", awsCode: "ResourceNotFoundException" });

    // A 5xx that doesn't go away is a 502 too, after a couple of quick retries.
    await control("faults", { error5xx: { count: 3, stream: device.aovisId, api: "GetClip" } });
    const failing = await clip(cookie, device.id, now - 2 * HOUR, now - HOUR);
    expect(failing.status).toBe(502);
    expect(((await failing.json()) as Json).awsCode).toBe("InternalFailure");
    await control("faults", { clear: { stream: device.aovisId } });
  });

  it("more than 5 clip requests a second for one stream → 429 rate_limited with Retry-After; KVS never throttles us", async () => {
    const { cookie, device } = await ownedCamera("cv-tps@example.com", { ownedForDays: 2 });
    const now = Date.now();
    // 12 at once: even if a loaded machine spreads them over two one-second windows, some are refused.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => clip(cookie, device.id, now - (i + 2) * HOUR, now - (i + 1) * HOUR)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get("Retry-After")).toBe("1");
    expect(((await limited.json()) as Json).error).toBe("rate_limited");
    await Promise.all(results.filter((r) => r !== limited).map((r) => r.arrayBuffer()));
    const stats = (await (await fetch(`${AWS}/__standin/stats?name=${device.aovisId}`)).json()) as Json;
    expect(stats.errors.ClientLimitExceededException).toBeUndefined();
  });
});

describe("page /account/devices/:id", () => {
  it("the owner sees the window, the plan's reason, the timeline in their zone and the clip form; anyone else gets the friendly 404", async () => {
    const { cookie, userId, device } = await ownedCamera("cv-page@example.com", { ownedForDays: 30 });
    await subscribeStandard(userId, device.id);
    const res = await appFetch(`/account/devices/${device.id}`, { headers: { Cookie: cookie, "Accept-Language": "en-US" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Your Standard plan keeps 7 days — upgrade to see 30 days.");
    expect(html).toContain('data-testid="timeline"');
    // Issue #12: hour tiles (each an MP4 link, drawn from the window, not the footage) gave way to a
    // timeline from ListFragments; the page names the zone its times are in.
    expect(html).toContain('data-testid="timeline-bar"');
    expect(html).toMatch(/Times are in <strong>UTC<\/strong>/);
    expect(html).toContain(`action="/api/devices/${device.id}/clip"`);
    expect(html).toContain('type="datetime-local"');
    // 8 days of links (today + 7 back), nothing older.
    expect(html.match(/\?day=\d{4}-\d{2}-\d{2}#history/g)!.length).toBeGreaterThanOrEqual(8);
    expect(html.match(/\?day=\d{4}-\d{2}-\d{2}#history/g)!.length).toBeLessThanOrEqual(9);

    const other = await signIn("cv-page-other@example.com");
    const notYours = await appFetch(`/account/devices/${device.id}`, { headers: { Cookie: other } });
    expect(notYours.status).toBe(404);
    expect(await notYours.text()).toContain("find that page");
    expect((await appFetch("/account/devices/nope", { headers: { Cookie: other } })).status).toBe(404);
  });

  it("a new owner is told footage before their ownership is hidden; the trial wording names the trial", async () => {
    const fresh = await ownedCamera("cv-page-new@example.com");
    const html = await (await appFetch(`/account/devices/${fresh.device.id}`, { headers: { Cookie: fresh.cookie } })).text();
    expect(html).toContain("that&#x27;s before you owned this camera");
    const trial = await ownedCamera("cv-page-trial@example.com", { ownedForDays: 5 });
    const trialHtml = await (await appFetch(`/account/devices/${trial.device.id}`, { headers: { Cookie: trial.cookie } })).text();
    expect(trialHtml).toContain("Your free trial keeps 24 hours — choose a plan to see up to 30 days.");
  });

  it("the download form works without JavaScript: a too-long range comes back to the page split into parts", async () => {
    const { cookie, userId, device } = await ownedCamera("cv-page-form@example.com", { ownedForDays: 30 });
    await subscribeStandard(userId, device.id);
    const now = Date.now();
    const start = new Date(now - 3 * DAY).toISOString().slice(0, 16);
    const end = new Date(now - DAY).toISOString().slice(0, 16);
    const res = await appFetch(`/api/devices/${device.id}/clip?via=page&start=${start}&end=${end}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(303);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/account/devices/${device.id}\\?clip_error=range_too_long&`));
    const page = await (await appFetch(location.replace(/#.*$/, ""), { headers: { Cookie: cookie } })).text();
    expect(page).toContain("A clip can cover at most 24 hours");
    expect(page.match(/class="clip-parts"[\s\S]*?<\/ol>/)![0].match(/<li>/g)).toHaveLength(2);

    // Inside the window and short enough: the file itself.
    const ok = await appFetch(
      `/api/devices/${device.id}/clip?via=page&start=${new Date(now - 2 * HOUR).toISOString().slice(0, 16)}&end=${new Date(now - HOUR).toISOString().slice(0, 16)}`,
      { headers: { Cookie: cookie } },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Type")).toBe("video/mp4");
    await ok.arrayBuffer();
  });
});

describe("page /account/devices/:id: refusals come back to the form", () => {
  it("a KVS failure returns to the page with its AWS code and the range; a junk range with invalid_request", async () => {
    const { cookie, device } = await ownedCamera("cv-page-aws@example.com", { ownedForDays: 2 });
    const now = Date.now();
    await control("gaps", { stream: device.aovisId, start: (now - 5 * HOUR) / 1000, end: (now - 3 * HOUR) / 1000 });
    const res = await appFetch(`/api/devices/${device.id}/clip?via=page&start=${now - 4.5 * HOUR}&end=${now - 4 * HOUR}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("Location")!, "http://x");
    expect(location.pathname).toBe(`/account/devices/${device.id}`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      clip_error: "clip_error",
      aws_code: "ResourceNotFoundException",
      start: String(now - 4.5 * HOUR),
      end: String(now - 4 * HOUR),
    });
    expect(location.hash).toBe("#clip");
    const page = await (await appFetch(location.pathname + location.search, { headers: { Cookie: cookie } })).text();
    expect(page).toContain("The video service could not make that clip.");
    expect(page).toMatch(/\((<!-- -->)?ResourceNotFoundException(<!-- -->)?\)/);

    const junk = await appFetch(`/api/devices/${device.id}/clip?via=page&start=yesterday&end=today`, { headers: { Cookie: cookie } });
    expect(junk.status).toBe(303);
    // What was typed comes back with the refusal (issue #12), and the form shows it as typed.
    expect(junk.headers.get("Location")).toBe(`/account/devices/${device.id}?clip_error=invalid_request&start=yesterday&end=today#clip`);
    const junkPage = await (await appFetch(junk.headers.get("Location")!.replace(/#.*$/, ""), { headers: { Cookie: cookie } })).text();
    expect(junkPage).toContain('value="yesterday"');
    expect(junkPage).toContain("Enter a date and a time");
  });
});

describe("hardening", () => {
  it("the page ignores crafted part ranges: out of the window, past year 275760, or absurdly long (no 500, no parts, no endless loop)", async () => {
    const { cookie, userId, device } = await ownedCamera("cv-page-parts@example.com", { ownedForDays: 30 });
    await subscribeStandard(userId, device.id);
    const now = Date.now();
    const page = (start: string, end: string) =>
      appFetch(`/account/devices/${device.id}?clip_error=range_too_long&start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`, {
        headers: { Cookie: cookie },
      });
    const cases: [string, string][] = [
      ["8700000000000000", "8700000003600000"], // beyond Date's range: toISOString used to throw → 500
      [String(now - 40 * DAY), String(now - 35 * DAY)], // older than the plan's window
      [String(now - 2 * DAY), String(now + 5 * DAY)], // ends in the future
      [String(now - HOUR), String(now - 3 * HOUR)], // reversed
      ["1", "1e300"], // not a time the API accepts (and a loop of 1e292 parts before)
    ];
    for (const [start, end] of cases) {
      const res = await page(start, end);
      expect(res.status, `${start}..${end}`).toBe(200);
      const html = await res.text();
      expect(html).toContain("A clip can cover at most 24 hours");
      expect(html, `${start}..${end}`).not.toContain('class="clip-parts"');
    }
    // A genuine too-long range inside the window is still offered in parts (ms or ISO, like the API).
    const ok = await (await page(iso(now - 3 * DAY), String(now - DAY))).text();
    expect(ok.match(/class="clip-parts"[\s\S]*?<\/ol>/)![0].match(/<li>/g)).toHaveLength(2);
  });

  it("an unexpected failure on the AWS path (a 200 that isn't JSON) is a 502 with awsCode InvalidResponse, not a 500", async () => {
    const { kvsClientFromConfig } = await import("~/lib/kvs.server");
    const { getConfig } = await import("~/lib/config.server");
    const { awsRefusal } = await import("~/models/video/kvs-calls.server");
    const { refusalResponse } = await import("~/http/api-route.server");
    // The refusal as the routes answer it (app/http/refusals).
    const awsFailure = (err: unknown, code: "clip_error" | "live_error", requestId?: string) => refusalResponse(awsRefusal(err, code, requestId));
    // A proxy answering 200 with an HTML page instead of KVS's JSON.
    const kvs = kvsClientFromConfig(
      getConfig(env),
      async () => new Response("<html>gateway</html>", { status: 200, headers: { "Content-Type": "text/html" } }),
    );
    const err = await kvs.getClip("aovis-cv-proxy", 1, 2).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyntaxError);
    const res = awsFailure(err, "clip_error", "req-test");
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: "clip_error", awsCode: "InvalidResponse" });
    const live = awsFailure(new TypeError("x is undefined"), "live_error");
    expect(live.status).toBe(502);
    expect(((await live.json()) as Json).awsCode).toBe("InvalidResponse");
  });

  it("the playback opening (owner check): the owner gets the playback context; anyone else or a malformed id a 404; signed out 401", async () => {
    const { ownedPlayback } = await import("~/models/video/playback-access.server");
    const { idParam } = await import("~/http/params.server");
    const { getUser } = await import("~/lib/auth.server");
    const { refusalStatus } = await import("~/http/refusals");
    const { depsFor } = await import("~/models/deps.server");
    const owner = await ownedCamera("cv-helper@example.com", { ownedForDays: 2 });
    const other = await signIn("cv-helper-other@example.com");
    const context = { cloudflare: { env, ctx: createExecutionContext() }, requestId: "t", nonce: "n" };
    const req = (cookie?: string) => new Request(`http://localhost:8787/api/devices/${owner.device.id}/live`, { headers: cookie ? { Cookie: cookie } : {} });
    // What every playback route (apiRoute) and the device page do: session, then `:id`, then ownership.
    const open = async (cookie: string | undefined, params: { id: string }) => {
      const user = await getUser(req(cookie), context);
      if (!user) return { ok: false as const, error: "unauthenticated" as const };
      const id = idParam(params, "device");
      if (!id.ok) return id;
      return ownedPlayback(depsFor(env), id.id, { user });
    };
    const got = await open(owner.cookie, { id: owner.device.id });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.playback.device.id).toBe(owner.device.id);
    expect((await getUser(req(owner.cookie), context))!.id).toBe(owner.userId);
    expect(got.playback.entitlements.length).toBeGreaterThan(0);
    for (const [cookie, id, status] of [
      [other, owner.device.id, 404],
      [owner.cookie, "not-a-device!", 404],
      [undefined, owner.device.id, 401],
    ] as const) {
      const r = await open(cookie, { id });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(refusalStatus(r)).toBe(status);
      expect(r.error).toBe(status === 404 ? "not_found" : "unauthenticated");
    }
  });
});
