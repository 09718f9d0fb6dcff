import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AI_DESCRIPTIONS_PER_CAMERA_PER_DAY, budgetDay } from "~/domain/event-features";
import { snapshotKey } from "~/domain/camera-events";
import { depsFor } from "~/models/deps.server";
import { enrichEvent } from "~/models/events/enrich.server";
import { expireEvents, retryPendingEvents } from "~/models/events/sweep.server";
import { AI, AWS, DAY, eventMessage, eventRow, insertEvent, ownedCamera, postEvent, standin, waitForEvent } from "../helpers/events";

// After an event is recorded: its snapshot from KVS GetImages into R2, then (owner with AI
// summaries, within the camera's budget) a description from the vision model; the cron retries
// what failed and ages everything out with the footage.

type Json = Record<string, any>;
const done = (r: Json) => r.snapshot_status !== "pending" && r.description_status !== "pending";
const visionCalls = async () => ((await standin(AI, "stats")).calls["@cf/meta/llama-3.2-11b-vision-instruct"] ?? 0) as number;

describe("camera events: snapshot and description", () => {
  it("paid plan: the snapshot lands in R2 (a real JPEG) and the vision model's sentence is stored, seconds after the event", async () => {
    const { device } = await ownedCamera("ev-paid@example.com", { ownedForDays: 2, plan: "standard" });
    const msg = eventMessage(device.aovisId, { type: "package", labels: ["courier"] });
    expect((await postEvent(msg)).status).toBe(202);
    const row = await waitForEvent(msg.eventId, done);
    expect(row).toMatchObject({
      snapshot_status: "ready",
      description_status: "ready",
      description: "A courier leaves a parcel at the door",
      lease_until: null,
    });
    const object = await env.EVENT_SNAPSHOTS.get(snapshotKey(device.id, msg.eventId));
    expect(object?.httpMetadata?.contentType).toBe("image/jpeg");
    const bytes = new Uint8Array(await object!.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    // The description is searchable: the index row got it through the trigger.
    const fts = await env.DB.prepare("SELECT description FROM camera_events_fts WHERE rowid = ?1").bind(row.seq).first<Json>();
    expect(fts!.description).toBe("A courier leaves a parcel at the door");
    // What the model was asked: the picture and the camera's detections.
    const asked = (await standin(AI, "stats")).lastInputs.filter((i: Json) => i.text.includes("package 0.91")).pop();
    expect(asked.image).toBeGreaterThan(100);
    expect(asked.text).toContain("labels: courier");
  });

  it("trial (no AI summaries): the snapshot is kept, no description is asked for", async () => {
    const { device } = await ownedCamera("ev-trial@example.com", { ownedForDays: 1 });
    const before = await visionCalls();
    const msg = eventMessage(device.aovisId, { type: "person", labels: [] });
    expect((await postEvent(msg)).status).toBe(202);
    const row = await waitForEvent(msg.eventId, done);
    expect(row).toMatchObject({ snapshot_status: "ready", description_status: "skipped", description: null });
    expect(await visionCalls()).toBe(before);
  });

  it("a camera without an owner still records events (they are the device's); nothing is described", async () => {
    const { device, cookie } = await ownedCamera("ev-unbound@example.com", { ownedForDays: 1 });
    const unbind = await (await import("../helpers/devices")).postJson(cookie, `/api/devices/${device.id}/unbind`);
    expect(unbind.status).toBe(200);
    const msg = eventMessage(device.aovisId, { type: "vehicle", labels: ["car"] });
    expect((await postEvent(msg)).status).toBe(202);
    expect(await waitForEvent(msg.eventId, done)).toMatchObject({ snapshot_status: "ready", description_status: "skipped" });
  });

  it("a failed model call is given back to the budget and retried by the cron, once, without a second picture", async () => {
    const { device } = await ownedCamera("ev-retry@example.com", { ownedForDays: 1, plan: "starter" });
    // A label of its own, so the injected fault can only hit this event (test files share the stand-in).
    const msg = eventMessage(device.aovisId, { type: "animal", labels: ["cat", "zz-retry-probe"] });
    await standin(AI, "faults", { count: 1, status: 503, match: "zz-retry-probe" });
    expect((await postEvent(msg)).status).toBe(202);
    const first = await waitForEvent(msg.eventId, (r) => r.snapshot_status === "ready" && r.description_attempts === 1);
    expect(first).toMatchObject({ description_status: "pending", description: null, lease_until: null });
    const usage = () => env.DB.prepare("SELECT used FROM ai_usage WHERE device_id = ?1 AND kind = 'description'").bind(device.id).first<Json>();
    expect((await usage())?.used ?? 0).toBe(0);
    const stats = async () => ((await standin(AWS, `stats?name=${device.aovisId}`)) as Json).calls.GetImages;
    const images = await stats();

    const report = await retryPendingEvents(depsFor(env), Date.now());
    expect(report.descriptionsReady).toBeGreaterThanOrEqual(1);
    expect(await eventRow(msg.eventId)).toMatchObject({ description_status: "ready", description: "A cat crosses the yard", description_attempts: 2 });
    expect((await usage())!.used).toBe(1);
    expect(await stats()).toBe(images); // the picture was already there
    // Nothing left to do for it: a second run doesn't touch it.
    expect((await enrichEvent(depsFor(env), msg.eventId)).claimed).toBe(false);
  });

  it("the camera's daily budget spent → over_budget, no model call", async () => {
    const { device } = await ownedCamera("ev-budget@example.com", { ownedForDays: 1, plan: "standard" });
    await env.DB.prepare("INSERT INTO ai_usage (device_id, day, kind, used, updated_at) VALUES (?1, ?2, 'description', ?3, 0)")
      .bind(device.id, budgetDay(Date.now()), AI_DESCRIPTIONS_PER_CAMERA_PER_DAY)
      .run();
    const before = await visionCalls();
    const msg = eventMessage(device.aovisId);
    expect((await postEvent(msg)).status).toBe(202);
    expect(await waitForEvent(msg.eventId, done)).toMatchObject({ snapshot_status: "ready", description_status: "over_budget" });
    expect(await visionCalls()).toBe(before);
  });

  it("no footage at the event's time (the camera was offline) → snapshot missing, description skipped", async () => {
    const { device } = await ownedCamera("ev-gap@example.com", { ownedForDays: 1, plan: "standard" });
    const at = Date.now() - 3 * 3600_000;
    await standin(AWS, "gaps", { stream: device.aovisId, start: at / 1000 - 60, end: at / 1000 + 60 });
    const msg = eventMessage(device.aovisId, { at });
    expect((await postEvent(msg)).status).toBe(202);
    expect(await waitForEvent(msg.eventId, done)).toMatchObject({ snapshot_status: "missing", description_status: "skipped" });
    expect(await env.EVENT_SNAPSHOTS.head(snapshotKey(device.id, msg.eventId))).toBeNull();
  });

  it("a held lease keeps a second worker off the event", async () => {
    const { device } = await ownedCamera("ev-lease@example.com", { ownedForDays: 1 });
    const id = await insertEvent(device.id, { at: Date.now() - 60_000, snapshot: "pending" });
    await env.DB.prepare("UPDATE camera_events SET description_status = 'pending', lease_until = ?1 WHERE id = ?2")
      .bind(Date.now() + 60_000, id)
      .run();
    expect((await enrichEvent(depsFor(env), id)).claimed).toBe(false);
    expect(await enrichEvent(depsFor(env), id, { now: () => Date.now() + 120_000 })).toMatchObject({ claimed: true, snapshotStatus: "ready" });
  });
});

describe("camera events: retention", () => {
  it("events older than the footage retention go, with their snapshots and index rows; newer ones stay", async () => {
    const { device } = await ownedCamera("ev-retention@example.com", { ownedForDays: 40 });
    const hours = Number(env.KVS_DATA_RETENTION_HOURS);
    const old = await insertEvent(device.id, { at: Date.now() - hours * 3600_000 - DAY, snapshot: "ready" });
    const fresh = await insertEvent(device.id, { at: Date.now() - DAY, snapshot: "ready" });
    for (const id of [old, fresh]) await env.EVENT_SNAPSHOTS.put(snapshotKey(device.id, id), new Uint8Array([0xff, 0xd8, 0xff]));
    const oldSeq = (await eventRow(old))!.seq;

    const report = await expireEvents(depsFor(env), Date.now());
    expect(report.eventsDeleted).toBeGreaterThanOrEqual(1);
    expect(await eventRow(old)).toBeNull();
    expect(await env.EVENT_SNAPSHOTS.head(snapshotKey(device.id, old))).toBeNull();
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM camera_events_fts WHERE rowid = ?1").bind(oldSeq).first<Json>()).toEqual({ n: 0 });
    expect(await eventRow(fresh)).not.toBeNull();
    expect(await env.EVENT_SNAPSHOTS.head(snapshotKey(device.id, fresh))).not.toBeNull();
  });
});
