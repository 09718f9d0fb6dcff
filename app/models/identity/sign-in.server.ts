/** Signing in with an Auth0 ID token (ADR 006). */
import type { VoiceTierCode } from "~/domain/plans";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { SIGN_IN_ATTEMPT_LIMIT } from "~/domain/session-policy";
import { getConfig } from "~/lib/config.server";
import { verifyIdToken, type IdTokenRefusal } from "~/lib/id-token.server";
import { log } from "~/lib/log.server";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import { createSession, destroySession } from "~/lib/sessions.server";
import type { Deps } from "../deps.server";
import { upsertUserFromIdentity } from "../users.server";
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

/**
 * Verifies the token, upserts the user by subject and starts a fresh session; any session this
 * browser had before is ended (no fixation).
 */
export async function signIn(
  deps: Deps,
  input: { id_token: string; nonce?: string },
  context: { previousSessionId: string | null; requestId?: string | null },
): Promise<Ok<SignedIn> | IdTokenRefusal> {
  const config = getConfig(deps.env);
  const verified = await verifyIdToken(input.id_token, { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID, nonce: input.nonce });
  if (!verified.ok) {
    log("warn", "signin_rejected", { requestId: context.requestId, code: verified.error });
    return verified;
  }
  // email_verified is stored as the provider states it now (it can go back to false when the
  // address changes); transfer offers, addressed by email, trust only a verified one.
  const user = await upsertUserFromIdentity(deps, verified.identity);
  if (context.previousSessionId) await destroySession(deps, context.previousSessionId);
  const session = await createSession(deps, user);
  log("info", "signin", { requestId: context.requestId, userId: user.id, emailVerified: user.emailVerified });
  return ok({
    user: { id: user.id, email: user.email, emailVerified: user.emailVerified, voiceTier: await voiceTier(deps, user.id) },
    sessionId: session.id,
  });
}
