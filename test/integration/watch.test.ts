import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { depsFor } from "~/models/deps.server";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { deviceTimeline } from "~/models/video/timeline.server";
import { appFetch } from "../helpers/app";
import { standinControl } from "../helpers/standins";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";

// Watching (issue #12, ADR 014) through the real Worker against the AWS stand-in: the timeline
// (ListFragments paged and merged into spans with gaps, clipped to the window ∩ the ownership),
// thumbnails (GetImages through our origin), camera names, and who may see any of it.

type Json = Record<string, any>;
const AWS = env.TEST_STANDIN_URLS.aws;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const control = (path: string, body: unknown) => standinControl(AWS, path, body);

async function listCalls(stream: string): Promise<number> {
  const stats = (await (await fetch(`${AWS}/__standin/stats?name=${stream}`)).json()) as Json;
  return stats.calls.ListFragments ?? 0;
}

/** A device activated by `email` (free trial: 24 hours of history), owned since `ownedFor` ago, with its own stream. */
async function ownedCamera(email: string, ownedFor = 2 * DAY) {
  const cookie = await signIn(email);
  const userId = await userIdOf(cookie);
  const d = await provisionTestDevice({ iccid: null });
  await control("streams", { streams: [{ name: d.aovisId, retentionHours: 720 }] });
  expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
  const startedAt = Date.now() - ownedFor;
  await env.DB.prepare("UPDATE device_ownerships SET started_at = ?1 WHERE device_id = ?2 AND status = 'active'").bind(startedAt, d.id).run();
  return { cookie, userId, device: d, startedAt };
}

const get = (cookie: string, path: string) => appFetch(path, { headers: { Cookie: cookie } });

/** Every page of the timeline of [start, end], following `next` like the page does. */
async function wholeTimeline(cookie: string, deviceId: string, start: number, end: number) {
  const pages: Json[] = [];
  let next: { start: string; end: string } | null = { start: iso(start), end: iso(end) };
  while (next) {
    const res = await get(cookie, `/api/devices/${deviceId}/timeline?start=${next.start}&end=${next.end}`);
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as Json;
    pages.push(body);
    next = body.next;
    expect(pages.length).toBeLessThan(20);
  }
  const spans = pages
    .flatMap((p) => p.spans)
    .map((s: Json) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }))
    .sort((a, b) => a.start - b.start);
  // Pages meet without overlapping, so spans that touch across a page boundary are one recording.
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end + 2000) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return { pages, spans: merged, thumbnails: pages.flatMap((p) => p.thumbnails) as { at: string; url: string }[] };
}

