import { describe, expect, it } from "vitest";
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS, judgeSession, kvTtlSeconds, RENEW_AFTER_MS, safeReturnTo } from "~/domain/session-policy";

const t0 = 1_800_000_000_000;
const rec = (over: Partial<{ epoch: number; createdAt: number; lastSeenAt: number }> = {}) => ({
  userId: "u",
  epoch: 0,
  createdAt: t0,
  lastSeenAt: t0,
  ...over,
});

describe("judgeSession", () => {
  it("accepts a fresh session without renewing, and renews after a minute", () => {
    expect(judgeSession(rec(), { now: t0 + 1000, userEpoch: 0, revoked: false })).toEqual({ valid: true, renew: false });
    expect(judgeSession(rec(), { now: t0 + RENEW_AFTER_MS, userEpoch: 0, revoked: false })).toEqual({ valid: true, renew: true });
  });
  it("refuses at the idle timeout, the absolute lifetime, a new epoch, a revocation or a missing user", () => {
    expect(judgeSession(rec(), { now: t0 + IDLE_TIMEOUT_MS, userEpoch: 0, revoked: false })).toEqual({ valid: false, reason: "idle_timeout" });
    expect(judgeSession(rec({ lastSeenAt: t0 + ABSOLUTE_LIFETIME_MS - 1 }), { now: t0 + ABSOLUTE_LIFETIME_MS, userEpoch: 0, revoked: false })).toEqual({
      valid: false,
      reason: "absolute_timeout",
    });
    expect(judgeSession(rec(), { now: t0, userEpoch: 1, revoked: false })).toEqual({ valid: false, reason: "epoch_mismatch" });
    expect(judgeSession(rec(), { now: t0, userEpoch: 0, revoked: true })).toEqual({ valid: false, reason: "revoked" });
    expect(judgeSession(rec(), { now: t0, userEpoch: null, revoked: false })).toEqual({ valid: false, reason: "user_missing" });
  });
  it("KV TTL ends at idle expiry, never past the absolute lifetime, never under KV's 60 s minimum", () => {
    expect(kvTtlSeconds(rec(), t0)).toBe(IDLE_TIMEOUT_MS / 1000);
    expect(kvTtlSeconds(rec(), t0 + ABSOLUTE_LIFETIME_MS - 120_000)).toBe(120);
    expect(kvTtlSeconds(rec(), t0 + ABSOLUTE_LIFETIME_MS - 1000)).toBe(60);
  });
});

describe("safeReturnTo", () => {
  it("keeps our own paths with query and hash", () => {
    expect(safeReturnTo("/account/devices?tab=1#x")).toBe("/account/devices?tab=1#x");
  });
  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil.example", "javascript:alert(1)", "account", "/\u0000x", "", null])(
    "refuses %j",
    (v) => {
      expect(safeReturnTo(v as string | null)).toBe("/account");
    },
  );
});
