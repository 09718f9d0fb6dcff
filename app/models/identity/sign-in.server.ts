/**
 * Signing in with an Auth0 ID token (ADR 006, ADR 012): POST /auth/session hands one over, the
 * server-side code flow (./sign-in-flow.server.ts) gets one from Auth0. Both end in
 * `startSessionFor`, so a token signs in on the same terms whichever way it came.
 */
import { sql } from "drizzle-orm";
import { isUniqueViolation } from "~/db/d1.server";
import { idTokenNonces, users } from "~/db/schema";
import { mailLocaleFromAcceptLanguage } from "~/domain/mail-policy";
import type { VoiceTierCode } from "~/domain/plans";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { SIGN_IN_ATTEMPT_LIMIT } from "~/domain/session-policy";
import {
  judgeSignInToken,
  nonceRecordExpiresAt,
  revokingValidAfter,
  signInTimeS,
  tokenHandOverAllowed,
  type SignInTokenRefusal,
} from "~/domain/sign-in-policy";
import { getConfig } from "~/lib/config.server";
import { sha256Hex } from "~/lib/crypto.server";
import { verifyIdToken, type IdTokenRefusal, type VerifiedIdentity } from "~/lib/id-token.server";
import { log } from "~/lib/log.server";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import { createSession, destroySession } from "~/lib/sessions.server";
import type { Deps } from "../deps.server";
import { userUpsertStatement } from "../users.server";
import { voiceTier } from "../voice/tier.server";

export type SignInRateLimited = Refusal<"rate_limited", { limit: "sign_in"; retryAfterSeconds: number }>;

/**
 * One sign-in attempt from this client address, taken before anything else is read (a flood of
 * junk bodies spends the same budget as forged tokens).
 */
export async function reserveSignInAttempt({ db }: Deps, clientIp: string, now = Date.now()): Promise<Ok | SignInRateLimited> {
  const r = await reserveRateLimit(db, `signin:ip:${clientIp}`, { ...SIGN_IN_ATTEMPT_LIMIT, now });
  return r.ok ? ok() : refuse("rate_limited", { limit: "sign_in" as const, retryAfterSeconds: r.retryAfterSeconds });
}

export interface SignedIn {
  user: { id: string; email: string; emailVerified: boolean; voiceTier: VoiceTierCode };
  /** The new session's id (the route sets it as the cookie). */
  sessionId: string;
}

/** Why a verified token still doesn't start a session. */
export type SignInRefusal = IdTokenRefusal | SignInTokenRefusal | Refusal<"token_already_used"> | Refusal<"token_revoked">;

interface SignInContext {
  previousSessionId: string | null;
  requestId?: string | null;
  /** The browser's Accept-Language: the language of the user's mails (ADR 019). */
  acceptLanguage?: string | null;
}

export type HandOverClosed = Refusal<"not_found", { subject: "page" }>;

/** POST /auth/session is a plain 404 in production (tokenHandOverAllowed); elsewhere it may run. */
export function handOverOpen(deps: Deps): Ok | HandOverClosed {
  return tokenHandOverAllowed(getConfig(deps.env).APP_ENV) ? ok() : refuse("not_found", { subject: "page" as const });
}

/**
 * POST /auth/session (local and test mode only): verifies the token (and the nonce, when the
 * client names one), then `startSessionFor`.
 */
export async function signIn(
  deps: Deps,
  input: { id_token: string; nonce?: string },
  context: SignInContext,
): Promise<Ok<SignedIn> | SignInRefusal | HandOverClosed> {
  const open = handOverOpen(deps);
  if (!open.ok) return open;
  const config = getConfig(deps.env);
  const verified = await verifyIdToken(input.id_token, { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID, nonce: input.nonce });
  if (!verified.ok) {
    log("warn", "signin_rejected", { requestId: context.requestId, code: verified.error });
    return verified;
  }
  return startSessionFor(deps, verified.identity, context);
}

/**
 * A verified identity becomes a session only when its token is fresh, carries a nonce that never
 * started a session before, and was issued after the user's last "sign out everywhere" (ADR 012).
 * The nonce is recorded and the user upserted in ONE batch whose first statement (the receipt)
 * writes the nonce only WHERE the user hasn't signed out everywhere since; the upsert is guarded
 * by that receipt, and a nonce seen before fails the primary key and rolls the batch back. So a
 * refused token changes nothing, and a replay racing its original cannot both win. Any session
 * this browser had before is ended (no fixation).
 */
export async function startSessionFor(deps: Deps, identity: VerifiedIdentity, context: SignInContext, now = Date.now()): Promise<Ok<SignedIn> | SignInRefusal> {
  const iat = identity.claims.iat as number; // required and numeric (verifyIdToken)
  const authTime = typeof identity.claims.auth_time === "number" ? identity.claims.auth_time : null;
  const nonce = typeof identity.claims.nonce === "string" && identity.claims.nonce.length > 0 ? identity.claims.nonce : null;
  const judged = judgeSignInToken({ iat, authTime, nonce }, now);
  if (!judged.ok) return rejected(judged, context);

  const { db } = deps;
  const nonceHash = await sha256Hex(nonce!);
  const notSignedOutSince = sql`NOT EXISTS (SELECT 1 FROM ${users} WHERE ${users.auth0Sub} = ${identity.sub} AND ${users.sessionsValidAfter} >= ${revokingValidAfter(signInTimeS({ iat, authTime }))})`;
  const receipt = sql`EXISTS (SELECT 1 FROM ${idTokenNonces} WHERE ${idTokenNonces.nonceHash} = ${nonceHash})`;
  let results: [D1Result, (typeof users.$inferSelect)[]];
  try {
    results = (await db.batch([
      db.insert(idTokenNonces).select(sql`SELECT ${nonceHash}, ${identity.sub}, ${now}, ${nonceRecordExpiresAt(iat)} WHERE ${notSignedOutSince}`),
      userUpsertStatement(db, identity, now, receipt, mailLocaleFromAcceptLanguage(context.acceptLanguage)),
    ])) as unknown as typeof results;
  } catch (err) {
    if (isUniqueViolation(err, "id_token_nonces.nonce_hash")) return rejected(refuse("token_already_used"), context);
    throw err;
  }
  const [recorded, [user]] = results;
  if ((recorded.meta.changes ?? 0) !== 1 || !user) return rejected(refuse("token_revoked"), context);

  if (context.previousSessionId) await destroySession(deps, context.previousSessionId);
  const session = await createSession(deps, user);
  log("info", "signin", { requestId: context.requestId, userId: user.id, emailVerified: user.emailVerified });
  return ok({
    user: { id: user.id, email: user.email, emailVerified: user.emailVerified, voiceTier: await voiceTier(deps, user.id) },
    sessionId: session.id,
  });
}

function rejected<R extends { error: string }>(r: R, context: SignInContext): R {
  log("warn", "signin_rejected", { requestId: context.requestId, code: r.error });
  return r;
}
