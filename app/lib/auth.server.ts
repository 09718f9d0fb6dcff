/**
 * Who is asking: the signed-in user of a request (memoized per request), and the guard pages and
 * the remaining old API routes use. The session store itself is app/lib/sessions.server.ts.
 */
import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { safeReturnTo } from "~/domain/session-policy";
import { refusalFacts, refusalHeaders, refusalMessage, refusalStatus } from "~/http/refusals";
import { jsonError } from "~/http/responses.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { lookupSession, readSessionId } from "./sessions.server";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  createdAt: number;
  sessionEpoch: number;
  /** The time zone chosen in the profile (null: the browser's); see app/lib/time-zone.server.ts. */
  timeZone: string | null;
}

// Per load context (one per request), not per Request: Remix hands every loader its own copy of
// the Request, so a Request-keyed memo checked the session once per loader (3× on /account pages).
const memo = new WeakMap<AppLoadContext, { sessionId: string | null; user: Promise<SessionUser | null> }>();

async function loadUser(id: string | null, context: AppLoadContext): Promise<SessionUser | null> {
  if (!id) return null;
  const found = await lookupSession(depsOf(context), id);
  if (!found.user) {
    if (found.reason) log("info", "session_rejected", { requestId: context.requestId, reason: found.reason });
    return null;
  }
  if (found.verdict.renew) context.cloudflare.ctx.waitUntil(found.renew());
  const { user } = found;
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt, sessionEpoch: user.sessionEpoch, timeZone: user.timeZone };
}

/** The signed-in user, or null. Checked once per request (per load context and session cookie). */
export function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  const sessionId = readSessionId(request);
  const known = memo.get(context);
  if (known && known.sessionId === sessionId) return known.user;
  const user = loadUser(sessionId, context);
  memo.set(context, { sessionId, user });
  return user;
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
    throw jsonError(refusalStatus(r), r.error, refusalMessage(r), refusalFacts(r), { headers: refusalHeaders(r) });
  }
  throw redirect(paths.login(safeReturnTo(url.pathname + url.search)));
}
