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
  /**
   * The address the user had when the session started: lets a page load its data while D1 confirms
   * the session (app/lib/auth.server.ts `requireUserAnd`). A hint, never trusted: compared with the
   * confirmed user's address. Absent in records written before it existed.
   */
  email?: string;
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

/** Where return paths are resolved; a placeholder, so the check never depends on a Host header. */
const RETURN_BASE = "http://aovis.invalid";
/** Sign-in and sign-out endpoints are never a destination: returning there would loop or sign out. */
const NOT_A_DESTINATION = /^\/(api\/)?auth(\/|$)/;

/**
 * The one gate for every return path we redirect to (login, the sign-in callback, the API flow):
 * our own path, or `fallback`. Normalise first, then judge the result — never the raw string: URL
 * parsing resolves `.`/`..` and `%2e` segments, so `/.//evil.com` only becomes `//evil.com`
 * (protocol-relative: another host) after normalisation. The result must be a single-slash path
 * that a browser resolves against our origin to exactly itself. Control characters (tab, CR, LF…)
 * and backslashes are refused outright: browsers strip tabs/newlines and read `\` as `/`, so
 * they can only hide a trick (CR/LF would also split a Location header).
 */
export function safeReturnTo(value: string | null | undefined, fallback = "/account"): string {
  if (!value || value.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (!value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let normalised: string;
  try {
    const u = new URL(value, RETURN_BASE);
    // `//host/x` parses as another origin whose path looks innocent: that is already a no.
    if (u.origin !== RETURN_BASE) return fallback;
    normalised = u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
  return isOwnPath(normalised) ? normalised : fallback;
}

/** A path a browser at our origin resolves to itself, on our origin, outside the auth endpoints. */
function isOwnPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return false;
  // eslint-disable-next-line no-control-regex -- see safeReturnTo
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  let u: URL;
  try {
    u = new URL(path, RETURN_BASE);
  } catch {
    return false;
  }
  return u.origin === RETURN_BASE && u.pathname + u.search + u.hash === path && !NOT_A_DESTINATION.test(u.pathname);
}
