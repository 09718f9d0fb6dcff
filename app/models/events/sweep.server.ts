/**
 * The cron's work on camera events (ADR 015): retry what is still pending (snapshots and
 * descriptions whose first try failed or found no footage yet), and age events out with the
 * footage they point at (KVS_DATA_RETENTION_HOURS): R2 snapshots first, then the rows (and, by
 * trigger, their index entries), in bounded batches so one run never outgrows its limits.
 */
import { inArray, lt } from "drizzle-orm";
import { aiUsage, cameraEvents, eventSummaries } from "~/db/schema";
import { seqRange, snapshotKey } from "~/domain/camera-events";
import { budgetDay } from "~/domain/event-features";
import { getConfig } from "~/lib/config.server";
import type { Deps } from "../deps.server";
import { enrichEvent, pendingEventIds } from "./enrich.server";

/** Events retried per cron run: each costs up to a GetImages, an R2 write and a model call. */
export const ENRICH_PER_RUN = 25;
export const EXPIRE_BATCH = 200;
export const EXPIRE_BATCHES_PER_RUN = 10;
/** Budget rows are only read for today; a week is plenty for support questions. */
const AI_USAGE_KEEP_DAYS = 7;
const DAY_MS = 24 * 3600_000;

export async function retryPendingEvents(deps: Deps, now: number): Promise<Record<string, number>> {
  const ids = await pendingEventIds(deps, now, ENRICH_PER_RUN);
  const out = { tried: 0, snapshotsReady: 0, descriptionsReady: 0, stillPending: 0 };
  for (const id of ids) {
    const r = await enrichEvent(deps, id, { now: () => now, settleTries: 0 });
    if (!r.claimed) continue;
    out.tried++;
    if (r.snapshotStatus === "ready") out.snapshotsReady++;
    if (r.descriptionStatus === "ready") out.descriptionsReady++;
    if (r.snapshotStatus === "pending" || r.descriptionStatus === "pending") out.stillPending++;
  }
  return out;
}

export async function expireEvents(deps: Deps, now: number): Promise<Record<string, number>> {
  const { db, env } = deps;
  const cutoff = now - getConfig(env).KVS_DATA_RETENTION_HOURS * 3600_000;
  const below = seqRange(cutoff, cutoff).lo;
  let events = 0;
  let snapshots = 0;
  for (let batch = 0; batch < EXPIRE_BATCHES_PER_RUN; batch++) {
    const rows = await db
      .select({ seq: cameraEvents.seq, id: cameraEvents.id, deviceId: cameraEvents.deviceId, snapshotStatus: cameraEvents.snapshotStatus })
      .from(cameraEvents)
      .where(lt(cameraEvents.seq, below))
      .orderBy(cameraEvents.seq)
      .limit(EXPIRE_BATCH);
    if (rows.length === 0) break;
    const keys = rows.filter((r) => r.snapshotStatus === "ready").map((r) => snapshotKey(r.deviceId, r.id));
    // The objects first: a row is only deleted once nothing is left that points at it.
    if (keys.length) await env.EVENT_SNAPSHOTS.delete(keys);
    await db.delete(cameraEvents).where(
      inArray(
        cameraEvents.seq,
        rows.map((r) => r.seq),
      ),
    );
    events += rows.length;
    snapshots += keys.length;
    if (rows.length < EXPIRE_BATCH) break;
  }
  const [summaries, usage] = await db.batch([
    db.delete(eventSummaries).where(lt(eventSummaries.date, budgetDay(cutoff - DAY_MS))),
    db.delete(aiUsage).where(lt(aiUsage.day, budgetDay(now - AI_USAGE_KEEP_DAYS * DAY_MS))),
  ]);
  return { eventsDeleted: events, snapshotsDeleted: snapshots, summariesDeleted: summaries.meta.changes ?? 0, aiUsageDeleted: usage.meta.changes ?? 0 };
}
