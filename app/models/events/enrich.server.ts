/**
 * After an event's row is committed (ADR 015/016): its snapshot (KVS GetImages at the event's
 * time, kept in R2 under events/<device>/<event>.jpg) and then, when the camera's current owner
 * holds `ai_summary` and the camera's daily budget allows, a one-line description from the vision
 * model. Run right after ingestion (waitUntil) and by the cron for anything still pending.
 *
 * Idempotent: whoever works on an event first takes a lease on the row (one conditional UPDATE),
 * the R2 key is fixed per event, and every write is guarded by the status it expects, so a retry,
 * a second isolate or the cron can never duplicate a picture or pay for a description twice.
 */
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { cameraEvents, devices, entitlements, type CameraEvent } from "~/db/schema";
import { ENRICH_LEASE_MS, FOOTAGE_SETTLE_MS, MAX_DESCRIPTION_ATTEMPTS, MAX_SNAPSHOT_ATTEMPTS, snapshotKey } from "~/domain/camera-events";
import { DESCRIPTION_MAX_TOKENS, featureInForce, SNAPSHOT_HEIGHT, SNAPSHOT_WIDTH } from "~/domain/event-features";
import { localParts } from "~/domain/zoned-time";
import { getConfig } from "~/lib/config.server";
import { KvsError, kvsArchiveClientFromConfig, type KvsArchiveClient } from "~/lib/kvs.server";
import { log } from "~/lib/log.server";
import { WorkersAiError, workersAiFor } from "~/lib/workers-ai.server";
import type { Deps } from "../deps.server";
import { activeOwnerOf } from "../devices/reads.server";
import { kvsFor } from "../video/kvs-calls.server";
import { refundAi, reserveAi } from "./ai-budget.server";
import { cleanAnswer, DESCRIPTION_SYSTEM, descriptionPrompt } from "./prompts";
import { userTimeZone } from "./time-zone.server";

const archives = new WeakMap<object, KvsArchiveClient>();
function archiveFor(env: Env): KvsArchiveClient {
  let a = archives.get(env);
  if (!a) {
    a = kvsArchiveClientFromConfig(getConfig(env), kvsFor(env));
    archives.set(env, a);
  }
  return a;
}

type Claimed = CameraEvent & { stream: string };

/** Takes the event for ENRICH_LEASE_MS if it still needs work and nobody else holds it. */
async function claim({ db }: Deps, eventId: string, now: number): Promise<Claimed | null> {
  const [row] = await db
    .update(cameraEvents)
    .set({ leaseUntil: now + ENRICH_LEASE_MS })
    .where(
      and(
        eq(cameraEvents.id, eventId),
        or(eq(cameraEvents.snapshotStatus, "pending"), eq(cameraEvents.descriptionStatus, "pending")),
        or(isNull(cameraEvents.leaseUntil), lt(cameraEvents.leaseUntil, now)),
      ),
    )
    .returning();
  if (!row) return null;
  const [device] = await db.select({ stream: devices.kvsStreamName }).from(devices).where(eq(devices.id, row.deviceId)).limit(1);
  return device ? { ...row, stream: device.stream } : null;
}

type SnapshotStep = { status: CameraEvent["snapshotStatus"]; attempts: number; retrySoon: boolean };