describe("timeline", () => {
  it("spans of real footage with the gap left as a gap, in pages (newest first), thumbnails through our origin", async () => {
    const { cookie, device } = await ownedCamera("watch-tl@example.com");
    const now = Date.now();
    const gap = { start: now - 4 * HOUR, end: now - 3.5 * HOUR };
    await control("gaps", { stream: device.aovisId, start: gap.start / 1000, end: gap.end / 1000 });

    const { pages, spans, thumbnails } = await wholeTimeline(cookie, device.id, now - 20 * HOUR, now);
    // 21 UTC hours at 10 ListFragments pages per request: more than one page, newest first, contiguous.
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toMatchObject({ complete: false, window: { reason: "plan_limit" } });
    expect(pages[pages.length - 1].complete).toBe(true);
    for (let i = 1; i < pages.length; i++) expect(pages[i].covered.end).toBe(pages[i - 1].covered.start);
    expect(Date.parse(pages[0].covered.end)).toBeLessThanOrEqual(Date.now());

    expect(spans).toHaveLength(2);
    const [before, after] = spans;
    expect(before.start).toBe(now - 20 * HOUR); // clipped to the range asked for
    expect(before.end).toBeLessThanOrEqual(gap.start + 1000);
    expect(before.end).toBeGreaterThan(gap.start - 10_000);
    expect(after.start).toBeGreaterThanOrEqual(gap.start);
    expect(after.start).toBeLessThan(gap.end + 10_000);
    expect(after.end).toBeGreaterThan(now - 2 * MIN); // fragments are listed once ingested

    // Thumbnails: a day view every 2 hours, only where something was recorded, served as JPEG by us.
    expect(thumbnails.length).toBeGreaterThanOrEqual(8);
    for (const t of thumbnails) expect(t.url).toBe(`/api/devices/${device.id}/thumbnails?at=${encodeURIComponent(t.at)}`);
    const img = await get(cookie, thumbnails[0].url);
    expect(img.status).toBe(200);
    expect(img.headers.get("Content-Type")).toBe("image/jpeg");
    expect(img.headers.get("Cache-Control")).toBe("private, max-age=86400");
    const bytes = new Uint8Array(await img.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);

    // Inside the gap there is no picture; the next recording has one.
    const inGap = await get(cookie, `/api/devices/${device.id}/thumbnails?at=${iso(gap.start + 10 * MIN)}`);
    expect(inGap.status).toBe(404);
    expect(((await inGap.json()) as Json).error).toBe("no_footage");
  });

  it("finished hours are listed from KVS once: asking again costs only the hours still being recorded", async () => {
    const { cookie, device } = await ownedCamera("watch-cache@example.com");
    const now = Date.now();
    await wholeTimeline(cookie, device.id, now - 5 * HOUR, now);
    const first = await listCalls(device.aovisId);
    expect(first).toBeGreaterThanOrEqual(6);
    const again = await wholeTimeline(cookie, device.id, now - 5 * HOUR, Date.now());
    expect(again.spans).toHaveLength(1);
    expect((await listCalls(device.aovisId)) - first).toBeLessThanOrEqual(2);
  });

  it("follows ListFragments' NextToken through every page of an hour", async () => {
    const { userId, device } = await ownedCamera("watch-token@example.com");
    const user = { id: userId, email: "watch-token@example.com" };
    const deps = depsFor(env);
    const owned = await ownedPlayback(deps, device.id, { user });
    if (!owned.ok) throw new Error(owned.error);
    const hour = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
    const calls = await listCalls(device.aovisId);
    // 900 four-second fragments in the hour, 100 a page.
    const r = await deviceTimeline(deps, owned.playback, { start: hour, end: hour + HOUR, listPageSize: 100 }, { user });
    if (!r.ok) throw new Error(r.error);
    expect((await listCalls(device.aovisId)) - calls).toBeGreaterThanOrEqual(9);
    expect(r.complete).toBe(true);
    expect(r.spans).toHaveLength(1);
    // The first fragment KVS received in the hour (0.2–0.7 s after its producer time) starts the span.
    expect(Date.parse(r.spans[0].start) - hour).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r.spans[0].start) - hour).toBeLessThan(1000);
    expect(Date.parse(r.spans[0].end)).toBe(hour + HOUR);
    expect(r.clipPartSeconds).toBe(792); // 198 of the 4 s fragments
  });

  it("is clipped to the ownership: time before it is locked with its reason, no span reaches into it", async () => {
    const { cookie, device, startedAt } = await ownedCamera("watch-own@example.com", 3 * HOUR);
    const now = Date.now();
    const { pages, spans } = await wholeTimeline(cookie, device.id, now - 6 * HOUR, now);
    expect(pages[0].window.reason).toBe("before_ownership");
    expect(Date.parse(pages[0].window.start)).toBe(startedAt);
    expect(spans.length).toBeGreaterThan(0);
    expect(spans[0].start).toBeGreaterThanOrEqual(startedAt);
    const locked = pages.flatMap((p) => p.locked);
    expect(locked.length).toBeGreaterThan(0);
    for (const l of locked) {
      expect(l.reason).toBe("before_ownership");
      expect(Date.parse(l.end)).toBeLessThanOrEqual(startedAt);
    }
    // A moment before the ownership: its thumbnail is refused like a clip would be.
    const thumb = await get(cookie, `/api/devices/${device.id}/thumbnails?at=${iso(startedAt - HOUR)}`);
    expect(thumb.status).toBe(403);
    expect(((await thumb.json()) as Json).error).toBe("time_range_exceeds_entitlement");
  });

  it("a reversed, unparseable or longer-than-31-days range is a 400 with a code, and asks KVS nothing", async () => {
    const { cookie, device } = await ownedCamera("watch-400@example.com");
    const now = Date.now();
    const cases: [string, string][] = [
      [`start=${iso(now)}&end=${iso(now - HOUR)}`, "invalid_range"],
      ["start=yesterday&end=today", "invalid_request"],
      [`start=${iso(now)}`, "invalid_request"],
      [`start=${iso(now - 32 * DAY)}&end=${iso(now)}`, "timeline_range_too_long"],
    ];
    for (const [q, code] of cases) {
      const res = await get(cookie, `/api/devices/${device.id}/timeline?${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as Json;
      expect(body.error, q).toBe(code);
      expect(typeof body.message).toBe("string");
    }
    expect((await get(cookie, `/api/devices/${device.id}/thumbnails?at=soon`)).status).toBe(400);
    expect(await listCalls(device.aovisId)).toBe(0);
  });
});

describe("camera names", () => {
  it("the owner names the camera (trimmed); empty, only spaces or over 40 characters is a 400 that changes nothing", async () => {
    const { cookie, device } = await ownedCamera("watch-name@example.com");
    const named = await postJson(cookie, `/api/devices/${device.id}/name`, { name: "  Front door " });
    expect(named.status).toBe(200);
    expect(await named.json()).toMatchObject({ name: "Front door" });
    const nameOf = async () =>
      (await env.DB.prepare("SELECT name FROM device_ownerships WHERE device_id = ?1 AND status = 'active'").bind(device.id).first<{ name: string }>())!.name;
    for (const name of ["", "     ", "x".repeat(41), "Front\ndoor"]) {
      const res = await postJson(cookie, `/api/devices/${device.id}/name`, { name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(((await res.json()) as Json).error).toBe("invalid_request");
    }
    expect(await nameOf()).toBe("Front door");
    expect((await postJson(cookie, `/api/devices/${device.id}/name`, { name: "x".repeat(40) })).status).toBe(200);
    await postJson(cookie, `/api/devices/${device.id}/name`, { name: "Front door" });

    // Shown beside the model on the device list and the device page.
    const list = await (await get(cookie, "/account/devices")).text();
    expect(list).toContain("Front door");
    const page = await (await get(cookie, `/account/devices/${device.id}`)).text();
    expect(page).toMatch(/<title>Front door · NEXA Prime 4K · /);

    // The page's own form (no JavaScript) uses the same rule and keeps the old name on a refusal.
    const form = (name: string) =>
      appFetch(`/account/devices/${device.id}`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "rename", name }).toString(),
      });
    const refused = await form("   ");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Enter a name for the camera");
    expect(await nameOf()).toBe("Front door");
    expect((await form("Garage")).status).toBe(200);
    expect(await nameOf()).toBe("Garage");
  });

  it("a new owner names the camera afresh: the name belongs to the ownership", async () => {
    const alice = await ownedCamera("watch-alice@example.com");
    await postJson(alice.cookie, `/api/devices/${alice.device.id}/name`, { name: "Alice's porch" });
    const bob = await signIn("watch-bob@example.com");
    const offer = (await (await postJson(alice.cookie, `/api/devices/${alice.device.id}/transfers`, { toEmail: "watch-bob@example.com" })).json()) as Json;
    // The offer tells Bob which camera it is.
    expect(await (await get(bob, "/account/devices")).text()).toContain("Alice&#x27;s porch");
    expect((await postJson(bob, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
    const page = await (await get(bob, `/account/devices/${alice.device.id}`)).text();
    expect(page).not.toContain("Alice&#x27;s porch");
    expect(page).toContain("Name this camera");
  });
});

describe("who may watch", () => {
  it("a non-owner, a made-up id and a signed-out caller get 404 / 404 / 401 from every new route, and nothing changes", async () => {
    const owner = await ownedCamera("watch-owner@example.com");
    const mallory = await signIn("watch-mallory@example.com");
    const now = Date.now();
    const reads = [
      `timeline?start=${iso(now - HOUR)}&end=${iso(now)}`,
      `thumbnails?at=${iso(now - HOUR)}`,
      `stream?start=${iso(now - HOUR)}&end=${iso(now)}`,
      "stream?mode=live",
      "live",
    ];
    for (const p of reads) {
      const res = await get(mallory, `/api/devices/${owner.device.id}/${p}`);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as Json).error, p).toBe("not_found");
      expect((await get(mallory, `/api/devices/not-a-device!/${p}`)).status, p).toBe(404);
      expect((await appFetch(`/api/devices/${owner.device.id}/${p}`)).status, p).toBe(401);
    }
    const rename = await postJson(mallory, `/api/devices/${owner.device.id}/name`, { name: "Mine now" });
    expect(rename.status).toBe(404);
    expect(((await rename.json()) as Json).error).toBe("not_found");
    const row = await env.DB.prepare("SELECT name FROM device_ownerships WHERE device_id = ?1").bind(owner.device.id).first<{ name: string | null }>();
    expect(row!.name).toBeNull();
    const stats = (await (await fetch(`${AWS}/__standin/stats?name=${owner.device.aovisId}`)).json()) as Json;
    expect(stats.calls).toEqual({});
  });
});

describe("live view without JavaScript", () => {
  it("?at= (a search result's link) opens that moment's day when it may be watched, and is ignored outside the window", async () => {
    const { cookie, device } = await ownedCamera("watch-at@example.com");
    const dayOf = (html: string) => /<h3 class="tl__day">([^<]*)<\/h3>/.exec(html)?.[1];
    // A minute before today's UTC midnight: yesterday (the test's zone is UTC), inside the trial's 24 hours.
    const at = new Date(new Date().toISOString().slice(0, 10)).getTime() - 60_000;
    const atPage = await (await get(cookie, `/account/devices/${device.id}?at=${new Date(at).toISOString()}`)).text();
    const thatDay = await (await get(cookie, `/account/devices/${device.id}?day=${new Date(at).toISOString().slice(0, 10)}`)).text();
    expect(dayOf(atPage)).toBeTruthy();
    expect(dayOf(atPage)).toBe(dayOf(thatDay));
    const today = dayOf(await (await get(cookie, `/account/devices/${device.id}`)).text());
    const outside = await (await get(cookie, `/account/devices/${device.id}?at=${new Date(Date.now() - 5 * DAY).toISOString()}`)).text();
    expect(dayOf(outside)).toBe(today);
    expect((await get(cookie, `/account/devices/${device.id}?at=not-a-date`)).status).toBe(200);
  });

  it("a browser opening the live settings URL as a page is sent to the device page: TURN credentials are never shown as raw JSON", async () => {
    const { cookie, device } = await ownedCamera("watch-live-nav@example.com");
    const nav = await appFetch(`/api/devices/${device.id}/live`, { headers: { Cookie: cookie, "Sec-Fetch-Mode": "navigate", Accept: "text/html" } });
    expect(nav.status).toBe(303);
    expect(nav.headers.get("Location")).toBe(`/account/devices/${device.id}#live`);
    expect(await nav.text()).toBe("");
    const page = await (await get(cookie, `/account/devices/${device.id}`)).text();
    expect(page).toContain("Live view needs JavaScript");
    for (const secret of ["credential", "turn:", "X-Amz-Signature", "signedViewerUrl"]) expect(page, secret).not.toContain(secret);
  });
});

describe("timeline under KVS throttling", () => {
  it("ListFragments throttled past the quick retries, with nothing listed yet → 429 rate_limited with Retry-After (the page waits it out), not a 502", async () => {
    const { cookie, device } = await ownedCamera("watch-throttle@example.com");
    await control("faults", { throttle: { count: 3, stream: device.aovisId, api: "ListFragments" } });
    const now = Date.now();
    const res = await get(cookie, `/api/devices/${device.id}/timeline?start=${iso(now - HOUR)}&end=${iso(now)}`);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(((await res.json()) as Json).error).toBe("rate_limited");
    await control("faults", { clear: { stream: device.aovisId } });
    const again = await get(cookie, `/api/devices/${device.id}/timeline?start=${iso(now - HOUR)}&end=${iso(now)}`);
    expect(again.status).toBe(200);
  });
});
