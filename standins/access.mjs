// Local stand-in for Cloudflare Access in front of /ops (ADR 025), on :8796. Local tooling only,
// never deployed. What it mimics, per Cloudflare's docs:
// - "Validate JWTs" (developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json):
//   every request Access lets through to the origin carries the application token in the
//   `Cf-Access-Jwt-Assertion` header (browsers also get it as the CF_Authorization cookie, which
//   the app must not rely on); the team's public keys are a JWKS at
//   https://<team>.cloudflareaccess.com/cdn-cgi/access/certs ({keys, public_cert, public_certs}).
// - "Application token" (…/authorization-cookie/application-token/): RS256, header kid, claims
//   aud (array holding the application's AUD tag), email, exp, iat, nbf, iss (the team domain),
//   type "app", identity_nonce, sub (the user's id), country.
// - Access sits in front of the app on the app's own hostname: an unauthenticated browser is sent
//   to the team's login page, then back with the CF_Authorization cookie, and every later request
//   to the protected path gets the header. Here that is a reverse proxy on its own port: it
//   forwards everything to the app (APP_ORIGIN), and requests to /ops (pages, actions and `.data`)
//   only after its own sign-in, with the header added. Because the proxy plays "the app's own
//   hostname", a browser Origin equal to the proxy's is rewritten to APP_ORIGIN (a foreign Origin
//   is forwarded untouched and the app's CSRF check refuses it), and Location headers naming
//   APP_ORIGIN are rewritten back to the proxy.
// Staff: any address @aovis.example (the team's identity provider, here a form) signs in.
//
// Routes: GET /cdn-cgi/access/certs (JWKS), GET|POST /cdn-cgi/access/login (sign-in page),
// GET /cdn-cgi/access/logout; everything else is proxied.
// Test-only: POST /__standin/sign {claims?, expiresInS?} → {token}: signed with the genuine key
// (defaults: staff@aovis.example, our AUD, our issuer, 5 minutes).
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, importJWK } from "jose";
import { escapeHtml, readBody, sendHtml, sendJson, startServer } from "./lib/http.mjs";

export const STAFF_DOMAIN = "aovis.example";
export const DEFAULT_ACCESS_AUD = "aovis-local-access-aud-0000000000000000000000000000000000000000";
const COOKIE = "CF_Authorization";
const TOKEN_TTL_S = 24 * 60 * 60; // Access's default application session duration
const PROTECTED = /^\/ops(?:[/.?]|$)/;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host"]);

const nowS = () => Math.floor(Date.now() / 1000);
const isStaffEmail = (s) => typeof s === "string" && s.length <= 254 && new RegExp(`^[^\\s@"<>]+@${STAFF_DOMAIN.replace(".", "\\.")}$`, "i").test(s);

