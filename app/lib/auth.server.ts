import { redirect } from "@remix-run/cloudflare";
import { eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { sessionRevocations, users, type User } from "~/db/schema";
import {
  ABSOLUTE_LIFETIME_MS,
  judgeSession,
  kvTtlSeconds,
  safeReturnTo,
  type SessionRecord,
} from "~/domain/session-policy";
import { randomToken, sha256Hex } from "~/lib/crypto.server";
import { jsonError } from "~/lib/http.server";
import { log } from "~/lib/log.server";

// Kept for existing importers (voice-generation.server.ts); new code imports ~/lib/crypto.server.
export { sha256Hex };

/**
 * Sessions: a 256-bit random id in an HttpOnly `__Host-` cookie; KV holds the record under the
 * SHA-256 of the id, so a KV dump holds no usable token. Validity = idle/absolute timeouts + the
 * user's D1 session epoch + a D1 revocation row (ADR 006).
 */
export const SESSION_COOKIE = "__Host-aovis_session";
const KV_PREFIX = "session:";

export interface AuthContext {
  cloudflare: { env: Env; ctx: ExecutionContext };
  requestId?: string;
}

export function readSessionId(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) {
      const v = rest.join("=");
      return /^[A-Za-z0-9_-]{43}$/.test(v) ? v : null;
    }
  }
  return null;
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${Math.floor(ABSOLUTE_LIFETIME_MS / 1000)}`;
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** Starts a new session (always a fresh id) and returns the Set-Cookie value. */
export async function createSession(env: Env, user: Pick<User, "id" | "sessionEpoch">, now = Date.now()): Promise<{ id: string; cookie: string }> {
  const id = randomToken(32);
  const record: SessionRecord = { userId: user.id, epoch: user.sessionEpoch, createdAt: now, lastSeenAt: now };
  await env.SESSIONS.put(KV_PREFIX + (await sha256Hex(id)), JSON.stringify(record), { expirationTtl: kvTtlSeconds(record, now) });
  return { id, cookie: sessionCookie(id) };
}

/** Ends one session: KV delete (eventually consistent) + D1 revocation row (effective at once). */
export async function destroySession(env: Env, sessionId: string, now = Date.now()): Promise<void> {
  const hash = await sha256Hex(sessionId);
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
  await getDb(env)
    .insert(sessionRevocations)
    .values({ sessionHash: hash, userId, revokedAt: now, expiresAt: createdAt + ABSOLUTE_LIFETIME_MS })
    .onConflictDoNothing();
  await env.SESSIONS.delete(KV_PREFIX + hash);
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  createdAt: number;
  sessionEpoch: number;
}

const memo = new WeakMap<Request, Promise<SessionUser | null>>();

async function loadUser(request: Request, context: AuthContext): Promise<SessionUser | null> {
  const env = context.cloudflare.env;
  const id = readSessionId(request);
  if (!id) return null;
  const hash = await sha256Hex(id);
  const raw = await env.SESSIONS.get(KV_PREFIX + hash);
  if (!raw) return null;
  let record: SessionRecord;
  try {
    record = JSON.parse(raw) as SessionRecord;
  } catch {
    return null;
  }
  const db = getDb(env);
  const [userRows, revokedRows] = await db.batch([
    db.select().from(users).where(eq(users.id, record.userId)).limit(1),
    db.select({ h: sessionRevocations.sessionHash }).from(sessionRevocations).where(eq(sessionRevocations.sessionHash, hash)).limit(1),
  ]);
  const user = userRows[0];
  const now = Date.now();
  const verdict = judgeSession(record, { now, userEpoch: user ? user.sessionEpoch : null, revoked: revokedRows.length > 0 });
  if (!verdict.valid) {
    log("info", "session_rejected", { requestId: context.requestId, reason: verdict.reason });
    return null;
  }
  if (verdict.renew) {
    const renewed: SessionRecord = { ...record, lastSeenAt: now };
    context.cloudflare.ctx.waitUntil(
      env.SESSIONS.put(KV_PREFIX + hash, JSON.stringify(renewed), { expirationTtl: kvTtlSeconds(renewed, now) }),
    );
  }
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt, sessionEpoch: user.sessionEpoch };
}

/** The signed-in user, or null. Memoized per request. */
export function getUser(request: Request, context: AuthContext): Promise<SessionUser | null> {
  let p = memo.get(request);
  if (!p) {
    p = loadUser(request, context);
    memo.set(request, p);
  }
  return p;
}

/**
 * The signed-in user, or: for /api/* a 401 JSON response, for pages a redirect to
 * /login?returnTo=<this path> (thrown, Remix-style).
 */
export async function requireUser(request: Request, context: AuthContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  if (url.pathname.startsWith("/api/")) {
    throw jsonError(401, "unauthenticated", "Please sign in to continue.");
  }
  const returnTo = safeReturnTo(url.pathname + url.search);
  throw redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
}
