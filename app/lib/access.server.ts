/**
 * Cloudflare Access in front of /ops (ADR 025). Every /ops request (page, action, `.data`) must
 * carry the `Cf-Access-Jwt-Assertion` header that Access adds at the edge; we verify it ourselves
 * (Cloudflare's "Validate JWTs": RS256 against the team's JWKS at
 * <team domain>/cdn-cgi/access/certs, `iss` = the team domain, `aud` contains the application's
 * AUD tag, `exp`/`nbf` checked). The CF_Authorization cookie is never read: Cloudflare says it is
 * not guaranteed to be passed, and a cookie is what a browser would send to a bypassed origin too.
 * Same code in production and locally (the Access stand-in is the team domain there).
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";

export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";
/** The support view's paths: /ops, /ops/…, and their single-fetch `.data` twins (/ops.data, /ops/x.data). */
export const OPS_PATH = /^\/ops(?:[/.]|$)/;

export interface Staff {
  email: string;
  sub: string;
}

export type AccessVerdict = { ok: true; staff: Staff } | { ok: false; reason: "not_configured" | "missing" | "invalid" };

const accessConfig = z.object({
  ACCESS_TEAM_DOMAIN: z.url({ protocol: /^https?$/ }).transform((s) => s.replace(/\/+$/, "")),
  ACCESS_AUD: z.string().trim().min(1),
});

// One key set per team domain for the isolate's life: jose caches the keys and refetches on an
// unknown kid (Access rotates every 6 weeks, the old key stays valid 7 days), at most every 30 s.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keySetFor(teamDomain: string) {
  let ks = keySets.get(teamDomain);
  if (!ks) {
    ks = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`), { cooldownDuration: 30_000, cacheMaxAge: 60 * 60_000 });
    keySets.set(teamDomain, ks);
  }
  return ks;
}

const claims = z.object({ email: z.email(), sub: z.string().min(1) });

/** Who the Access assertion on this request says is asking, or why nobody is. */
export async function verifyAccess(request: Request, env: Env): Promise<AccessVerdict> {
  const cfg = accessConfig.safeParse(env);
  if (!cfg.success) return { ok: false, reason: "not_configured" };
  const token = request.headers.get(ACCESS_HEADER);
  if (!token) return { ok: false, reason: "missing" };
  try {
    const { payload } = await jwtVerify(token, keySetFor(cfg.data.ACCESS_TEAM_DOMAIN), {
      algorithms: ["RS256"],
      issuer: cfg.data.ACCESS_TEAM_DOMAIN,
      audience: cfg.data.ACCESS_AUD,
      requiredClaims: ["exp", "iat"],
    });
    const c = claims.safeParse(payload);
    if (!c.success) return { ok: false, reason: "invalid" };
    return { ok: true, staff: { email: c.data.email.toLowerCase(), sub: c.data.sub } };
  } catch {
    return { ok: false, reason: "invalid" };
  }
}
