import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

/**
 * Verifies an Auth0 ID token on the server: RS256 only, signature against the tenant's JWKS
 * (fetched once per isolate and cached by jose), issuer = tenant + "/", audience = our client id,
 * exp/nbf/iat with ≤ 60 s skew, nonce when the client sent one, sub present.
 */
export type IdTokenError = "invalid_token" | "token_expired" | "wrong_audience" | "wrong_issuer";

export class IdTokenRejected extends Error {
  constructor(
    public readonly code: IdTokenError,
    message: string,
  ) {
    super(message);
    this.name = "IdTokenRejected";
  }
}

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

const SKEW_S = 60;

export async function verifyIdToken(
  token: string,
  opts: { auth0Domain: string; clientId: string; nonce?: string; now?: number },
): Promise<VerifiedIdentity> {
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
    if (err instanceof errors.JWTExpired) throw new IdTokenRejected("token_expired", "The sign-in token has expired. Please sign in again.");
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === "aud") throw new IdTokenRejected("wrong_audience", "The sign-in token was issued for another application.");
      if (err.claim === "iss") throw new IdTokenRejected("wrong_issuer", "The sign-in token was issued by an unknown identity provider.");
      throw new IdTokenRejected("invalid_token", `The sign-in token is invalid (${err.claim}).`);
    }
    throw new IdTokenRejected("invalid_token", "The sign-in token could not be verified.");
  }
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  if (typeof payload.iat !== "number" || payload.iat > nowS + SKEW_S) {
    throw new IdTokenRejected("invalid_token", "The sign-in token was issued in the future.");
  }
  if (typeof payload.sub !== "string" || payload.sub.length === 0) {
    throw new IdTokenRejected("invalid_token", "The sign-in token has no subject.");
  }
  if (opts.nonce !== undefined && payload.nonce !== opts.nonce) {
    throw new IdTokenRejected("invalid_token", "The sign-in token does not match this sign-in attempt.");
  }
  const email = typeof payload.email === "string" ? payload.email.trim().toLowerCase() : "";
  if (!email) throw new IdTokenRejected("invalid_token", "The sign-in token has no email address.");
  return {
    sub: payload.sub,
    email,
    // Only a literal true counts (OIDC Core §5.1: a boolean); anything else fails closed. Stored on
    // the user at sign-in and required wherever the address itself grants something (transfers).
    emailVerified: payload.email_verified === true,
    name: typeof payload.name === "string" ? payload.name : null,
    claims: payload,
  };
}
