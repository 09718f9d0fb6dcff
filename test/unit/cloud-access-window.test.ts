import { describe, expect, it } from "vitest";
import {
  accessWindow,
  checkRange,
  CLOCK_SKEW_MS,
  DAY_MS,
  type EntitlementLike,
  MAX_CLIP_SPAN_MS,
  resolvePlaybackQuota,
  splitClipRange,
} from "~/domain/cloud-access-window";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 60 * 60 * 1000;

const ent = (over: Partial<EntitlementLike> = {}): EntitlementLike => ({
  key: "cloud_playback",
  quota: 7,
  status: "ACTIVE",
  startsAt: NOW - 3 * DAY_MS,
  expiresAt: NOW + 27 * DAY_MS,
  source: "stripe",
  planCode: "standard",
  ...over,
});
const trial = (over: Partial<EntitlementLike> = {}) => ent({ quota: 1, source: "trial", planCode: null, ...over });
const LONG_AGO = NOW - 365 * DAY_MS;

describe("resolvePlaybackQuota", () => {
  it("is null without any cloud_playback entitlement", () => {
    expect(resolvePlaybackQuota([], NOW)).toBeNull();
    expect(resolvePlaybackQuota([ent({ key: "ai_summary", quota: null }), ent({ key: "smart_search", quota: 30 })], NOW)).toBeNull();
  });

  it("the highest quota in force wins: Standard 7 beats the 1-day trial, Premium 30 beats both", () => {
    expect(resolvePlaybackQuota([trial(), ent()], NOW)).toEqual({ days: 7, source: "stripe", planCode: "standard" });
    expect(resolvePlaybackQuota([ent(), trial(), ent({ quota: 30, planCode: "premium" })], NOW)).toEqual({ days: 30, source: "stripe", planCode: "premium" });
    expect(resolvePlaybackQuota([trial()], NOW)).toEqual({ days: 1, source: "trial", planCode: null });
  });

  it("ignores EXPIRED and CANCELLED rows and rows past expiresAt even if still marked ACTIVE", () => {
    expect(resolvePlaybackQuota([ent({ status: "EXPIRED" }), trial()], NOW)?.days).toBe(1);
    expect(resolvePlaybackQuota([ent({ status: "CANCELLED", quota: 30 }), trial()], NOW)?.days).toBe(1);
    expect(resolvePlaybackQuota([ent({ expiresAt: NOW - 1 }), trial()], NOW)?.days).toBe(1);
  });

  it("expiresAt is exclusive and startsAt inclusive", () => {
    expect(resolvePlaybackQuota([ent({ expiresAt: NOW })], NOW)).toBeNull();
    expect(resolvePlaybackQuota([ent({ expiresAt: NOW + 1 })], NOW)?.days).toBe(7);
    expect(resolvePlaybackQuota([ent({ startsAt: NOW })], NOW)?.days).toBe(7);
    expect(resolvePlaybackQuota([ent({ startsAt: NOW + 1 })], NOW)).toBeNull();
    expect(resolvePlaybackQuota([ent({ expiresAt: null })], NOW)?.days).toBe(7);
  });

  it("ignores rows without a positive quota", () => {
    expect(resolvePlaybackQuota([ent({ quota: null }), ent({ quota: 0 }), ent({ quota: -3 })], NOW)).toBeNull();
  });

  it("on equal quotas names the paid plan rather than the trial, whatever the order", () => {
    const a = [trial(), ent({ quota: 1, planCode: "starter" })];
    expect(resolvePlaybackQuota(a, NOW)).toEqual({ days: 1, source: "stripe", planCode: "starter" });
    expect(resolvePlaybackQuota([...a].reverse(), NOW)).toEqual({ days: 1, source: "stripe", planCode: "starter" });
  });
});

