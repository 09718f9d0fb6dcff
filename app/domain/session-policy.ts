/**
 * When a session is still good. Pure: the caller supplies the stored record, the user's current
 * epoch and the clock. See docs/decisions/006-sessions.md.
 */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** KV allows ~1 write/s per key; renewing at most once a minute keeps us far below it. */
export const RENEW_AFTER_MS = 60 * 1000;
/** 10 sign-ins per minute per client IP: generous for people, useless for token stuffing. */
export const SIGN_IN_ATTEMPT_LIMIT = { limit: 10, windowMs: 60 * 1000 } as const;

export interface SessionRecord {
  userId: string;
  epoch: number;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionVerdict =
  { valid: true; renew: boolean } | { valid: false; reason: "idle_timeout" | "absolute_timeout" | "revoked" | "epoch_mismatch" | "user_missing" };

export function judgeSession(s: SessionRecord, ctx: { now: number; userEpoch: number | null; revoked: boolean }): SessionVerdict {
  if (ctx.userEpoch === null) return { valid: false, reason: "user_missing" };
  if (ctx.revoked) return { valid: false, reason: "revoked" };
  if (s.epoch !== ctx.userEpoch) return { valid: false, reason: "epoch_mismatch" };
  if (ctx.now - s.createdAt >= ABSOLUTE_LIFETIME_MS) return { valid: false, reason: "absolute_timeout" };
  if (ctx.now - s.lastSeenAt >= IDLE_TIMEOUT_MS) return { valid: false, reason: "idle_timeout" };
  return { valid: true, renew: ctx.now - s.lastSeenAt >= RENEW_AFTER_MS };
}

/** KV TTL for a record seen at `now`: until idle expiry, capped by the absolute lifetime, ≥ 60 s (KV minimum). */
export function kvTtlSeconds(s: SessionRecord, now: number): number {
  const idleEnd = now + IDLE_TIMEOUT_MS;
  const absEnd = s.createdAt + ABSOLUTE_LIFETIME_MS;
  return Math.max(60, Math.ceil((Math.min(idleEnd, absEnd) - now) / 1000));
}

/**
 * Only our own paths may be a post-login destination: a single leading slash, no scheme, no
 * protocol-relative `//host` or `/\host` tricks, no control characters.
 */
export function safeReturnTo(value: string | null | undefined, fallback = "/account"): string {
  if (!value) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters (CR/LF would split a Location header) and backslashes are never ours.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  try {
    const u = new URL(value, "http://aovis.invalid");
    if (u.origin !== "http://aovis.invalid") return fallback;
    return u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
}
