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
  // Issue #11 item 1: dot segments (plain or percent-encoded) that only become `//host` once the
  // URL is normalised, encoded backslashes, and whitespace/control characters browsers strip.
  it.each([
    "/.//evil.com",
    "/..//evil.com",
    "/%2e//evil.com",
    "/%2E//evil.com",
    "/%2e%2e//evil.com",
    "/x/..//evil.com",
    "/x/%2e%2e//evil.com",
    "/a/b/../..//evil.com",
    "/./\\evil.com",
    "/\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n//evil.com",
    "/x\r\nSet-Cookie: a=b",
    "/\u007f/evil.com",
    " //evil.com",
  ])("refuses %j (same-origin only after normalisation)", (v) => {
    expect(safeReturnTo(v)).toBe("/account");
  });
  it("keeps encoded backslashes and slashes as the literal path segments they are (same origin)", () => {
    for (const v of ["/%5c%5cevil.com", "/%5C/evil.com", "/%2f%2fevil.com", "/x/%2e%2e/%2fevil.com"]) {
      const r = safeReturnTo(v);
      expect(r.startsWith("//") || r.startsWith("/\\")).toBe(false);
      expect(new URL(r, "https://account.aovis.example").origin).toBe("https://account.aovis.example");
    }
    expect(safeReturnTo("/%5c%5cevil.com")).toBe("/%5c%5cevil.com");
  });
  it("keeps good paths, normalised: dot segments resolved, spaces encoded, query and hash kept", () => {
    expect(safeReturnTo("/account/devices")).toBe("/account/devices");
    expect(safeReturnTo("/account/./devices")).toBe("/account/devices");
    expect(safeReturnTo("/store/../account")).toBe("/account");
    expect(safeReturnTo("/store?q=a b")).toBe("/store?q=a%20b");
    expect(safeReturnTo("/account/devices?transfer=abc#top")).toBe("/account/devices?transfer=abc#top");
    expect(safeReturnTo("/")).toBe("/");
  });
  it("is idempotent and its result always resolves to itself on our origin", () => {
    for (const v of ["/account/./devices", "/%2e/x", "/a/%2e%2e/b?x=1#h", "/.//evil.com", "/x/..//evil.com"]) {
      const once = safeReturnTo(v);
      expect(safeReturnTo(once)).toBe(once);
      const u = new URL(once, "https://account.aovis.example");
      expect(u.origin).toBe("https://account.aovis.example");
      expect(u.pathname + u.search + u.hash).toBe(once);
    }
  });
  it("never returns into the sign-in or sign-out endpoints (a loop, or a sign-out by link)", () => {
    for (const v of ["/api/auth/logout", "/api/auth/login?returnTo=/account", "/auth/logout", "/auth/callback"]) expect(safeReturnTo(v)).toBe("/account");
    expect(safeReturnTo("/authors")).toBe("/authors");
  });
  it("uses the caller's fallback", () => {
    expect(safeReturnTo("/.//evil.com", "/")).toBe("/");
  });
});
