/**
 * The session store (ADR 006): a 256-bit random id in an HttpOnly `__Host-` cookie; KV holds the
 * record under the SHA-256 of the id, so a KV dump holds no usable token. Validity = idle/absolute
 * timeouts + the user's D1 session epoch + a D1 revocation row (app/domain/session-policy.ts).
 * Reading the session of a request is app/lib/auth.server.ts.
 */
import { eq, getTableColumns, sql } from "drizzle-orm";
import { builtOnce, runBatch, type Stmt } from "~/db/d1.server";
import { sessionRevocations, users, type User } from "~/db/schema";
import { ABSOLUTE_LIFETIME_MS, judgeSession, kvTtlSeconds, RENEW_AFTER_MS, type SessionRecord, type SessionVerdict } from "~/domain/session-policy";
import { randomToken, sha256Hex } from "~/lib/crypto.server";
import type { Deps } from "~/models/deps.server";
import { cookieValue } from "~/http/cookies.server";

export const SESSION_COOKIE = "__Host-aovis_session";
const KV_PREFIX = "session:";

export function readSessionId(request: Request): string | null {
  const v = cookieValue(request, SESSION_COOKIE);
  return v !== null && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : null;
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${Math.floor(ABSOLUTE_LIFETIME_MS / 1000)}`;
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** Starts a new session (always a fresh id) and returns its id (the cookie is `sessionCookie(id)`). */
export async function createSession({ env }: Deps, user: Pick<User, "id" | "sessionEpoch" | "email">, now = Date.now()): Promise<{ id: string }> {
  const id = randomToken(32);
  const record: SessionRecord = { userId: user.id, epoch: user.sessionEpoch, createdAt: now, lastSeenAt: now, email: user.email };
  await env.SESSIONS.put(KV_PREFIX + (await sha256Hex(id)), JSON.stringify(record), { expirationTtl: kvTtlSeconds(record, now) });
  return { id };
}

/** Ends one session: KV delete (eventually consistent) + D1 revocation row (effective at once). */
export async function destroySession({ env, db }: Deps, sessionId: string, now = Date.now()): Promise<void> {
  const hash = await sha256Hex(sessionId);
  claims.delete(hash);
  const raw = await env.SESSIONS.get(KV_PREFIX + hash);
  let userId = "unknown";
  let createdAt = now;
  if (raw) {
    try {
      const r = JSON.parse(raw) as SessionRecord;
      userId = r.userId;
      createdAt = r.createdAt;
    } catch {
      // corrupt record: revoke anyway
    }
  }
  await db
    .insert(sessionRevocations)
    .values({ sessionHash: hash, userId, revokedAt: now, expiresAt: createdAt + ABSOLUTE_LIFETIME_MS })
    .onConflictDoNothing();
  await env.SESSIONS.delete(KV_PREFIX + hash);
}

export type SessionLookup =
  { user: User; verdict: Extract<SessionVerdict, { valid: true }>; renew: () => Promise<void> } | { user: null; reason: string | null };

// Every signed-in request runs this: its SQL is built once (see builtOnce). One statement, the
// claimed user's row with whether this session was revoked (no user → no row → user_missing,
// which judgeSession decides before a revocation anyway).
const sessionCheck = builtOnce(
  (db) =>
    [
      db
        .select({
          user: getTableColumns(users),
          revoked: sql<number>`exists (select 1 from ${sessionRevocations} where ${sessionRevocations.sessionHash} = ${sql.placeholder("hash")})`,
        })
        .from(users)
        .where(eq(users.id, sql.placeholder("userId")))
        .limit(1),
    ] as const,
);

/**
 * The claims this isolate read from KV in the last CLAIM_KEPT_MS (ADR 035). A claim only says which
 * user a session names; every request still judges it against D1 (the user's epoch, the revocation
 * row, the timeouts), so a remembered claim changes no verdict: a sign-out, "sign out everywhere"
 * or a deleted account refuses the next request at once, as before. KV's own edge cache already
 * serves reads up to 60 s old; remembering for less costs a signed-in page no KV round trip.
 */
const claims = new Map<string, { record: SessionRecord; until: number }>();
const CLAIM_KEPT_MS = 30_000;
const CLAIMS_KEPT = 10_000;

function rememberClaim(hash: string, record: SessionRecord, now: number): void {
  if (claims.size >= CLAIMS_KEPT) claims.clear(); // a bound, not an LRU: forgetting costs one KV read
  claims.set(hash, { record, until: now + CLAIM_KEPT_MS });
}

/** What KV holds for `sessionId` (at most one KV read, no D1): a claim until `judgeStoredSession` confirms it. */
export async function readSessionRecord({ env }: Pick<Deps, "env">, sessionId: string, now = Date.now()): Promise<StoredSession | null> {
  const hash = await sha256Hex(sessionId);
  const kept = claims.get(hash);
  if (kept && kept.until > now) return { hash, record: kept.record };
  claims.delete(hash);
  const raw = await env.SESSIONS.get(KV_PREFIX + hash);
  if (!raw) return null;
  let record: SessionRecord;
  try {
    record = JSON.parse(raw) as SessionRecord;
  } catch {
    return null;
  }
  rememberClaim(hash, record, now);
  return { hash, record };
}

export interface StoredSession {
  hash: string;
  record: SessionRecord;
}

/** The stored session judged now against D1 (its user's epoch, revocations): its user when valid, else why not. */
export async function judgeStoredSession(deps: Deps, stored: StoredSession, now = Date.now()): Promise<SessionLookup> {
  return (await judgeStoredSessionWith(deps, stored, [], now)).lookup;
}

/**
 * `judgeStoredSession`, with `alongside` (reads only) in the same D1 batch: a page's reads for the
 * user the session claims ride with the check (one D1 call per signed-in page, issue #11). Their
 * rows come back whatever the verdict; the caller uses them only for a valid session of that user.
 */
export async function judgeStoredSessionWith(
  { env, db }: Deps,
  { hash, record }: StoredSession,
  alongside: readonly Stmt[],
  now = Date.now(),
): Promise<{ lookup: SessionLookup; alongside: unknown[] }> {
  const [checkRows, ...rest] = (await runBatch(db, [...sessionCheck(db, { userId: record.userId, hash }), ...alongside])) as [
    { user: User; revoked: number }[],
    ...unknown[],
  ];
  return { lookup: verdictOf(env, hash, record, checkRows[0], now), alongside: rest };
}

function verdictOf(env: Deps["env"], hash: string, record: SessionRecord, row: { user: User; revoked: number } | undefined, now: number): SessionLookup {
  const user = row?.user ?? null;
  const verdict = judgeSession(record, { now, userEpoch: user ? user.sessionEpoch : null, revoked: !!row?.revoked });
  if (!verdict.valid || !user) {
    claims.delete(hash); // a refused claim is read from KV again (it may have been replaced)
    return { user: null, reason: verdict.valid ? "user_missing" : verdict.reason };
  }
  const renewed: SessionRecord = { ...record, lastSeenAt: now };
  return {
    user,
    verdict,
    renew: async () => {
      // Every request in flight when a renewal falls due reads the old record (KV is eventually
      // consistent): one write per session and window from this isolate, not one per request.
      if (!claimRenewal(hash, now)) return;
      await env.SESSIONS.put(KV_PREFIX + hash, JSON.stringify(renewed), { expirationTtl: kvTtlSeconds(renewed, now) });
      rememberClaim(hash, renewed, now);
    },
  };
}

const renewedAt = new Map<string, number>();
const RENEWALS_REMEMBERED = 10_000;

/** True for the first renewal of `hash` in this isolate within RENEW_AFTER_MS (then false until the window passes). */
function claimRenewal(hash: string, now: number): boolean {
  const last = renewedAt.get(hash);
  if (last !== undefined && now - last < RENEW_AFTER_MS) return false;
  if (renewedAt.size >= RENEWALS_REMEMBERED) renewedAt.clear(); // a bound, not an LRU: forgetting only costs one extra write
  renewedAt.set(hash, now);
  return true;
}
