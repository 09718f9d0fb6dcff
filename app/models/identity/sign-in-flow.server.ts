/**
 * The server-side sign-in (ADR 012, issue #14 §4), which needs no JavaScript: GET /api/auth/login
 * starts it (`startSignIn`: state, nonce and PKCE verifier generated and kept here, bound to the
 * browser), Auth0 brings the browser back to GET /api/auth/callback (`finishSignIn`: the state is
 * consumed, the code exchanged with the client secret, the ID token verified against our nonce,
 * then the same `startSessionFor` as every sign-in).
 */
import { eq } from "drizzle-orm";
import { signInTransactions } from "~/db/schema";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { safeReturnTo } from "~/domain/session-policy";
import { SIGN_IN_START_LIMIT, SIGN_IN_TRANSACTION_TTL_MS } from "~/domain/sign-in-policy";
import { exchangeCode, type CodeExchangeRefusal } from "~/lib/auth0-token.server";
import { auth0AuthorizeUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";
import { randomToken, sha256Base64Url, sha256Hex } from "~/lib/crypto.server";
import { verifyIdToken } from "~/lib/id-token.server";
import { log } from "~/lib/log.server";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import type { Deps } from "../deps.server";
import { startSessionFor, type SignedIn, type SignInRateLimited, type SignInRefusal } from "./sign-in.server";

/**
 * Starts a sign-in for this browser: a row with the hashes of the state and of the browser
 * binding, the nonce, the verifier and the checked return path, valid SIGN_IN_TRANSACTION_TTL_MS;
 * the answer is Auth0's /authorize URL. Capped per client address (each start writes a row).
 */
export async function startSignIn(
  deps: Deps,
  input: { returnTo: string | undefined; browserId: string; clientIp: string },
  now = Date.now(),
): Promise<Ok<{ authorizeUrl: string }> | SignInRateLimited> {
  const limit = await reserveRateLimit(deps.db, `signin-start:ip:${input.clientIp}`, { ...SIGN_IN_START_LIMIT, now });
  if (!limit.ok) return refuse("rate_limited", { limit: "sign_in" as const, retryAfterSeconds: limit.retryAfterSeconds });
  const state = randomToken(32);
  const nonce = randomToken(32);
  const codeVerifier = randomToken(32);
  await deps.db.insert(signInTransactions).values({
    stateHash: await sha256Hex(state),
    browserHash: await sha256Hex(input.browserId),
    nonce,
    codeVerifier,
    returnTo: safeReturnTo(input.returnTo),
    createdAt: now,
    expiresAt: now + SIGN_IN_TRANSACTION_TTL_MS,
  });
  const config = getConfig(deps.env);
  return ok({ authorizeUrl: auth0AuthorizeUrl(config, { state, nonce, codeChallenge: await sha256Base64Url(codeVerifier) }) });
}

export type SignInStateRefusal =
  Refusal<"sign_in_state_invalid", { problem: "unknown" | "other_browser" }> | Refusal<"sign_in_expired", { ttlMinutes: number }>;

export type FinishSignInRefusal = SignInStateRefusal | CodeExchangeRefusal | SignInRefusal;

type Transaction = typeof signInTransactions.$inferSelect;

/**
 * Takes the sign-in `state` names out of the table (one DELETE … RETURNING, so it can be used
 * once, whatever happens next) and checks it belongs to this browser and is still valid.
 */
async function consumeState(deps: Deps, state: string, browserId: string | null, now: number): Promise<Ok<{ tx: Transaction }> | SignInStateRefusal> {
  const [tx] = await deps.db
    .delete(signInTransactions)
    .where(eq(signInTransactions.stateHash, await sha256Hex(state)))
    .returning();
  if (!tx) return refuse("sign_in_state_invalid", { problem: "unknown" as const });
  if (!browserId || (await sha256Hex(browserId)) !== tx.browserHash) return refuse("sign_in_state_invalid", { problem: "other_browser" as const });
  if (tx.expiresAt <= now) return refuse("sign_in_expired", { ttlMinutes: SIGN_IN_TRANSACTION_TTL_MS / 60_000 });
  return ok({ tx });
}

/** Auth0 came back with ?code&state: finish the sign-in this browser started, or refuse with a code (no session). */
export async function finishSignIn(
  deps: Deps,
  input: { code: string; state: string; browserId: string | null },
  context: { previousSessionId: string | null; requestId?: string | null; acceptLanguage?: string | null },
  now = Date.now(),
): Promise<Ok<SignedIn & { returnTo: string }> | FinishSignInRefusal> {
  // No per-address attempt here: every completion needs a single-use state from a start, and starts
  // are capped per address (SIGN_IN_START_LIMIT). Charging the callback too made people behind one
  // address (an office) lose sign-ins they had already started.
  const consumed = await consumeState(deps, input.state, input.browserId, now);
  if (!consumed.ok) return rejected(consumed, context);
  const { tx } = consumed;
  const config = getConfig(deps.env);
  const exchanged = await exchangeCode(config, { code: input.code, codeVerifier: tx.codeVerifier });
  if (!exchanged.ok) return rejected(exchanged, context);
  const verified = await verifyIdToken(exchanged.idToken, { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID, nonce: tx.nonce, now });
  if (!verified.ok) return rejected(verified, context);
  // We sent max_age, so Auth0 must say when the person authenticated (OIDC Core §3.1.2.1).
  if (typeof verified.identity.claims.auth_time !== "number")
    return rejected(refuse("invalid_token", { problem: "claim" as const, claim: "auth_time" }), context);
  const signedIn = await startSessionFor(deps, verified.identity, context, now);
  if (!signedIn.ok) return signedIn;
  // The Stripe customer (once per user) is the caller's to create after the response
  // (ensureStripeCustomerAtSignIn in waitUntil): it must neither fail nor slow the sign-in.
  return ok({ ...signedIn, returnTo: safeReturnTo(tx.returnTo) });
}

/**
 * Auth0 came back with ?error&state (the person cancelled, or Auth0 refused): the state is spent
 * all the same, and the answer is where the sign-in was meant to lead (for the next attempt).
 */
export async function abandonSignIn(deps: Deps, input: { state: string; browserId: string | null }, now = Date.now()): Promise<string> {
  const consumed = await consumeState(deps, input.state, input.browserId, now);
  return consumed.ok ? safeReturnTo(consumed.tx.returnTo) : safeReturnTo(null);
}

function rejected<R extends { error: string }>(r: R, context: { requestId?: string | null }): R {
  log("warn", "signin_rejected", { requestId: context.requestId, code: r.error });
  return r;
}