describe("accessWindow", () => {
  it("no entitlement → no_cloud_entitlement", () => {
    expect(accessWindow({ entitlements: [ent({ status: "EXPIRED" })], ownershipStartedAt: LONG_AGO, now: NOW })).toEqual({
      ok: false,
      error: "no_cloud_entitlement",
    });
  });

  it("long-time owner: the plan limits (Standard = 7 days back from now)", () => {
    expect(accessWindow({ entitlements: [ent()], ownershipStartedAt: LONG_AGO, now: NOW })).toEqual({
      ok: true,
      window: { start: NOW - 7 * DAY_MS, end: NOW },
      quotaDays: 7,
      limitedBy: "plan",
    });
  });

  it("trial gives exactly one day", () => {
    const r = accessWindow({ entitlements: [trial()], ownershipStartedAt: LONG_AGO, now: NOW });
    expect(r).toMatchObject({ ok: true, window: { start: NOW - DAY_MS, end: NOW }, quotaDays: 1 });
  });

  it("new owner: ownership later than the plan window limits (never the previous owner's footage)", () => {
    const owned = NOW - 2 * DAY_MS;
    expect(accessWindow({ entitlements: [ent()], ownershipStartedAt: owned, now: NOW })).toEqual({
      ok: true,
      window: { start: owned, end: NOW },
      quotaDays: 7,
      limitedBy: "ownership",
    });
  });

  it("ownership starting exactly at the plan edge counts as the plan limiting", () => {
    const r = accessWindow({ entitlements: [ent()], ownershipStartedAt: NOW - 7 * DAY_MS, now: NOW });
    expect(r).toMatchObject({ ok: true, window: { start: NOW - 7 * DAY_MS }, limitedBy: "plan" });
  });

  it("an ownership in the future yields an empty window, never start > end", () => {
    const r = accessWindow({ entitlements: [ent()], ownershipStartedAt: NOW + HOUR, now: NOW });
    expect(r).toMatchObject({ ok: true, window: { start: NOW, end: NOW }, limitedBy: "ownership" });
  });
});

describe("checkRange", () => {
  const base = { entitlements: [ent()], ownershipStartedAt: LONG_AGO, now: NOW };

  it("accepts a range inside the window and returns it", () => {
    expect(checkRange({ ...base, start: NOW - 3 * DAY_MS, end: NOW - 2 * DAY_MS })).toEqual({
      ok: true,
      window: { start: NOW - 7 * DAY_MS, end: NOW },
      quotaDays: 7,
      range: { start: NOW - 3 * DAY_MS, end: NOW - 2 * DAY_MS },
    });
  });

  it("accepts a start exactly at the window edge, rejects one millisecond earlier with plan_limit", () => {
    expect(checkRange({ ...base, start: NOW - 7 * DAY_MS, end: NOW - 6 * DAY_MS }).ok).toBe(true);
    expect(checkRange({ ...base, start: NOW - 7 * DAY_MS - 1, end: NOW - 6 * DAY_MS })).toEqual({
      ok: false,
      error: "time_range_exceeds_entitlement",
      window: { start: NOW - 7 * DAY_MS, end: NOW },
      reason: "plan_limit",
    });
  });

  it("trial 1 day vs Standard 7 days for the same request three days back", () => {
    const req = { start: NOW - 3 * DAY_MS, end: NOW - 3 * DAY_MS + HOUR };
    expect(checkRange({ ...base, entitlements: [trial()], ...req })).toMatchObject({ ok: false, reason: "plan_limit", window: { start: NOW - DAY_MS } });
    expect(checkRange({ ...base, entitlements: [trial(), ent()], ...req }).ok).toBe(true);
  });

  it("before the ownership start: before_ownership, also when it is outside the plan window too", () => {
    const owned = NOW - 2 * DAY_MS;
    expect(checkRange({ ...base, ownershipStartedAt: owned, start: owned - 1, end: owned + HOUR })).toEqual({
      ok: false,
      error: "time_range_exceeds_entitlement",
      window: { start: owned, end: NOW },
      reason: "before_ownership",
    });
    expect(checkRange({ ...base, ownershipStartedAt: owned, start: NOW - 10 * DAY_MS, end: NOW - 9 * DAY_MS })).toMatchObject({
      ok: false,
      reason: "before_ownership",
    });
    expect(checkRange({ ...base, ownershipStartedAt: owned, start: owned, end: owned + HOUR }).ok).toBe(true);
  });

  it("owner for 10 days on a 7-day plan: 8 days back is plan_limit (an upgrade would help)", () => {
    expect(checkRange({ ...base, ownershipStartedAt: NOW - 10 * DAY_MS, start: NOW - 8 * DAY_MS, end: NOW - 7.5 * DAY_MS })).toMatchObject({
      ok: false,
      reason: "plan_limit",
    });
  });

  it("an expired entitlement is ignored → no_cloud_entitlement", () => {
    expect(checkRange({ ...base, entitlements: [ent({ expiresAt: NOW - 1 })], start: NOW - HOUR, end: NOW })).toEqual({
      ok: false,
      error: "no_cloud_entitlement",
    });
  });

  it("invalid ranges: start ≥ end, non-finite, end beyond the clock skew", () => {
    expect(checkRange({ ...base, start: NOW - HOUR, end: NOW - HOUR })).toEqual({ ok: false, error: "invalid_range" });
    expect(checkRange({ ...base, start: NOW - HOUR, end: NOW - 2 * HOUR })).toEqual({ ok: false, error: "invalid_range" });
    expect(checkRange({ ...base, start: Number.NaN, end: NOW })).toEqual({ ok: false, error: "invalid_range" });
    expect(checkRange({ ...base, start: NOW - HOUR, end: NOW + CLOCK_SKEW_MS + 1 })).toEqual({ ok: false, error: "invalid_range" });
    // invalid input is reported as such even without an entitlement
    expect(checkRange({ ...base, entitlements: [], start: NOW, end: NOW - 1 })).toEqual({ ok: false, error: "invalid_range" });
  });

  it("an end slightly in the future (within the skew) is clamped to now", () => {
    const r = checkRange({ ...base, start: NOW - HOUR, end: NOW + CLOCK_SKEW_MS });
    expect(r).toMatchObject({ ok: true, range: { start: NOW - HOUR, end: NOW } });
    // …but a start at/after now leaves nothing to watch
    expect(checkRange({ ...base, start: NOW, end: NOW + 1000 })).toEqual({ ok: false, error: "invalid_range" });
  });
});

