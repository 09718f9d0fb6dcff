import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { ID_TOKEN_SKEW_S as SKEW_S } from "~/domain/sign-in-policy";

/**
 * Verifies an Auth0 ID token on the server: RS256 only, signature against the tenant's JWKS
 * (fetched once per isolate and cached by jose), issuer = tenant + "/", audience = our client id,
 * exp/nbf/iat with ≤ 60 s skew (iat not in the future), sub present, nonce when the client sent
 * one, an email present (ADR 006). A token that fails is a refusal with a stable code (401 each,
 * sentences in app/http/refusals/identity.ts). Whether a verified token may start a session (fresh,
 * single use, after the last "sign out everywhere") is app/domain/sign-in-policy.ts (ADR 012).
 */
export type InvalidTokenProblem = "unverifiable" | "claim" | "issued_in_future" | "no_subject" | "nonce_mismatch" | "no_email" | "no_nonce";

export type IdTokenRefusal =
  Refusal<"token_expired"> | Refusal<"wrong_audience"> | Refusal<"wrong_issuer"> | Refusal<"invalid_token", { problem: InvalidTokenProblem; claim?: string }>;

export type IdTokenError = IdTokenRefusal["error"];

export interface VerifiedIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  claims: JWTPayload;
}

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(issuer: string) {
  let set = jwksCache.get(issuer);
  if (!set) {
    set = createRemoteJWKSet(new URL(".well-known/jwks.json", issuer), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    jwksCache.set(issuer, set);
  }
  return set;
}

export function issuerFor(auth0Domain: string): string {
  return auth0Domain.endsWith("/") ? auth0Domain : `${auth0Domain}/`;
}

const invalid = (problem: InvalidTokenProblem, claim?: string): IdTokenRefusal =>
  refuse("invalid_token", { problem, ...(claim !== undefined ? { claim } : {}) });

export async function verifyIdToken(
  token: string,
  opts: { auth0Domain: string; clientId: string; nonce?: string; now?: number },
): Promise<Ok<{ identity: VerifiedIdentity }> | IdTokenRefusal> {
  const issuer = issuerFor(opts.auth0Domain);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwksFor(issuer), {
      algorithms: ["RS256"],
      issuer,
      audience: opts.clientId,
      clockTolerance: SKEW_S,
      requiredClaims: ["sub", "iat", "exp"],
      currentDate: opts.now ? new Date(opts.now) : undefined,
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) return refuse("token_expired");
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === "aud") return refuse("wrong_audience");
      if (err.claim === "iss") return refuse("wrong_issuer");
      return invalid("claim", err.claim);
    }
    return invalid("unverifiable");
  }
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  if (typeof payload.iat !== "number" || payload.iat > nowS + SKEW_S) return invalid("issued_in_future");
  if (typeof payload.sub !== "string" || payload.sub.length === 0) return invalid("no_subject");
  if (opts.nonce !== undefined && payload.nonce !== opts.nonce) return invalid("nonce_mismatch");
  const email = typeof payload.email === "string" ? payload.email.trim().toLowerCase() : "";
  if (!email) return invalid("no_email");
  return ok({
    identity: {
      sub: payload.sub,
      email,
      // Only a literal true counts (OIDC Core §5.1: a boolean); anything else fails closed. Stored on
      // the user at sign-in and required wherever the address itself grants something (transfers).
      emailVerified: payload.email_verified === true,
      name: typeof payload.name === "string" ? payload.name : null,
      claims: payload,
    },
  });
}
