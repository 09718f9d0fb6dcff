/**
 * When an ID token may start a session (ADR 012). Pure: the caller supplies the verified claims,
 * the user's `sessions_valid_after` and the clock. Signature, issuer, audience and expiry are
 * checked before (app/lib/id-token.server.ts); these rules bind a token to one sign-in.
 */
import { ok, refuse, type Ok, type Refusal } from "./result";

/**
 * An ID token starts a session only within this long of being issued (Auth0's own lifetime is 10 h).
 * The server flow exchanges the code the moment Auth0 returns, so its tokens are seconds old; the
 * margin is for clock skew and a slow exchange.
 */
export const ID_TOKEN_MAX_AGE_MS = 5 * 60 * 1000;
/**
 * How long a sign-in started at /api/auth/login may take at Auth0 (typing a password, a second
 * factor) before its state expires. Longer than ID_TOKEN_MAX_AGE_MS: the token is minted at the
 * end of that time, at the code exchange.
 */
export const SIGN_IN_TRANSACTION_TTL_MS = 10 * 60 * 1000;
/** Clock skew between Auth0 and us that the verifier tolerates (seconds). */
export const ID_TOKEN_SKEW_S = 60;
/** 10 sign-in starts per minute per client IP: each writes a row, so junk floods are capped. */
export const SIGN_IN_START_LIMIT = { limit: 10, windowMs: 60 * 1000 } as const;

/**
 * POST /auth/session (an ID token handed over by the caller) served auth0-spa-js, which is gone:
 * production signs in only through the server-side code flow, whose tokens never leave the
 * server. The hand-over stays for scripted sign-in in local and test mode (tests, bench), on the
 * same single-use, freshness and epoch rules (ADR 012).
 */
export function tokenHandOverAllowed(appEnv: "local" | "test" | "production"): boolean {
  return appEnv === "local" || appEnv === "test";
}

export interface SignInClaims {
  /** Seconds, as in the token. */
  iat: number;
  /**
   * When the person last authenticated at Auth0 (seconds), if the token says: Auth0 sends it when
   * /authorize asked for `max_age`, as the server flow does (OIDC Core §3.1.2.1). A fresh token
   * from an old Auth0 session (single sign-on) is judged by this older time.
   */
  authTime: number | null;
  nonce: string | null;
}

/** The `max_age` (seconds) the server flow sends to /authorize: Auth0 asks for the password again past it. */
export const AUTH_MAX_AGE_S = ID_TOKEN_MAX_AGE_MS / 1000;

/** The earlier of issue and authentication time: what "fresh" and "after sign out everywhere" are judged by. */
export function signInTimeS(t: Pick<SignInClaims, "iat" | "authTime">): number {
  return t.authTime === null ? t.iat : Math.min(t.iat, t.authTime);
}

export type SignInTokenRefusal = Refusal<"token_too_old", { maxAgeMinutes: number }> | Refusal<"invalid_token", { problem: "no_nonce" }>;

/** A token may start a session when it and the authentication behind it are fresh, and it carries a nonce to record as used. */
export function judgeSignInToken(t: SignInClaims, now: number): Ok | SignInTokenRefusal {
  if (now - signInTimeS(t) * 1000 > ID_TOKEN_MAX_AGE_MS) return refuse("token_too_old", { maxAgeMinutes: ID_TOKEN_MAX_AGE_MS / 60_000 });
  if (!t.nonce) return refuse("invalid_token", { problem: "no_nonce" as const });
  return ok();
}

/**
 * The smallest `sessions_valid_after` that revokes a token issued at `iatS`. `iat` has one-second
 * resolution, so a token issued in the same second as "sign out everywhere" still counts as after
 * it (signing in again at once must work; the few hundred milliseconds before the click are not a
 * window anyone can use). Revoked ⟺ sessionsValidAfter ≥ this; the sign-in batch checks it in SQL.
 */
export function revokingValidAfter(iatS: number): number {
  return (iatS + 1) * 1000;
}

export function issuedBeforeSignOutEverywhere(iatS: number, sessionsValidAfter: number): boolean {
  return sessionsValidAfter >= revokingValidAfter(iatS);
}

/** After this the nonce row can go: the token is refused as too old anyway. */
export function nonceRecordExpiresAt(iatS: number): number {
  return iatS * 1000 + ID_TOKEN_MAX_AGE_MS + ID_TOKEN_SKEW_S * 1000;
}
