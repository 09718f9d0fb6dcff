/**
 * Who may play what (ADR 010): the device and the facts of its access window, only for its current
 * owner; the range gate every history request passes; and the per-stream pacing every KVS call from
 * a request goes through. The rule itself lives in app/domain/cloud-access-window.ts; this module
 * gathers its facts (this user's entitlements on this device, the start of this user's ownership).
 */
import { and, eq } from "drizzle-orm";
import { entitlements, type Device, type Entitlement } from "~/db/schema";
import { checkRange, MAX_CLIP_SPAN_MS, splitClipRange, type EntitlementLike, type TimeWindow } from "~/domain/cloud-access-window";
import { cloudPlanBySku } from "~/domain/plans";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { KVS_PACING_WINDOW_MS, KVS_TPS_PER_STREAM } from "~/domain/video-limits";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import type { Actor, Deps } from "../deps.server";
import { getOwnedDevice } from "../devices/reads.server";

export function toEntitlementLike(row: Entitlement): EntitlementLike {
  return {
    key: row.key,
    quota: row.quota,
    status: row.status,
    startsAt: row.startsAt,
    expiresAt: row.expiresAt,
    source: row.source,
    planCode: row.source === "trial" ? "trial" : (cloudPlanBySku(row.sku)?.code ?? null),
  };
}

export interface PlaybackContext {
  device: Device;
  ownershipStartedAt: number;
  /** What this owner calls the camera (null: unnamed). */
  cameraName: string | null;
  entitlements: EntitlementLike[];
}

export type NoSuchDevice = Refusal<"not_found", { subject: "device" }>;

/**
 * The device and the facts of its access window, only for its current owner; anyone else (someone
 * else's device, an unknown id) is the same not_found, so ids reveal nothing. Entitlements are this
 * user's on this device: a previous owner's plan never opens anything for the new owner.
 */
export async function ownedPlayback(deps: Deps, deviceId: string, actor: Pick<Actor, "user">): Promise<Ok<{ playback: PlaybackContext }> | NoSuchDevice> {
  const owned = await getOwnedDevice(deps, deviceId, actor.user.id);
  if (!owned) return refuse("not_found", { subject: "device" as const });
  const rows = await deps.db
    .select()
    .from(entitlements)
    .where(
      and(
        eq(entitlements.deviceId, deviceId),
        eq(entitlements.userId, actor.user.id),
        eq(entitlements.key, "cloud_playback"),
        eq(entitlements.status, "ACTIVE"),
      ),
    );
  return ok({
    playback: {
      device: owned.device,
      ownershipStartedAt: owned.ownership.startedAt,
      cameraName: owned.ownership.name,
      entitlements: rows.map(toEntitlementLike),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The range gate

/** Times as the API shows them (ISO-8601, UTC). */
export interface IsoWindow {
  start: string;
  end: string;
}
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoWindow = (w: TimeWindow): IsoWindow => ({ start: iso(w.start), end: iso(w.end) });

export type RangeRefusal =
  | Refusal<"invalid_range">
  | Refusal<"no_cloud_entitlement">
  | Refusal<"time_range_exceeds_entitlement", { window: IsoWindow; reason: "plan_limit" | "before_ownership" }>
  | Refusal<"range_too_long", { maxSeconds: number; parts: IsoWindow[] }>;

/**
 * The window check, then KVS's 24 h cap. Order matters: a range outside the entitlement is refused
 * as such even if it is also too long, so nobody learns anything from the length error.
 */
export function gateRange(playback: PlaybackContext, start: number, end: number, now: number): Ok<{ range: TimeWindow; window: TimeWindow }> | RangeRefusal {
  const r = checkRange({ entitlements: playback.entitlements, ownershipStartedAt: playback.ownershipStartedAt, now, start, end });
  if (!r.ok) {
    if (r.error === "time_range_exceeds_entitlement") return refuse(r.error, { window: isoWindow(r.window), reason: r.reason });
    return refuse(r.error);
  }
  if (r.range.end - r.range.start > MAX_CLIP_SPAN_MS) {
    return refuse("range_too_long", { maxSeconds: MAX_CLIP_SPAN_MS / 1000, parts: splitClipRange(r.range.start, r.range.end).map(isoWindow) });
  }
  return ok({ range: r.range, window: r.window });
}

// ---------------------------------------------------------------------------------------------
// Pacing

export type PacedApi = "GetClip" | "GetHLSStreamingSessionURL" | "ListFragments" | "GetImages";
export type VideoRateLimited = Refusal<"rate_limited", { limit: "video"; retryAfterSeconds: number }>;

/**
 * A fixed window per stream and API in D1, so all isolates together stay under KVS's TPS instead
 * of collecting ClientLimitExceededExceptions.
 */
export async function paceStream({ db }: Deps, api: PacedApi, stream: string, now: number): Promise<Ok | VideoRateLimited> {
  const r = await reserveRateLimit(db, `kvs:${api}:${stream}`, { limit: KVS_TPS_PER_STREAM, windowMs: KVS_PACING_WINDOW_MS, now });
  return r.ok ? ok() : refuse("rate_limited", { limit: "video" as const, retryAfterSeconds: r.retryAfterSeconds });
}

/** How often a patient caller asks the pacer again while the stream's window is full. */
const PACE_RETRY_MS = 150;

/**
 * Waits for a slot of the per-stream pacer until `deadline` (Unix ms): for calls a page makes many
 * of at once (thumbnails, timeline pages), where a short wait beats a 429 the browser can't retry.
 */
export async function paceStreamPatiently(deps: Deps, api: PacedApi, stream: string, deadline: number): Promise<Ok | VideoRateLimited> {
  for (;;) {
    const paced = await paceStream(deps, api, stream, Date.now());
    if (paced.ok || Date.now() + PACE_RETRY_MS > deadline) return paced;
    await new Promise((r) => setTimeout(r, PACE_RETRY_MS));
  }
}
