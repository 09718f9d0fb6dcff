/**
 * Which stretch of cloud history a user may watch on a device. Pure: no I/O, times in Unix ms.
 *
 * KVS keeps the same long retention for every stream (see kvs-retention.ts); the plan and the
 * ownership only decide how far back *this user* may look:
 *   window = [max(now − quotaDays·24 h, start of this user's current ownership), now]
 * so a new owner never sees the previous owner's footage, and a downgrade shrinks the view at once.
 */

import { entitlementInForce } from "./entitlement";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** KVS GetClip serves at most 24 h per call. */
export const MAX_CLIP_SPAN_MS = DAY_MS;
/** How far in the future a requested end may be (client clocks drift); it is clamped to now. */
export const CLOCK_SKEW_MS = 60 * 1000;

export type EntitlementStatus = "ACTIVE" | "EXPIRED" | "CANCELLED";

export interface EntitlementLike {
  key: string;
  /** For cloud_playback: days of history. */
  quota: number | null;
  status: EntitlementStatus;
  startsAt: number;
  expiresAt: number | null;
  source: "trial" | "stripe";
  planCode?: string | null;
}

export interface PlaybackQuota {
  days: number;
  source: "trial" | "stripe";
  planCode: string | null;
}

export interface TimeWindow {
  start: number;
  end: number;
}

export type AccessWindowResult =
  { ok: true; window: TimeWindow; quotaDays: number; limitedBy: "plan" | "ownership" } | { ok: false; error: "no_cloud_entitlement" };

export type RangeCheckResult =
  | { ok: true; window: TimeWindow; quotaDays: number; range: TimeWindow }
  | { ok: false; error: "time_range_exceeds_entitlement"; window: TimeWindow; reason: "plan_limit" | "before_ownership" }
  | { ok: false; error: "no_cloud_entitlement" }
  | { ok: false; error: "invalid_range" };

/**
 * The highest cloud_playback quota in force at `now`, or null. Entitlements without a positive
 * quota grant no history and are ignored. On a tie a paid (stripe) grant wins over the trial, so
 * the UI names the plan the user pays for.
 */
export function resolvePlaybackQuota(entitlements: readonly EntitlementLike[], now: number): PlaybackQuota | null {
  let best: EntitlementLike | null = null;
  for (const e of entitlements) {
    if (e.key !== "cloud_playback" || !entitlementInForce(e, now)) continue;
    if (typeof e.quota !== "number" || !Number.isFinite(e.quota) || e.quota <= 0) continue;
    if (!best || e.quota > best.quota! || (e.quota === best.quota && best.source === "trial" && e.source === "stripe")) best = e;
  }
  return best ? { days: best.quota!, source: best.source, planCode: best.planCode ?? null } : null;
}

export function accessWindow(input: { entitlements: readonly EntitlementLike[]; ownershipStartedAt: number; now: number }): AccessWindowResult {
  const { entitlements, ownershipStartedAt, now } = input;
  const quota = resolvePlaybackQuota(entitlements, now);
  if (!quota) return { ok: false, error: "no_cloud_entitlement" };
  const planStart = now - quota.days * DAY_MS;
  const limitedBy = ownershipStartedAt > planStart ? "ownership" : "plan";
  // An ownership that starts in the future (clock trouble) gives an empty window, never a negative one.
  const start = Math.min(Math.max(planStart, ownershipStartedAt), now);
  return { ok: true, window: { start, end: now }, quotaDays: quota.days, limitedBy };
}

/**
 * Checks a requested [start, end] against the window. An end up to CLOCK_SKEW_MS in the future
 * is clamped to now (returned in `range`); further ahead, or start ≥ end, is invalid_range.
 * A start before the ownership says before_ownership (a bigger plan would not help); a start
 * before the plan window only says plan_limit (an upgrade would).
 */
export function checkRange(input: {
  entitlements: readonly EntitlementLike[];
  ownershipStartedAt: number;
  now: number;
  start: number;
  end: number;
}): RangeCheckResult {
  const { start, end, now, ownershipStartedAt } = input;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end || end > now + CLOCK_SKEW_MS) {
    return { ok: false, error: "invalid_range" };
  }
  const access = accessWindow(input);
  if (!access.ok) return access;
  const { window } = access;
  if (start < window.start) {
    return { ok: false, error: "time_range_exceeds_entitlement", window, reason: start < ownershipStartedAt ? "before_ownership" : "plan_limit" };
  }
  const clampedEnd = Math.min(end, now);
  if (clampedEnd <= start) return { ok: false, error: "invalid_range" };
  return { ok: true, window, quotaDays: access.quotaDays, range: { start, end: clampedEnd } };
}

/**
 * Cuts [start, end] into consecutive pieces of at most `maxSpan` (default 24 h, GetClip's cap).
 * Empty when start ≥ end. Works in any unit as long as `maxSpan` is in the same one.
 */
export function splitClipRange(start: number, end: number, maxSpan: number = MAX_CLIP_SPAN_MS): TimeWindow[] {
  if (!(maxSpan > 0)) throw new RangeError("maxSpan must be positive");
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) return [];
  const out: TimeWindow[] = [];
  for (let s = start; s < end; s += maxSpan) out.push({ start: s, end: Math.min(s + maxSpan, end) });
  return out;
}
