import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { snapshotKey } from "~/domain/camera-events";
import { MAX_QUERY_CHARS, SEARCH_PAGE_SIZE } from "~/domain/event-search";
import { AI_SUMMARIES_PER_CAMERA_PER_DAY, budgetDay } from "~/domain/event-features";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { postJson } from "../helpers/devices";
import { AI, DAY, HOUR, eventMessage, insertEvent, ownedCamera, postEvent, standin, subscribe } from "../helpers/events";

// Smart search, a day's summary, the timeline's markers and thumbnails: owner only (404), the
// plan's features (403 feature_not_in_plan + upgradeUrl), and never anything outside this owner's
// window (ownership ∩ plan history), transfers included.

type Json = Record<string, any>;
const get = async (cookie: string, path: string) => {
  const res = await appFetch(path, { headers: { Cookie: cookie } });
  const body = res.headers.get("Content-Type")?.includes("json") ? ((await res.json()) as Json) : null;
  return { status: res.status, body, res };
};
const search = (cookie: string, q: string, extra: Record<string, string> = {}) => get(cookie, `/api/events/search?${new URLSearchParams({ q, ...extra })}`);
const yesterdayAt = (h: number, m: number) => {
  const d = new Date(Date.now() - DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h, m);
};
const textCalls = async () => ((await standin(AI, "stats")).calls["@cf/meta/llama-3.1-8b-instruct-fp8-fast"] ?? 0) as number;

describe("smart search: refusals", () => {
  it("a camera without Smart search (trial): 403 feature_not_in_plan with upgradeUrl, for one camera and for all", async () => {
    const { cookie, device } = await ownedCamera("find-trial@example.com", { ownedForDays: 1 });
    const all = await search(cookie, "package");
    expect(all.status).toBe(403);
    expect(all.body).toMatchObject({ error: "feature_not_in_plan", feature: "smart_search", upgradeUrl: "/account/services" });
    expect(all.body!.message).toBe("Smart search is part of every paid cloud plan, from Starter up; none of your cameras' plans include it.");
    const one = await search(cookie, "package", { deviceId: device.id });
    expect(one.status).toBe(403);
    expect(one.body!.message).toContain("this camera's plan doesn't include it");
  });

  it("someone else's camera: 404; bad queries: 400 with the field", async () => {
    const { cookie } = await ownedCamera("find-bad@example.com", { ownedForDays: 1, plan: "standard" });
    const other = await ownedCamera("find-other@example.com", { ownedForDays: 1, plan: "standard" });
    expect((await search(cookie, "package", { deviceId: other.device.id })).status).toBe(404);
    expect((await search(cookie, "package", { deviceId: "nonexistent-device" })).status).toBe(404);
    for (const [params, field] of [
      [{ q: "" }, "q"],
      [{ q: "   " }, "q"],
      [{ q: "x".repeat(MAX_QUERY_CHARS + 1) }, "q"],
      [{ q: "package", cursor: "s0" }, "cursor"],
      [{ q: "package", cursor: "page-2" }, "cursor"],
      [{ q: "package", deviceId: "x" }, "deviceId"],
    ] as const) {
      const r = await get(cookie, `/api/events/search?${new URLSearchParams(params as Record<string, string>)}`);
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.body).toMatchObject({ error: "invalid_request" });
      expect(r.body!.issues[0].field).toBe(field);
    }
    expect((await get(cookie, "/api/events/search")).status).toBe(400);
    expect((await appFetch("/api/events/search?q=x")).status).toBe(401);
  });
});