describe("splitClipRange", () => {
  it("keeps a range of at most 24 h whole", () => {
    expect(splitClipRange(0, MAX_CLIP_SPAN_MS)).toEqual([{ start: 0, end: MAX_CLIP_SPAN_MS }]);
    expect(splitClipRange(5, 10)).toEqual([{ start: 5, end: 10 }]);
  });

  it("cuts longer ranges into consecutive pieces of at most 24 h that cover it exactly", () => {
    const start = NOW - 7 * DAY_MS + 123;
    const pieces = splitClipRange(start, NOW);
    expect(pieces).toHaveLength(7);
    expect(pieces[0].start).toBe(start);
    expect(pieces[pieces.length - 1].end).toBe(NOW);
    for (let i = 0; i < pieces.length; i++) {
      expect(pieces[i].end - pieces[i].start).toBeLessThanOrEqual(MAX_CLIP_SPAN_MS);
      expect(pieces[i].end).toBeGreaterThan(pieces[i].start);
      if (i > 0) expect(pieces[i].start).toBe(pieces[i - 1].end);
    }
    expect(splitClipRange(0, MAX_CLIP_SPAN_MS + 1)).toEqual([
      { start: 0, end: MAX_CLIP_SPAN_MS },
      { start: MAX_CLIP_SPAN_MS, end: MAX_CLIP_SPAN_MS + 1 },
    ]);
  });

  it("empty for an empty or reversed range; other units with maxSpan", () => {
    expect(splitClipRange(10, 10)).toEqual([]);
    expect(splitClipRange(10, 5)).toEqual([]);
    expect(splitClipRange(0, 100_000, 86_400)).toEqual([
      { start: 0, end: 86_400 },
      { start: 86_400, end: 100_000 },
    ]);
    expect(() => splitClipRange(0, 1, 0)).toThrow(RangeError);
  });
});
