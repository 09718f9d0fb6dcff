/**
 * Who is asking: the signed-in user of a request (memoized per request), and the guard pages and
 * the remaining old API routes use. The session store itself is app/lib/sessions.server.ts.
 */
import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { normalizeEmail } from "~/domain/device-ownership";
import { safeReturnTo } from "~/domain/session-policy";
import { refusalFacts, refusalHeaders, refusalMessage, refusalStatus } from "~/http/refusals";
import { jsonError } from "~/http/responses.server";
import { requestLanguage } from "~/i18n/i18n.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { judgeStoredSessionWith, readSessionId, readSessionRecord, type StoredSession } from "./sessions.server";
import { runBatch, type Stmt } from "~/db/d1.server";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  createdAt: number;
  sessionEpoch: number;
  /** The time zone chosen in the profile (null: the browser's); see app/lib/time-zone.server.ts. */
  timeZone: string | null;
  /** Whether the identity provider says the address is verified (transfers need it). */
  emailVerified: boolean;
}

/** A page's reads, waiting to ride in the session check's D1 batch (see `requireUserAndRead`). */
interface Rider {
  statements: (reader: PageReader) => readonly Stmt[];
  settle: (got: { reader: PageReader; rows: unknown[] } | null) => void;
}

interface SessionEntry {
  sessionId: string | null;
  stored: Promise<StoredSession | null>;
  user: Promise<SessionUser | null>;
  /** Reads registered before the check's batch left; closed (null) once it has. */
  riders: Rider[] | null;
}

// Per load context (one per request), not per Request: Remix hands every loader its own copy of
// the Request, so a Request-keyed memo checked the session once per loader (3× on /account pages).
const memo = new WeakMap<AppLoadContext, SessionEntry>();

async function loadUser(entry: SessionEntry, context: AppLoadContext): Promise<SessionUser | null> {
  let riders: Rider[] = [];
  try {
    const claim = await entry.stored;
    // The loaders of one request start together, and the claim is never ready within their first
    // synchronous steps: it waits at least on the session id's SHA-256 digest (and on KV when the
    // isolate does not remember the claim, ADR 035). So a page's reads registered by then go in
    // the same batch; round-trips.test.ts holds both cases to one batch.
    riders = entry.riders ?? [];
    entry.riders = null;
    if (!claim) return null;
    const reader = claim.record.email ? { id: claim.record.userId, email: claim.record.email } : null;
    const own = reader ? riders.map((r) => r.statements(reader)) : [];
    const { lookup: found, alongside } = await judgeStoredSessionWith(depsOf(context), claim, own.flat());
    let at = 0;
    own.forEach((stmts, i) => {
      riders[i].settle({ reader: reader!, rows: alongside.slice(at, at + stmts.length) });
      at += stmts.length;
    });
    if (!found.user) {
      if (found.reason) log("info", "session_rejected", { requestId: context.requestId, reason: found.reason });
      return null;
    }
    if (found.verdict.renew) context.cloudflare.ctx.waitUntil(found.renew());
    const { user } = found;
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      createdAt: user.createdAt,
      sessionEpoch: user.sessionEpoch,
      timeZone: user.timeZone,
      emailVerified: user.emailVerified,
    };
  } finally {
    // Whatever happened (no claim, no address, a failed batch): a rider not settled reads on its own.
    for (const r of riders) r.settle(null);
  }
}

function sessionOf(request: Request, context: AppLoadContext): SessionEntry {
  const sessionId = readSessionId(request);
  const known = memo.get(context);
  if (known && known.sessionId === sessionId) return known;
  const stored = sessionId ? readSessionRecord(depsOf(context), sessionId) : Promise.resolve(null);
  const entry: SessionEntry = { sessionId, stored, user: Promise.resolve(null), riders: [] };
  entry.user = loadUser(entry, context);
  memo.set(context, entry);
  return entry;
}

/** The signed-in user, or null. Checked once per request (per load context and session cookie). */
export function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  return sessionOf(request, context).user;
}

/** Who a page loads for: the user's id and e-mail address. */
export type PageReader = { id: string; email: string };

/**
 * `requireUser`, with the page's data read while D1 confirms the session rather than after it: one
 * database wait per page instead of two (issue #11's latency target). `load` runs for the user the
 * session record in KV claims; its result is returned only once the session is confirmed valid AND
 * its confirmed user is the one it was read for (id and normalised address) — otherwise it is read
 * again for the confirmed user, or the caller is sent to sign in. So `load` must only read: it may
 * run for a session that then turns out revoked or expired, and its result is then thrown away.
 */
export async function requireUserAnd<T>(
  request: Request,
  context: AppLoadContext,
  load: (reader: PageReader) => Promise<T>,
): Promise<{ user: SessionUser; data: T }> {
  const { stored } = sessionOf(request, context);
  const claim = await stored;
  const claimed = claim?.record.email ? { id: claim.record.userId, email: claim.record.email } : null;
  // Settled, never rejected: a failure of a read for a session that is then refused must not surface.
  const early = claimed
    ? load(claimed).then(
        (data) => ({ data }),
        (error: unknown) => ({ error }),
      )
    : null;
  const user = await requireUser(request, context);
  if (early && claimed && claimed.id === user.id && normalizeEmail(claimed.email) === normalizeEmail(user.email)) {
    const got = await early;
    if ("error" in got) throw got.error;
    return { user, data: got.data };
  }
  return { user, data: await load({ id: user.id, email: user.email }) };
}

/**
 * `requireUserAnd` in one D1 call: the page's reads (`statements`, reads only, every one scoped by
 * the reader) go in the session check's batch, and `then` turns their rows into the page's data —
 * used only when the session is valid AND its user is the one they were read for (id and
 * normalised address). Otherwise (the check's batch had already left, or the session's user is not
 * the one the KV record claimed) they are read again, on their own, for the confirmed user.
 */
export async function requireUserAndRead<T>(
  request: Request,
  context: AppLoadContext,
  read: { statements: (reader: PageReader) => readonly Stmt[]; then: (rows: unknown[], user: SessionUser) => T },
): Promise<{ user: SessionUser; data: T }> {
  const entry = sessionOf(request, context);
  const rode = new Promise<{ reader: PageReader; rows: unknown[] } | null>((settle) => {
    if (entry.riders) entry.riders.push({ statements: read.statements, settle });
    else settle(null);
  });
  const user = await requireUser(request, context);
  const got = await rode;
  if (got && got.reader.id === user.id && normalizeEmail(got.reader.email) === normalizeEmail(user.email)) return { user, data: read.then(got.rows, user) };
  return { user, data: read.then(await runBatch(depsOf(context).db, read.statements({ id: user.id, email: user.email })), user) };
}

/**
 * The signed-in user, or (thrown, Remix-style): for /api/* the `unauthenticated` refusal as JSON,
 * for pages a redirect to /login?returnTo=<this path>.
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  if (url.pathname.startsWith("/api/")) {
    const r = { error: "unauthenticated" } as const;
    throw jsonError(refusalStatus(r), r.error, refusalMessage(r, requestLanguage(request)), refusalFacts(r), { headers: refusalHeaders(r) });
  }
  throw redirect(paths.login(safeReturnTo(url.pathname + url.search)));
}