function cookieValue(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

const loginPage = (
  redirect,
  error = "",
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Cloudflare Access (local stand-in)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 10px #0002;max-width:24rem;width:calc(100% - 3rem)}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.6rem;font:inherit;border:1px solid #6b7280;border-radius:6px}
button{margin-top:1rem;width:100%;padding:.7rem;font:inherit;font-weight:600;background:#1d4ed8;color:#fff;border:0;border-radius:6px;cursor:pointer}
p.err{color:#b91c1c}small{color:#4b5563}</style></head><body><main>
<h1>AOVIS staff sign-in</h1><p><small>Cloudflare Access stand-in. Any address @${STAFF_DOMAIN} signs in locally.</small></p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/cdn-cgi/access/login"><input type="hidden" name="redirect_url" value="${escapeHtml(redirect)}">
<label for="email">Staff e-mail</label><input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Sign in</button></form></main></body></html>`;

/** A relative path on this host only (never an open redirect). */
const safeRedirect = (r) => (typeof r === "string" && r.startsWith("/") && !r.startsWith("//") ? r : "/ops");

/** @param {{port?: number, appOrigin?: string, env?: Record<string,string>}} opts */
export async function startAccess({ port = 8796, appOrigin = "http://localhost:8787", env = {} } = {}) {
  const aud = env.ACCESS_AUD || DEFAULT_ACCESS_AUD;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = createHash("sha256").update(JSON.stringify(jwk)).digest("hex");
  const publicJwk = { kid, kty: "RSA", alg: "RS256", use: "sig", e: jwk.e, n: jwk.n };
  const verifyKey = await importJWK(publicJwk, "RS256");
  let issuer = "";
  let selfOrigins = [];

  const sign = (claims = {}, expiresInS = TOKEN_TTL_S) => {
    const email = claims.email ?? `staff@${STAFF_DOMAIN}`;
    const iat = claims.iat ?? nowS();
    return new SignJWT({
      type: "app",
      email,
      identity_nonce: randomUUID(),
      country: "US",
      sub: createHash("sha256").update(String(email).toLowerCase()).digest("hex").slice(0, 36),
      ...claims,
      aud: claims.aud ?? [aud],
      iss: claims.iss ?? issuer,
      iat,
      nbf: claims.nbf ?? iat,
      exp: claims.exp ?? iat + expiresInS,
    })
      .setProtectedHeader({ alg: "RS256", kid })
      .sign(privateKey);
  };

  async function signedIn(req) {
    const token = cookieValue(req, COOKIE);
    if (!token) return null;
    try {
      await jwtVerify(token, verifyKey, { issuer, audience: aud, algorithms: ["RS256"] });
      return token;
    } catch {
      return null;
    }
  }

  function proxy(req, res, url, token) {
    const target = new URL(url.pathname + url.search, appOrigin);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    headers.host = target.host;
    // The header Access adds; whatever a client sent under that name is never passed on.
    delete headers["cf-access-jwt-assertion"];
    if (token) headers["cf-access-jwt-assertion"] = token;
    if (headers.origin && selfOrigins.includes(headers.origin)) headers.origin = new URL(appOrigin).origin;
    const upstream = http.request(target, { method: req.method, headers }, (up) => {
      const out = { ...up.headers };
      if (typeof out.location === "string" && out.location.startsWith(new URL(appOrigin).origin)) {
        out.location = out.location.slice(new URL(appOrigin).origin.length) || "/";
      }
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    });
    upstream.on("error", (err) => {
      if (!res.headersSent) sendJson(res, 502, { error: "bad_gateway", message: `The app at ${appOrigin} did not answer: ${err.message}` });
      else res.destroy();
    });
    req.pipe(upstream);
  }

  const started = await startServer({
    service: "access",
    port,
    handler: async (req, res, url) => {
      if (req.method === "GET" && url.pathname === "/cdn-cgi/access/certs") {
        return sendJson(res, 200, { keys: [publicJwk], public_cert: { kid }, public_certs: [{ kid }] });
      }
      if (req.method === "POST" && url.pathname === "/__standin/sign") {
        const body = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
        return sendJson(res, 200, { token: await sign(body.claims ?? {}, body.expiresInS ?? 300) });
      }
      if (url.pathname === "/cdn-cgi/access/login") {
        if (req.method === "GET") return sendHtml(res, 200, loginPage(safeRedirect(url.searchParams.get("redirect_url"))));
        if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });
        const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString("utf8"));
        const email = (form.get("email") ?? "").trim();
        const redirect = safeRedirect(form.get("redirect_url"));
        if (!isStaffEmail(email)) return sendHtml(res, 403, loginPage(redirect, `Only @${STAFF_DOMAIN} addresses may sign in.`));
        const token = await sign({ email });
        res.writeHead(302, { Location: redirect, "Set-Cookie": `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${TOKEN_TTL_S}` });
        return res.end();
      }
      if (url.pathname === "/cdn-cgi/access/logout") {
        res.writeHead(302, { Location: "/cdn-cgi/access/login", "Set-Cookie": `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
        return res.end();
      }
      if (PROTECTED.test(url.pathname)) {
        const token = await signedIn(req);
        if (!token) {
          if (req.method === "GET" && !url.pathname.endsWith(".data")) {
            res.writeHead(302, { Location: `/cdn-cgi/access/login?redirect_url=${encodeURIComponent(url.pathname + url.search)}` });
            return res.end();
          }
          return sendJson(res, 403, { error: "access_denied", message: "Sign in through Cloudflare Access first." });
        }
        return proxy(req, res, url, token);
      }
      return proxy(req, res, url, null);
    },
  });
  issuer = env.ACCESS_TEAM_DOMAIN && new URL(env.ACCESS_TEAM_DOMAIN).port === String(started.port) ? env.ACCESS_TEAM_DOMAIN.replace(/\/$/, "") : started.url;
  selfOrigins = [`http://127.0.0.1:${started.port}`, `http://localhost:${started.port}`];
  return { ...started, issuer, aud, kid, sign };
}