/** One GetImages at the event's time (camera clock), the JPEG into R2. */
async function snapshotStep(deps: Deps, ev: Claimed, now: number): Promise<SnapshotStep> {
  const attempts = ev.snapshotAttempts + 1;
  const young = now - ev.at < FOOTAGE_SETTLE_MS;
  const again = (retrySoon: boolean): SnapshotStep => ({ status: attempts >= MAX_SNAPSHOT_ATTEMPTS && !young ? "failed" : "pending", attempts, retrySoon });
  try {
    const start = ev.at / 1000;
    const page = await archiveFor(deps.env).getImages(ev.stream, {
      start,
      end: start + 1,
      samplingIntervalMs: 1000,
      selectorType: "PRODUCER_TIMESTAMP",
      format: "JPEG",
      jpegQuality: 80,
      width: SNAPSHOT_WIDTH,
      height: SNAPSHOT_HEIGHT,
      maxResults: 1,
    });
    const image = page.images[0];
    if (image?.ImageContent) {
      const bytes = Uint8Array.from(atob(image.ImageContent), (c) => c.charCodeAt(0));
      await deps.env.EVENT_SNAPSHOTS.put(snapshotKey(ev.deviceId, ev.id), bytes, {
        httpMetadata: { contentType: "image/jpeg" },
        customMetadata: { eventId: ev.id, deviceId: ev.deviceId },
      });
      return { status: "ready", attempts, retrySoon: false };
    }
    // NO_MEDIA: KVS has nothing at that moment. A fragment becomes readable only once complete,
    // so a young event is tried again; an old one was simply not recorded (the camera was offline).
    if (!image || image.Error === "NO_MEDIA")
      return young ? { status: "pending", attempts, retrySoon: true } : { status: "missing", attempts, retrySoon: false };
    return again(false);
  } catch (err) {
    const code = err instanceof KvsError ? err.code : err instanceof Error ? err.name : "Error";
    log("warn", "event_snapshot_failed", { eventId: ev.id, code, error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    // No stream, no retention: nothing will ever be there.
    if (code === "ResourceNotFoundException" || code === "NoDataRetentionException") return { status: "missing", attempts, retrySoon: false };
    return again(false);
  }
}

type DescriptionStep = { status: CameraEvent["descriptionStatus"]; attempts: number; description: string | null };

/** Whether the camera's current owner holds ai_summary now (events belong to the camera; the feature to its owner). */
async function ownerHasAi(deps: Deps, deviceId: string, now: number): Promise<boolean> {
  const owner = await activeOwnerOf(deps, deviceId);
  if (!owner) return false;
  const rows = await deps.db
    .select()
    .from(entitlements)
    .where(
      and(eq(entitlements.deviceId, deviceId), eq(entitlements.userId, owner.userId), eq(entitlements.key, "ai_summary"), eq(entitlements.status, "ACTIVE")),
    );
  return featureInForce(rows, "ai_summary", now);
}

async function descriptionStep(deps: Deps, ev: Claimed, snapshot: CameraEvent["snapshotStatus"], now: number): Promise<DescriptionStep> {
  const keep = { status: ev.descriptionStatus, attempts: ev.descriptionAttempts, description: ev.description };
  if (ev.descriptionStatus !== "pending") return keep;
  if (snapshot === "pending") return keep; // the picture first
  if (snapshot !== "ready" || !(await ownerHasAi(deps, ev.deviceId, now))) return { ...keep, status: "skipped" };
  const object = await deps.env.EVENT_SNAPSHOTS.get(snapshotKey(ev.deviceId, ev.id));
  if (!object) return { ...keep, status: "skipped" };
  const image = new Uint8Array(await object.arrayBuffer());
  const reservation = await reserveAi(deps, ev.deviceId, "description", now);
  if (!reservation) return { ...keep, status: "over_budget" };
  const attempts = ev.descriptionAttempts + 1;
  try {
    const owner = await activeOwnerOf(deps, ev.deviceId);
    const tz = owner ? await userTimeZone(deps, owner.userId) : "UTC";
    const p = localParts(ev.at, tz);
    const localTime = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
    const cfg = getConfig(deps.env);
    const answer = await workersAiFor(deps.env).generate(cfg.WORKERS_AI_VISION_MODEL, {
      system: DESCRIPTION_SYSTEM,
      prompt: descriptionPrompt({ type: ev.type, confidence: ev.confidence, labels: ev.cameraLabels.split(" ").filter(Boolean), localTime }),
      maxTokens: DESCRIPTION_MAX_TOKENS,
      image,
    });
    const description = cleanAnswer(answer, 200);
    if (!description) throw new WorkersAiError(200, -1, "empty description");
    return { status: "ready", attempts, description };
  } catch (err) {
    await refundAi(deps, reservation, now);
    log("warn", "event_description_failed", {
      eventId: ev.id,
      status: err instanceof WorkersAiError ? err.status : null,
      code: err instanceof WorkersAiError ? err.code : null,
      error: err instanceof Error ? err.message.slice(0, 300) : String(err),
    });
    const retryable = !(err instanceof WorkersAiError) || err.retryable;
    return { status: retryable && attempts < MAX_DESCRIPTION_ATTEMPTS ? "pending" : "failed", attempts, description: null };
  }
}

export interface EnrichOutcome {
  eventId: string;
  claimed: boolean;
  snapshotStatus?: CameraEvent["snapshotStatus"];
  descriptionStatus?: CameraEvent["descriptionStatus"];
}

export interface EnrichOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Waits for a young event's footage (after ingestion); the cron passes 0. */
  settleTries?: number;
  requestId?: string | null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** How long to wait for a fragment to become readable before asking again (fragments are a few seconds). */
const SETTLE_WAIT_MS = 4000;

/** Snapshot then description for one event, once; the lease is released with the outcome. */
export async function enrichEvent(deps: Deps, eventId: string, opts: EnrichOptions = {}): Promise<EnrichOutcome> {
  const clock = opts.now ?? Date.now;
  const ev = await claim(deps, eventId, clock());
  if (!ev) return { eventId, claimed: false };
  let snap: SnapshotStep = { status: ev.snapshotStatus, attempts: ev.snapshotAttempts, retrySoon: false };
  try {
    if (ev.snapshotStatus === "pending") {
      snap = await snapshotStep(deps, ev, clock());
      for (let i = 0; snap.retrySoon && i < (opts.settleTries ?? 0); i++) {
        await (opts.sleep ?? realSleep)(SETTLE_WAIT_MS);
        snap = await snapshotStep(deps, { ...ev, snapshotAttempts: snap.attempts }, clock());
      }
    }
    const desc = await descriptionStep(deps, ev, snap.status, clock());
    await deps.db
      .update(cameraEvents)
      .set({
        snapshotStatus: snap.status,
        snapshotAttempts: snap.attempts,
        descriptionStatus: desc.status,
        descriptionAttempts: desc.attempts,
        description: desc.description,
        leaseUntil: null,
      })
      .where(eq(cameraEvents.id, ev.id));
    return { eventId, claimed: true, snapshotStatus: snap.status, descriptionStatus: desc.status };
  } catch (err) {
    // Unexpected (D1, R2): leave the statuses for the cron, but free the row now.
    await deps.db.update(cameraEvents).set({ leaseUntil: null }).where(eq(cameraEvents.id, ev.id));
    log("error", "event_enrich_failed", { requestId: opts.requestId, eventId, error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    return { eventId, claimed: true };
  }
}

/** Right after ingestion: waits a few seconds for the footage of a just-happened event. Never throws. */
export async function enrichEventSoon(deps: Deps, eventId: string, opts: EnrichOptions = {}): Promise<EnrichOutcome> {
  try {
    return await enrichEvent(deps, eventId, { settleTries: 3, ...opts });
  } catch (err) {
    log("error", "event_enrich_failed", { requestId: opts.requestId, eventId, error: err instanceof Error ? err.message : String(err) });
    return { eventId, claimed: false };
  }
}

/** Events the cron should (re)try: still pending, nobody holding them, oldest first. */
export async function pendingEventIds({ db }: Deps, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: cameraEvents.id })
    .from(cameraEvents)
    .where(
      and(
        // Literals, not bound values: SQLite uses the partial index camera_events_pending_idx only
        // when the query repeats its condition as written.
        sql`(${cameraEvents.snapshotStatus} = 'pending' OR ${cameraEvents.descriptionStatus} = 'pending')`,
        or(isNull(cameraEvents.leaseUntil), lt(cameraEvents.leaseUntil, now)),
      ),
    )
    .orderBy(cameraEvents.receivedAt)
    .limit(limit);
  return rows.map((r) => r.id);
}
