import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { snapshotKey } from "~/domain/camera-events";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { HOUR, insertEvent, ownedCamera } from "../helpers/events";

// Issue #13's UI: the day's event markers on the device page's timeline (links to their moment,
// only inside the owner's window) and "Today on your cameras" for /account/devices, loaded after
// the page from GET /api/events/today (the page itself keeps its two D1 round trips).

const html = async (path: string, cookie: string) => {
  const res = await appFetch(path, { headers: { Cookie: cookie } });
  return { status: res.status, body: await res.text() };
};
const time = (ms: number) => new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(new Date(ms));
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const markerHref = (deviceId: string, at: number) => `href="/account/devices/${deviceId}?at=${encodeURIComponent(new Date(at).toISOString())}#history"`;

describe("event markers on the device timeline", () => {
  it("each event of the shown day is a labelled link to its moment, with its type and snapshot", async () => {
    const { cookie, device } = await ownedCamera("markers-owner@example.com", { ownedForDays: 30, plan: "standard" });
    // Yesterday (UTC), so the day is complete whatever the time of the run.
    const day = dayOf(Date.now() - 24 * HOUR);
    const pkg = Date.parse(`${day}T14:02:00.000Z`);
    const cat = Date.parse(`${day}T19:40:00.000Z`);
    const withSnap = await insertEvent(device.id, { at: pkg, description: "A courier leaves a parcel at the door", snapshot: "ready" });
    await env.EVENT_SNAPSHOTS.put(snapshotKey(device.id, withSnap), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await insertEvent(device.id, { at: cat, type: "animal", labels: "animal cat" });
    await insertEvent(device.id, { at: pkg - 24 * HOUR, type: "person", labels: "person" }); // another day: not on this one

    const r = await html(`/account/devices/${device.id}?day=${day}`, cookie);
    expect(r.status).toBe(200);
    expect(r.body).toContain('data-testid="event-markers"');
    expect(r.body.match(/data-testid="event-marker"/g)).toHaveLength(2);
    expect(r.body).toContain(`aria-label="Package at ${time(pkg)}"`);
    expect(r.body).toContain(`aria-label="Animal at ${time(cat)}"`);
    expect(r.body).toContain(markerHref(device.id, pkg));
    expect(r.body).toContain('data-type="animal"');
    expect(r.body).toContain(`src="/api/events/${withSnap}/thumbnail"`);
    expect(r.body).toContain("A courier leaves a parcel at the door");
    expect(r.body).not.toContain("Person at");
  });

  it("only inside the owner's window: nothing from before the ownership, nothing on a camera without cloud history", async () => {
    const { cookie, device } = await ownedCamera("markers-window@example.com", { plan: "standard" });
    const started = Date.now() - 2 * HOUR;
    await env.DB.prepare("UPDATE device_ownerships SET started_at = ?1 WHERE device_id = ?2 AND status = 'active'").bind(started, device.id).run();
    const before = started - 10 * 60_000;
    const inside = started + 10 * 60_000;
    await insertEvent(device.id, { at: before, type: "vehicle", labels: "vehicle car" });
    await insertEvent(device.id, { at: inside, type: "person", labels: "person" });
    const r = await html(`/account/devices/${device.id}?day=${dayOf(inside)}`, cookie);
    expect(r.status).toBe(200);
    expect(r.body).toContain(markerHref(device.id, inside));
    expect(r.body).not.toContain(markerHref(device.id, before));
    expect(r.body).not.toContain("Vehicle at");

    // The trial over and no plan: no window, so no markers (and the page says why elsewhere).
    const local = await ownedCamera("markers-local@example.com", { ownedForDays: 30 });
    await insertEvent(local.device.id, { at: Date.now() - HOUR, type: "person", labels: "person" });
    await env.DB.prepare("UPDATE entitlements SET status = 'EXPIRED' WHERE device_id = ?1").bind(local.device.id).run();
    const l = await html(`/account/devices/${local.device.id}`, local.cookie);
    expect(l.status).toBe(200);
    expect(l.body).not.toContain('data-testid="event-marker"');
  });

  it("someone else's camera: the friendly 404, no markers", async () => {
    const { device } = await ownedCamera("markers-mine@example.com", { ownedForDays: 30, plan: "standard" });
    await insertEvent(device.id, { at: Date.now() - HOUR });
    const other = await signIn("markers-other@example.com");
    const r = await html(`/account/devices/${device.id}`, other);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('data-testid="event-marker"');
  });
});

describe("today on your cameras", () => {
  const today = async (cookie: string) => {
    const res = await appFetch("/api/events/today", { headers: { Cookie: cookie, Accept: "application/json" } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const recent = () => Math.max(Date.parse(`${dayOf(Date.now())}T00:00:00.000Z`), Date.now() - 10 * 60_000);

  it("a camera with AI summaries: its day in a sentence; the devices page holds the section and a no-JS way to today's events", async () => {
    const { cookie, device } = await ownedCamera("brief-paid@example.com", { ownedForDays: 30, plan: "standard" });
    await insertEvent(device.id, { at: recent(), description: "A courier leaves a parcel at the door" });
    const r = await today(cookie);
    expect(r.status).toBe(200);
    expect(r.body.date).toBe(dayOf(Date.now()));
    expect(r.body.withoutAi).toBe(0);
    expect(r.body.briefs).toHaveLength(1);
    expect(r.body.briefs[0]).toMatchObject({ deviceId: device.id, serial: device.serial, events: 1 });
    expect(r.body.briefs[0].summary).toMatch(/parcel/i);

    const page = await html("/account/devices", cookie);
    expect(page.body).toContain('data-testid="today-brief"');
    expect(page.body).toContain('href="/account/search?q=today"');
  });

  it("no AI summaries on the plan (the trial): no sentence, the upgrade state; no events today: the sentence says so", async () => {
    const trial = await ownedCamera("brief-trial@example.com", { ownedForDays: 1 });
    await insertEvent(trial.device.id, { at: recent(), type: "person", labels: "person" });
    const t = await today(trial.cookie);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ briefs: [], withoutAi: 1 });

    const quiet = await ownedCamera("brief-quiet@example.com", { ownedForDays: 30, plan: "starter" });
    await insertEvent(quiet.device.id, { at: Date.now() - 3 * 24 * HOUR }); // not today
    const q = await today(quiet.cookie);
    expect(q.body.briefs).toHaveLength(1);
    expect(q.body.briefs[0].events).toBe(0);
  });

  it("only the caller's cameras: another owner's day is not in it; signed out is a 401", async () => {
    const { device } = await ownedCamera("brief-owner@example.com", { ownedForDays: 30, plan: "standard" });
    await insertEvent(device.id, { at: recent(), description: "A courier leaves a parcel at the door" });
    const other = await signIn("brief-stranger@example.com");
    const r = await today(other);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ briefs: [], withoutAi: 0 });
    expect(JSON.stringify(r.body)).not.toContain(device.id);

    const anon = await appFetch("/api/events/today", { headers: { Accept: "application/json" } });
    expect(anon.status).toBe(401);
  });
});