describe("smart search: results", () => {
  it("'package' finds the package events inside the window, newest first, each with its thumbnail and player link", async () => {
    const { cookie, device } = await ownedCamera("find-pkg@example.com", { ownedForDays: 30, plan: "standard" });
    const now = Date.now();
    const tooOld = await insertEvent(device.id, { at: now - 10 * DAY, description: "A courier leaves a parcel at the door" });
    const older = await insertEvent(device.id, { at: now - 2 * DAY, description: "A courier leaves a parcel at the door", snapshot: "ready" });
    const newer = await insertEvent(device.id, { at: now - 2 * HOUR, description: "A parcel is left at the door" });
    await insertEvent(device.id, {
      at: now - HOUR,
      type: "person",
      labels: "person people human someone visitor",
      description: "A person walks up to the front door",
    });
    await env.EVENT_SNAPSHOTS.put(snapshotKey(device.id, older), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), { httpMetadata: { contentType: "image/jpeg" } });

    const r = await search(cookie, "package");
    expect(r.status).toBe(200);
    expect(r.body!.results.map((x: Json) => x.eventId)).toEqual([newer, older]);
    expect(r.body!.results.map((x: Json) => x.eventId)).not.toContain(tooOld);
    const [first, second] = r.body!.results;
    expect(first).toEqual({
      eventId: newer,
      deviceId: device.id,
      deviceName: "NEXA Prime 4K",
      at: new Date(now - 2 * HOUR).toISOString(),
      type: "package",
      description: "A parcel is left at the door",
      thumbnailUrl: null,
      playUrl: `/account/devices/${device.id}?at=${encodeURIComponent(new Date(now - 2 * HOUR).toISOString())}`,
    });
    expect(second.thumbnailUrl).toBe(`/api/events/${older}/thumbnail`);
    expect(r.body!.nextCursor).toBeNull();
    expect(r.body!.empty).toBeNull();

    // Synonyms and description words find it too; a word nobody wrote finds nothing, and says so.
    expect((await search(cookie, "parcels")).body!.results).toHaveLength(2);
    // "courier" is one of a package's indexed words, so it finds both; "leaves" only one description has.
    expect((await search(cookie, "courier")).body!.results).toHaveLength(2);
    expect((await search(cookie, "leaves")).body!.results.map((x: Json) => x.eventId)).toEqual([older]);
    expect((await search(cookie, "front door person")).body!.results).toHaveLength(1);
    expect((await search(cookie, "unicorn")).body).toMatchObject({ results: [], empty: "no_match" });

    // The thumbnail: the owner gets the JPEG; anyone else, or an event without a picture, 404.
    const thumb = await appFetch(second.thumbnailUrl, { headers: { Cookie: cookie } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("Content-Type")).toBe("image/jpeg");
    expect(thumb.headers.get("Cache-Control")).toBe("private, max-age=3600");
    const stranger = await signIn("find-stranger@example.com");
    expect((await appFetch(second.thumbnailUrl, { headers: { Cookie: stranger } })).status).toBe(404);
    expect((await appFetch(`/api/events/${newer}/thumbnail`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await appFetch(`/api/events/${tooOld}/thumbnail`, { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it("pages newest first with a cursor, no overlap, and 'yesterday' / 昨天 keep to that day (UTC)", async () => {
    const { cookie, device } = await ownedCamera("find-pages@example.com", { ownedForDays: 30, plan: "standard" });
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < SEARCH_PAGE_SIZE + 5; i++) ids.push(await insertEvent(device.id, { at: now - (i + 1) * 5_000 }));
    const y = await insertEvent(device.id, { at: yesterdayAt(19, 40), type: "animal", labels: "animal pet wildlife cat", cameraLabels: "cat" });

    const p1 = await search(cookie, "package");
    expect(p1.body!.results).toHaveLength(SEARCH_PAGE_SIZE);
    expect(p1.body!.nextCursor).toMatch(/^s[0-9a-z]+$/);
    const p2 = await search(cookie, "package", { cursor: p1.body!.nextCursor });
    expect(p2.body!.nextCursor).toBeNull();
    expect([...p1.body!.results, ...p2.body!.results].map((x: Json) => x.eventId)).toEqual(ids);

    expect((await search(cookie, "cat yesterday")).body!.results.map((x: Json) => x.eventId)).toEqual([y]);
    expect((await search(cookie, "昨天的猫")).body!.results.map((x: Json) => x.eventId)).toEqual([y]);
    const yesterday = await search(cookie, "yesterday");
    expect(yesterday.body!.results.map((x: Json) => x.eventId)).toContain(y);
    expect(yesterday.body!.query).toMatchObject({ terms: [], phrases: ["yesterday"], timeZone: "UTC" });
    const day = new Date(yesterdayAt(12, 0)).toISOString().slice(0, 10);
    for (const x of (await search(cookie, "package yesterday")).body!.results) expect(x.at.slice(0, 10)).toBe(day);
  });

  it("Starter (1 day of history): '3 days ago' is outside the window and says so; events before it never show", async () => {
    const { cookie, device } = await ownedCamera("find-starter@example.com", { ownedForDays: 30, plan: "starter" });
    await insertEvent(device.id, { at: Date.now() - 3 * DAY });
    const r = await search(cookie, "package 3 days ago");
    expect(r.body).toMatchObject({ results: [], empty: "outside_window" });
    expect(Date.parse(r.body!.searchable.start)).toBeGreaterThan(Date.now() - DAY - 60_000);
    expect((await search(cookie, "package")).body).toMatchObject({ results: [], empty: "no_events" });
    expect((await search(cookie, "package tonight")).body!.empty).toMatch(/^(not_yet|no_events)$/);
  });

  it("after a transfer, the new owner finds none of the previous owner's events, and the previous owner none of the new owner's", async () => {
    const a = await ownedCamera("find-tr-a@example.com", { ownedForDays: 5 });
    const subA = await subscribe(a.userId, a.device.id, "standard");
    const aSecond = await ownedCamera("find-tr-a@example.com", { ownedForDays: 5, plan: "standard" });
    const aEvents = [await insertEvent(a.device.id, { at: Date.now() - 2 * DAY }), await insertEvent(a.device.id, { at: Date.now() - 10 * 60_000 })];
    const aOther = await insertEvent(aSecond.device.id, { at: Date.now() - 5 * 60_000 });
    expect((await search(a.cookie, "package")).body!.results.map((x: Json) => x.eventId)).toEqual([aOther, aEvents[1], aEvents[0]]);

    // A cancels the plan (a transfer needs that), offers the camera to B, B accepts and subscribes.
    await subscribe(a.userId, a.device.id, "standard", "canceled", subA);
    const b = { cookie: await signIn("find-tr-b@example.com") };
    const offer = (await (await postJson(a.cookie, `/api/devices/${a.device.id}/transfers`, { toEmail: "find-tr-b@example.com" })).json()) as Json;
    expect((await postJson(b.cookie, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
    const bUser = ((await (await appFetch("/api/auth/session", { headers: { Cookie: b.cookie } })).json()) as Json).user.id;
    await subscribe(bUser, a.device.id, "standard");
    await new Promise((r) => setTimeout(r, 5));
    const msg = eventMessage(a.device.aovisId, { at: new Date().toISOString() });
    expect((await postEvent(msg)).status).toBe(202);

    const bFinds = await search(b.cookie, "package");
    expect(bFinds.body!.results.map((x: Json) => x.eventId)).toEqual([msg.eventId]);
    expect((await search(b.cookie, "package in the past 3 days")).body!.results.map((x: Json) => x.eventId)).toEqual([msg.eventId]);
    const aFinds = await search(a.cookie, "package");
    expect(aFinds.body!.results.map((x: Json) => x.eventId)).toEqual([aOther]);
    expect((await search(a.cookie, "package", { deviceId: a.device.id })).status).toBe(404);
    // Nor by picture, marker or summary.
    expect((await appFetch(`/api/events/${msg.eventId}/thumbnail`, { headers: { Cookie: a.cookie } })).status).toBe(404);
    expect((await get(a.cookie, `/api/devices/${a.device.id}/events?start=${Date.now() - DAY}&end=${Date.now()}`)).status).toBe(404);
    const markers = await get(b.cookie, `/api/devices/${a.device.id}/events?start=${Date.now() - 3 * DAY}&end=${Date.now()}`);
    expect(markers.body!.events.map((e: Json) => e.eventId)).toEqual([msg.eventId]);
    const today = new Date().toISOString().slice(0, 10);
    const summary = await get(b.cookie, `/api/devices/${a.device.id}/summary?date=${today}`);
    expect(summary.body).toMatchObject({ date: today, events: 1 });
  });
});

describe("a day's summary", () => {
  it("names the day's people, parcels and animals, is computed once, and again only when the day's events change", async () => {
    const { cookie, device } = await ownedCamera("sum-paid@example.com", { ownedForDays: 30, plan: "standard" });
    const person = { type: "person", labels: "person people human someone visitor" };
    for (const [h, m] of [
      [8, 15],
      [12, 30],
      [17, 5],
    ]) {
      await insertEvent(device.id, { at: yesterdayAt(h, m), ...person, description: "A person walks up to the front door" });
    }
    await insertEvent(device.id, { at: yesterdayAt(14, 2), description: "A courier leaves a parcel at the door" });
    await insertEvent(device.id, { at: yesterdayAt(19, 40), type: "animal", labels: "animal pet wildlife cat", cameraLabels: "cat" });
    const date = new Date(yesterdayAt(12, 0)).toISOString().slice(0, 10);
    const calls = await textCalls();

    const first = await get(cookie, `/api/devices/${device.id}/summary?date=${date}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ date, summary: "Yesterday: 3 people, a parcel at 14:02, a cat at 19:40.", events: 5, source: "ai", timeZone: "UTC" });
    expect(await textCalls()).toBe(calls + 1);
    const prompt = (await standin(AI, "stats")).lastInputs.filter((i: Json) => i.text.includes('starts with "Yesterday:"')).pop();
    expect(prompt.text).toContain("14:02 package — A courier leaves a parcel at the door");
    expect(prompt.text).toContain("19:40 animal (cat)");

    expect((await get(cookie, `/api/devices/${device.id}/summary?date=${date}`)).body!.summary).toBe(first.body!.summary);
    expect(await textCalls()).toBe(calls + 1);
    await insertEvent(device.id, { at: yesterdayAt(21, 0), type: "vehicle", labels: "vehicle car truck van motorbike" });
    const again = await get(cookie, `/api/devices/${device.id}/summary?date=${date}`);
    expect(again.body).toMatchObject({ summary: "Yesterday: 3 people, a car, a parcel at 14:02, a cat at 19:40.", events: 6 });
    expect(await textCalls()).toBe(calls + 2);
  });

  it("the budget spent or the model down: our own sentence from the facts, not stored", async () => {
    const { cookie, device } = await ownedCamera("sum-budget@example.com", { ownedForDays: 30, plan: "standard" });
    await insertEvent(device.id, { at: yesterdayAt(9, 0) });
    const date = new Date(yesterdayAt(9, 0)).toISOString().slice(0, 10);
    await env.DB.prepare("INSERT INTO ai_usage (device_id, day, kind, used, updated_at) VALUES (?1, ?2, 'summary', ?3, 0)")
      .bind(device.id, budgetDay(Date.now()), AI_SUMMARIES_PER_CAMERA_PER_DAY)
      .run();
    const calls = await textCalls();
    const r = await get(cookie, `/api/devices/${device.id}/summary?date=${date}`);
    expect(r.body).toMatchObject({ summary: "Yesterday: a parcel at 09:00.", events: 1, source: "facts" });
    expect(await textCalls()).toBe(calls);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM event_summaries WHERE device_id = ?1").bind(device.id).first()).toEqual({ n: 0 });
  });

  it("refusals: trial 403 with upgradeUrl, someone else's camera 404, bad or future dates 400, before the window 403", async () => {
    const trial = await ownedCamera("sum-trial@example.com", { ownedForDays: 1 });
    const today = new Date().toISOString().slice(0, 10);
    const t = await get(trial.cookie, `/api/devices/${trial.device.id}/summary?date=${today}`);
    expect(t.status).toBe(403);
    expect(t.body).toMatchObject({ error: "feature_not_in_plan", feature: "ai_summary", upgradeUrl: "/account/services" });
    expect(t.body!.message).toBe("AI summaries are part of every paid cloud plan, from Starter up; this camera's plan doesn't include them.");

    const paid = await ownedCamera("sum-refusals@example.com", { ownedForDays: 3, plan: "standard" });
    expect((await get(trial.cookie, `/api/devices/${paid.device.id}/summary?date=${today}`)).status).toBe(404);
    for (const date of ["", "yesterday", "2026-02-30", "2026-1-5", "20261105"]) {
      const r = await get(paid.cookie, `/api/devices/${paid.device.id}/summary?date=${encodeURIComponent(date)}`);
      expect(r.status, date).toBe(400);
      expect(r.body!.error).toBe("invalid_request");
    }
    const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    expect((await get(paid.cookie, `/api/devices/${paid.device.id}/summary?date=${tomorrow}`)).body!.error).toBe("date_not_started");
    const before = await get(paid.cookie, `/api/devices/${paid.device.id}/summary?date=${new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10)}`);
    expect(before.status).toBe(403);
    expect(before.body).toMatchObject({ error: "time_range_exceeds_entitlement", reason: "before_ownership" });
  });
});

describe("timeline markers", () => {
  it("a day's events oldest first, descriptions only with AI summaries, nothing outside the window", async () => {
    const trial = await ownedCamera("mark-trial@example.com", { ownedForDays: 3 });
    const now = Date.now();
    const a = await insertEvent(trial.device.id, { at: now - 3 * HOUR, description: "A parcel is left at the door" });
    const b = await insertEvent(trial.device.id, { at: now - HOUR, type: "person", labels: "person" });
    await insertEvent(trial.device.id, { at: now - 2 * DAY });
    const r = await get(
      trial.cookie,
      `/api/devices/${trial.device.id}/events?start=${new Date(now - 3 * DAY).toISOString()}&end=${new Date(now).toISOString()}`,
    );
    expect(r.status).toBe(200);
    expect(r.body!.events.map((e: Json) => [e.eventId, e.type, e.description])).toEqual([
      [a, "package", null],
      [b, "person", null],
    ]);
    expect(r.body!.events[0].playUrl).toBe(`/account/devices/${trial.device.id}?at=${encodeURIComponent(new Date(now - 3 * HOUR).toISOString())}`);
    expect(Date.parse(r.body!.range.start)).toBeGreaterThan(now - DAY - 60_000);
    expect(r.body!.truncated).toBe(false);

    await subscribe(((await (await appFetch("/api/auth/session", { headers: { Cookie: trial.cookie } })).json()) as Json).user.id, trial.device.id, "standard");
    const paid = await get(trial.cookie, `/api/devices/${trial.device.id}/events?start=${now - DAY}&end=${now}`);
    expect(paid.body!.events[0].description).toBe("A parcel is left at the door");

    const outside = await get(trial.cookie, `/api/devices/${trial.device.id}/events?start=${now - 20 * DAY}&end=${now - 10 * DAY}`);
    expect(outside.body).toMatchObject({ events: [], range: null });
    expect((await get(trial.cookie, `/api/devices/${trial.device.id}/events?start=${now}&end=${now - HOUR}`)).body!.error).toBe("invalid_range");
    expect((await get(trial.cookie, `/api/devices/${trial.device.id}/events?start=junk&end=${now}`)).status).toBe(400);
    const stranger = await signIn("mark-stranger@example.com");
    expect((await get(stranger, `/api/devices/${trial.device.id}/events?start=${now - DAY}&end=${now}`)).status).toBe(404);
  });
});
