// Local stand-in for the Auth0 tenant (OIDC). Shapes follow /work/shared/API-SHAPES.md §2, which
// cites auth0-spa-js v2 source (what the SDK sends and checks), auth0.com/docs/api/authentication
// (/authorize, /oauth/token, /v2/logout) and the OIDC discovery docs. Local tooling only, never deployed.
//
// The app is one Regular Web Application (client id = env.AUTH0_CLIENT_ID, secret =
// env.AUTH0_CLIENT_SECRET): a confidential client, so its code exchange must authenticate with the
// secret (client_secret_post or client_secret_basic) and the PKCE verifier, as Auth0 requires for
// that application type. A second application (OTHER_CLIENT) is registered on the same tenant so
// tests can hold a code Auth0 issued to someone else. Both allow appOrigin as their only
// callback/logout/web origin. Users: any well-formed email signs in through the hosted page; the
// password grants accept <anything>@example.com with the password `aovis-local-password` (a
// stand-in convenience for scripted sign-in: the client secret is checked only when one is sent).
// Every ID token carries iat, auth_time and a nonce: the one sent to /authorize, or for the
// password grants a fresh random one, so each scripted token can start a session once.
//
// Test-only control endpoints:
//   POST /__standin/sign  {claims, header?, omitDefaults?} → {token}: a JWT signed with the genuine key
//                         (defaults: alice's claims for our client, iat/auth_time now, a fresh nonce).
//   GET  /__standin/health (from lib/http.mjs).
import { createHash, randomBytes, webcrypto } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { readBody, sendHtml, sendJson, startServer } from "./lib/http.mjs";
import { errorPage, formPostPage, loginPage, webMessagePage } from "./auth0/pages.mjs";

const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TOKEN_TTL_S = 86_400;
const ID_TOKEN_TTL_S = 36_000; // Auth0's default ID token lifetime
export const LOCAL_PASSWORD = "aovis-local-password";
export const PASSWORD_DOMAIN = "example.com";
// The tenant's database connection; the only realm the password-realm grant knows.
const DATABASE_REALM = "Username-Password-Authentication";
const PASSWORD_REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
const KNOWN_SCOPES = ["openid", "profile", "email"];
/** The second registered application (see above). */
export const OTHER_CLIENT = Object.freeze({ id: "aovis-other-app", secret: "aovis-other-app-secret" });
export const DEFAULT_CLIENT_SECRET = "aovis-local-client-secret";
const RESPONSE_MODES = ["query", "fragment", "form_post", "web_message"];
// Carried through the hosted login form; everything else sent to /authorize is ignored.
const AUTHORIZE_FIELDS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "max_age",
  "audience",
];
// The stand-in's SSO session cookie. Path-scoped because cookies ignore ports: on localhost the app
// (another port, same host) would otherwise receive it too.
const SESSION_COOKIE = "auth0_standin_session";
const SESSION_COOKIE_PATH = "/authorize";

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const randomId = (bytes = 32) => b64url(randomBytes(bytes));
const sha256 = (s) => createHash("sha256").update(s).digest();
const nowS = () => Math.floor(Date.now() / 1000);

export const EMAIL_RE = /^[^\s@"<>()[\],;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const isEmail = (s) => typeof s === "string" && s.length <= 254 && EMAIL_RE.test(s);

/** Database-connection users look like auth0|<24 hex>; ours are derived from the email so they are stable. */
export function subFor(email) {
  return `auth0|${sha256(email.toLowerCase()).toString("hex").slice(0, 24)}`;
}

/**
 * Issuer: AUTH0_DOMAIN + "/" when that is where we actually listen (npm start: http://localhost:8790,
 * which is what auth0-spa-js and the server expect as `iss`), else our loopback URL (tests bind a
 * random port and point the app's AUTH0_DOMAIN at it). Never derived from the Host header.
 */
export function issuerFor(auth0Domain, port) {
  if (auth0Domain) {
    try {
      const u = new URL(auth0Domain);
      const p = Number(u.port || (u.protocol === "https:" ? 443 : 80));
      if (p === port) return `${auth0Domain.replace(/\/+$/, "")}/`;
    } catch {
      // not a URL: fall through to the loopback issuer
    }
  }
  return `http://127.0.0.1:${port}/`;
}

export async function startAuth0({ port, appOrigin = "http://localhost:8787", env = {} } = {}) {
  const clientId = env.AUTH0_CLIENT_ID || "aovis-local";
  /** @type {Map<string, {secret: string}>} the tenant's applications */
  const clients = new Map([
    [clientId, { secret: env.AUTH0_CLIENT_SECRET || DEFAULT_CLIENT_SECRET }],
    [OTHER_CLIENT.id, { secret: OTHER_CLIENT.secret }],
  ]);
  const appOrig = new URL(appOrigin).origin;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ kty: publicJwk.kty, use: "sig", alg: "RS256", kid, n: publicJwk.n, e: publicJwk.e }] };

  /** @type {Map<string, {clientId:string, redirectUri:string, codeChallenge:string, nonce?:string, email:string, scopes:string[], sid:string, authTime:number, maxAge?:number, expiresAt:number}>} */
  const codes = new Map();
  /** @type {Map<string, {sid:string, email:string, authTime:number}>} cookie value → SSO session */
  const sessions = new Map();
  /** @type {Map<string, {email:string, scopes:string[], expiresAt:number}>} */
  const accessTokens = new Map();
  /** @type {Map<string, string>} email → updated_at, fixed on first sign-in */
  const updatedAt = new Map();

  let issuer = ""; // set once the port is known
  const endpoint = (path) => new URL(path, issuer).toString();

  function profileClaims(email, scopes) {
    const claims = { sub: subFor(email) };
    if (!updatedAt.has(email)) updatedAt.set(email, new Date().toISOString());
    if (scopes.includes("profile")) {
      const local = email.split("@")[0];
      claims.name = local.charAt(0).toUpperCase() + local.slice(1);
      claims.nickname = local;
      claims.updated_at = updatedAt.get(email);
    }
    if (scopes.includes("email")) {
      claims.email = email;
      claims.email_verified = true;
    }
    return claims;
  }

  async function signIdToken(claims) {
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(privateKey);
  }

  /** Compact JWS with any header the test asks for, always signed RS256 with the genuine key. */
  async function signRaw(header, claims) {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = await webcrypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, Buffer.from(input));
    return `${input}.${b64url(Buffer.from(sig))}`;
  }

  function sweep() {
    const t = Date.now();
    for (const [k, v] of codes) if (v.expiresAt <= t) codes.delete(k);
    for (const [k, v] of accessTokens) if (v.expiresAt <= t) accessTokens.delete(k);
  }

  // Scopes we grant: the OIDC ones that were asked for. offline_access is dropped (the SPA has no
  // refresh-token rotation, so no refresh_token is issued) and API scopes need an audience we don't have.
  const grantedScopes = (scope) =>
    KNOWN_SCOPES.filter((s) =>
      String(scope ?? "")
        .split(/\s+/)
        .includes(s),
    );

  async function tokenResponse({ client, email, scopes, nonce, sid, authTime }) {
    sweep();
    const accessToken = randomId();
    accessTokens.set(accessToken, { email, scopes, expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000 });
    const body = { access_token: accessToken };
    if (scopes.includes("openid")) {
      const iat = nowS();
      const claims = { ...profileClaims(email, scopes), iss: issuer, aud: client, iat, exp: iat + ID_TOKEN_TTL_S, sid, auth_time: authTime };
      if (nonce) claims.nonce = nonce;
      body.id_token = await signIdToken(claims);
    }
    return { ...body, scope: scopes.join(" "), expires_in: ACCESS_TOKEN_TTL_S, token_type: "Bearer" };
  }

  // ---------------------------------------------------------------- /authorize

  /**
   * Validates authorize parameters (GET /authorize and the login form POST alike). Auth0 answers
   * problems with the client or the callback URL with its own error page (it must never redirect to
   * an unregistered URI); everything after that goes back to the application as error=… .
   */
  function validateAuthorize(p) {
    const page = (description, error = "invalid_request") => ({ kind: "page", error, description });
    if (!p.client_id) return page("Missing required parameter: client_id");
    if (!clients.has(p.client_id)) return page(`Unknown client: ${p.client_id}`);
    if (!p.redirect_uri) return page("Missing required parameter: redirect_uri");
    let redirect;
    try {
      redirect = new URL(p.redirect_uri);
    } catch {
      redirect = null;
    }
    if (!redirect || redirect.origin !== appOrig || redirect.hash || redirect.username || redirect.password) {
      return page(`Callback URL mismatch. ${p.redirect_uri} is not in the list of allowed callback URLs`, "unauthorized_client");
    }
    const mode = RESPONSE_MODES.includes(p.response_mode) ? p.response_mode : "query";
    const req = {
      clientId: p.client_id,
      redirectUri: p.redirect_uri,
      mode,
      state: p.state || undefined,
      nonce: p.nonce || undefined,
      codeChallenge: p.code_challenge,
      scopes: grantedScopes(p.scope),
      prompt: p.prompt || undefined,
      maxAge: p.max_age !== undefined && p.max_age !== "" ? Number(p.max_age) : undefined,
    };
    const fail = (error, description) => ({ kind: "error", req, error, description });
    if (p.response_mode && !RESPONSE_MODES.includes(p.response_mode)) return fail("invalid_request", `Unsupported response_mode: ${p.response_mode}`);
    if (!p.response_type) return fail("invalid_request", "Missing required parameter: response_type");
    if (p.response_type !== "code") return fail("unsupported_response_type", `Unsupported response type: ${p.response_type}`);
    // PKCE is required and only S256 is accepted: `plain` gives no protection to a public SPA client,
    // so this tenant refuses it (stricter than Auth0's default, which also allows plain).
    if (p.code_challenge_method !== "S256") {
      return fail(
        "invalid_request",
        p.code_challenge_method
          ? `Unsupported code_challenge_method: ${p.code_challenge_method}; use S256`
          : "Missing required parameter: code_challenge_method (S256)",
      );
    }
    if (!p.code_challenge) return fail("invalid_request", "Missing required parameter: code_challenge");
    if (!/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge)) return fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code_verifier");
    if (!req.scopes.includes("openid")) return fail("invalid_scope", "The scope must include openid");
    if (req.maxAge !== undefined && !(Number.isInteger(req.maxAge) && req.maxAge >= 0))
      return fail("invalid_request", "max_age must be a non-negative integer");
    if (req.prompt && !["none", "login", "consent", "select_account"].includes(req.prompt)) return fail("invalid_request", `Unsupported prompt: ${req.prompt}`);
    return { kind: "ok", req };
  }

  /** Delivers an authorization response (code or error) in the requested response mode. */
  function respond(res, req, params) {
    const fields = { ...params };
    if (req.state !== undefined) fields.state = req.state;
    const nonce = randomId(16);
    const target = new URL(req.redirectUri);
    if (req.mode === "web_message") {
      return sendHtml(res, 200, webMessagePage({ targetOrigin: target.origin, response: fields, nonce }), {
        "Cache-Control": "no-store",
        "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; frame-ancestors ${appOrig}`,
      });
    }
    if (req.mode === "form_post") {
      return sendHtml(res, 200, formPostPage({ action: req.redirectUri, fields, nonce }), {
        "Cache-Control": "no-store",
        "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action ${appOrig}; frame-ancestors 'none'`,
      });
    }
    if (req.mode === "fragment") {
      target.hash = new URLSearchParams(fields).toString();
    } else {
      for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v);
    }
    res.writeHead(302, { Location: target.toString(), "Cache-Control": "no-store", "Content-Length": 0 });
    res.end();
  }

  function issueCode(req, session) {
    sweep();
    const code = randomId();
    codes.set(code, {
      clientId: req.clientId,
      redirectUri: req.redirectUri,
      codeChallenge: req.codeChallenge,
      nonce: req.nonce,
      email: session.email,
      scopes: req.scopes,
      sid: session.sid,
      authTime: session.authTime,
      maxAge: req.maxAge,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    return code;
  }

  const sessionCookieOf = (req) => new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]+)`).exec(req.headers.cookie ?? "")?.[1];
  const sessionFrom = (req) => {
    const id = sessionCookieOf(req);
    return id ? sessions.get(id) : undefined;
  };

  const loginHeaders = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${appOrig}; frame-ancestors 'none'; base-uri 'none'`,
  };

  function showLogin(res, params, { status = 200, email = "", error = null } = {}) {
    const fields = Object.fromEntries(AUTHORIZE_FIELDS.map((k) => [k, params[k]]));
    return sendHtml(res, status, loginPage({ action: "/u/login", fields, email, error }), loginHeaders);
  }

  const pickAuthorize = (get) => Object.fromEntries(AUTHORIZE_FIELDS.map((k) => [k, get(k) ?? undefined]));

  function handleAuthorize(req, res, params) {
    const v = validateAuthorize(params);
    if (v.kind === "page") return sendHtml(res, 400, errorPage(v), { "Cache-Control": "no-store" });
    if (v.kind === "error") return respond(res, v.req, { error: v.error, error_description: v.description });
    const session = sessionFrom(req);
    const fresh = session && (v.req.maxAge === undefined || nowS() - session.authTime <= v.req.maxAge);
    if (v.req.prompt === "none") {
      if (!fresh) return respond(res, v.req, { error: "login_required", error_description: "Login required" });
      return respond(res, v.req, { code: issueCode(v.req, session) });
    }
    // Single sign-on: an existing session skips the login page unless the app asks for prompt=login.
    if (fresh && v.req.prompt !== "login") return respond(res, v.req, { code: issueCode(v.req, session) });
    return showLogin(res, params);
  }

  async function handleLoginSubmit(req, res) {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return sendHtml(res, 415, errorPage({ error: "invalid_request", description: "The login form must be posted as application/x-www-form-urlencoded" }));
    }
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString("utf8"));
    const params = pickAuthorize((k) => form.get(k));
    const v = validateAuthorize(params);
    if (v.kind === "page") return sendHtml(res, 400, errorPage(v), { "Cache-Control": "no-store" });
    if (v.kind === "error") return respond(res, v.req, { error: v.error, error_description: v.description });
    const email = (form.get("email") ?? "").trim();
    if (!isEmail(email)) {
      return showLogin(res, params, { status: 400, email, error: email ? "Enter a valid email address, like name@example.com." : "Enter your email address." });
    }
    const cookieValue = randomId();
    const session = { sid: randomId(16), email: email.toLowerCase(), authTime: nowS() };
    sessions.set(cookieValue, session);
    res.setHeader("Set-Cookie", `${SESSION_COOKIE}=${cookieValue}; Path=${SESSION_COOKIE_PATH}; HttpOnly; SameSite=Lax`);
    return respond(res, v.req, { code: issueCode(v.req, session) });
  }

  // ---------------------------------------------------------------- /oauth/token

  const tokenCors = {
    "Access-Control-Allow-Origin": appOrig,
    Vary: "Origin",
    "Cache-Control": "no-store",
    Pragma: "no-cache",
  };
  const tokenError = (res, status, error, error_description) => sendJson(res, status, { error, error_description }, tokenCors);

  async function readTokenParams(req) {
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]
      .trim()
      .toLowerCase();
    const raw = (await readBody(req, 64 * 1024)).toString("utf8");
    if (type === "application/json") {
      let obj;
      try {
        obj = JSON.parse(raw);
      } catch {
        return { error: "Invalid JSON body" };
      }
      if (!obj || typeof obj !== "object" || Array.isArray(obj)) return { error: "The body must be a JSON object" };
      const out = {};
      for (const [k, v] of Object.entries(obj)) if (typeof v === "string") out[k] = v;
      return { params: out };
    }
    if (type === "application/x-www-form-urlencoded") return { params: Object.fromEntries(new URLSearchParams(raw)) };
    return { error: "Content-Type must be application/x-www-form-urlencoded or application/json" };
  }

  /** client_secret_basic (Authorization: Basic base64(id:secret), each part form-encoded) or client_secret_post. */
  function clientCredentials(req, p) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(String(req.headers.authorization ?? ""));
    if (!m) return { id: p.client_id, secret: p.client_secret };
    const [id, ...rest] = Buffer.from(m[1], "base64").toString("utf8").split(":");
    const dec = (v) => decodeURIComponent(v.replace(/\+/g, " "));
    return { id: dec(id), secret: dec(rest.join(":")) };
  }

  async function handleToken(req, res) {
    const parsed = await readTokenParams(req);
    if (parsed.error) return tokenError(res, 400, "invalid_request", parsed.error);
    const p = parsed.params;
    if (!p.grant_type) return tokenError(res, 400, "invalid_request", "Missing required parameter: grant_type");
    const creds = clientCredentials(req, p);
    if (!creds.id) return tokenError(res, 400, "invalid_request", "Missing required parameter: client_id");
    // An unknown client id or a wrong client secret is Auth0's 401 access_denied "Unauthorized" on
    // the token endpoint (auth0/auth0-spa-js#454, auth0-samples/auth0-angular-samples#201, auth0/laravel-auth0#42).
    const client = clients.get(creds.id);
    if (!client) return tokenError(res, 401, "access_denied", "Unauthorized");
    if (creds.secret !== undefined && creds.secret !== client.secret) return tokenError(res, 401, "access_denied", "Unauthorized");

    if (p.grant_type === "authorization_code") {
      // A Regular Web Application is a confidential client: Auth0 verifies "the authorization code,
      // the application's client ID, and the application's credentials" at /oauth/token
      // (auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow,
      // step 7; RFC 6749 §4.1.3 and §2.3.1 for client_secret_post/basic), and with PKCE the
      // code_verifier whose S256 hash must equal the code_challenge sent to /authorize
      // (auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce;
      // RFC 7636 §4.6). Without the secret: refused.
      if (creds.secret === undefined) return tokenError(res, 401, "access_denied", "Unauthorized");
      for (const k of ["code", "code_verifier", "redirect_uri"]) {
        if (!p[k]) return tokenError(res, 400, "invalid_request", `Missing required parameter: ${k}`);
      }
      const entry = codes.get(p.code);
      // One-time: the code is spent by the first exchange that names it, successful or not, so a
      // verifier can't be guessed by retrying.
      codes.delete(p.code);
      if (!entry || entry.expiresAt <= Date.now()) return tokenError(res, 403, "invalid_grant", "Invalid authorization code");
      if (entry.clientId !== creds.id) return tokenError(res, 403, "invalid_grant", "Invalid authorization code");
      if (entry.redirectUri !== p.redirect_uri) return tokenError(res, 403, "invalid_grant", "Invalid redirect_uri: it must match the one sent to /authorize");
      if (b64url(sha256(p.code_verifier)) !== entry.codeChallenge) return tokenError(res, 403, "invalid_grant", "Failed to verify code verifier");
      return sendJson(res, 200, await tokenResponse({ ...entry, client: entry.clientId }), tokenCors);
    }

    if (p.grant_type === "password" || p.grant_type === PASSWORD_REALM_GRANT) {
      if (p.grant_type === PASSWORD_REALM_GRANT && !p.realm) return tokenError(res, 400, "invalid_request", "Missing required parameter: realm");
      if (p.realm && p.realm !== DATABASE_REALM) return tokenError(res, 400, "invalid_request", `Unknown realm: ${p.realm}`);
      if (!p.username) return tokenError(res, 400, "invalid_request", "Missing required parameter: username");
      if (!p.password) return tokenError(res, 400, "invalid_request", "Missing required parameter: password");
      const email = p.username.trim().toLowerCase();
      if (!isEmail(email) || email.split("@")[1] !== PASSWORD_DOMAIN || p.password !== LOCAL_PASSWORD) {
        return tokenError(res, 403, "invalid_grant", "Wrong email or password.");
      }
      // A fresh nonce per token: the app records the nonce of every token that starts a session.
      return sendJson(
        res,
        200,
        await tokenResponse({ client: creds.id, email, scopes: grantedScopes(p.scope), nonce: randomId(16), sid: randomId(16), authTime: nowS() }),
        tokenCors,
      );
    }

    if (p.grant_type === "refresh_token") return tokenError(res, 403, "invalid_grant", "Unknown or invalid refresh token.");
    if (
      [
        "client_credentials",
        "implicit",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        "http://auth0.com/oauth/grant-type/passwordless/otp",
        "http://auth0.com/oauth/grant-type/mfa-otp",
      ].includes(p.grant_type)
    ) {
      return tokenError(res, 403, "unauthorized_client", `Grant type '${p.grant_type}' not allowed for the client.`);
    }
    return tokenError(res, 400, "unsupported_grant_type", `Unsupported grant type: ${p.grant_type}`);
  }

  // ---------------------------------------------------------------- routes

  const handler = async (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? "GET";

    if (path === "/.well-known/openid-configuration" && method === "GET") {
      return sendJson(
        res,
        200,
        {
          issuer,
          authorization_endpoint: endpoint("authorize"),
          token_endpoint: endpoint("oauth/token"),
          userinfo_endpoint: endpoint("userinfo"),
          jwks_uri: endpoint(".well-known/jwks.json"),
          scopes_supported: KNOWN_SCOPES,
          response_types_supported: ["code"],
          response_modes_supported: ["query", "fragment", "form_post"],
          code_challenge_methods_supported: ["S256"],
          grant_types_supported: ["authorization_code", "password", PASSWORD_REALM_GRANT],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
          claims_supported: ["aud", "auth_time", "email", "email_verified", "exp", "iat", "iss", "name", "nickname", "nonce", "sid", "sub", "updated_at"],
          request_uri_parameter_supported: false,
          request_parameter_supported: false,
        },
        { "Access-Control-Allow-Origin": "*" },
      );
    }
    if (path === "/.well-known/jwks.json" && method === "GET") {
      return sendJson(res, 200, jwks, { "Access-Control-Allow-Origin": "*" });
    }

    if (path === "/authorize" && method === "GET")
      return handleAuthorize(
        req,
        res,
        pickAuthorize((k) => url.searchParams.get(k)),
      );
    if (path === "/u/login" && method === "POST") return handleLoginSubmit(req, res);

    if (path === "/oauth/token") {
      if (method === "OPTIONS") {
        // Preflight from auth0-spa-js: only the application's origin is an Allowed Web Origin.
        if (req.headers.origin !== appOrig) {
          res.writeHead(403, { Vary: "Origin", "Content-Length": 0 });
          return res.end();
        }
        res.writeHead(204, {
          "Access-Control-Allow-Origin": appOrig,
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": "content-type, auth0-client, dpop",
          "Access-Control-Max-Age": "86400",
          Vary: "Origin",
          "Content-Length": 0,
        });
        return res.end();
      }
      if (method !== "POST") return tokenError(res, 405, "invalid_request", "Use POST");
      return handleToken(req, res);
    }

    if (path === "/userinfo") {
      const cors = { "Access-Control-Allow-Origin": appOrig, Vary: "Origin" };
      if (method === "OPTIONS") {
        res.writeHead(204, { ...cors, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "authorization", "Content-Length": 0 });
        return res.end();
      }
      const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
      const tok = m && accessTokens.get(m[1]);
      if (!tok || tok.expiresAt <= Date.now()) {
        const body = Buffer.from("Unauthorized");
        res.writeHead(401, { ...cors, "Content-Type": "text/plain", "Content-Length": body.length, "WWW-Authenticate": 'Bearer error="invalid_token"' });
        return res.end(body);
      }
      return sendJson(res, 200, profileClaims(tok.email, tok.scopes), cors);
    }

    if (path === "/v2/logout" && method === "GET") {
      const cid = url.searchParams.get("client_id");
      if (cid !== null && !clients.has(cid)) return sendHtml(res, 400, errorPage({ error: "invalid_request", description: `Unknown client: ${cid}` }));
      const returnTo = url.searchParams.get("returnTo");
      let target = `${appOrig}/`;
      if (returnTo !== null) {
        let u = null;
        try {
          u = new URL(returnTo);
        } catch {
          // refused below
        }
        if (!u || u.origin !== appOrig || u.username || u.password) {
          return sendHtml(
            res,
            400,
            errorPage({
              error: "invalid_request",
              description: `The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`,
            }),
          );
        }
        target = u.toString();
      }
      const sessionId = sessionCookieOf(req);
      if (sessionId) sessions.delete(sessionId);
      res.writeHead(302, {
        Location: target,
        "Set-Cookie": `${SESSION_COOKIE}=; Path=${SESSION_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`,
        "Cache-Control": "no-store",
        "Content-Length": 0,
      });
      return res.end();
    }

    if (path === "/__standin/sign" && method === "POST") {
      let body;
      try {
        body = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
      } catch {
        return sendJson(res, 400, { error: "invalid_json" });
      }
      const claims = body?.claims ?? {};
      const header = body?.header ?? {};
      if (typeof claims !== "object" || Array.isArray(claims) || typeof header !== "object" || Array.isArray(header)) {
        return sendJson(res, 400, { error: "invalid_request", message: "claims and header must be objects" });
      }
      const iat = nowS();
      const defaults = body.omitDefaults
        ? {}
        : {
            ...profileClaims("alice@example.com", ["openid", "profile", "email"]),
            iss: issuer,
            aud: clientId,
            iat,
            exp: iat + ID_TOKEN_TTL_S,
            auth_time: iat,
            nonce: randomId(16),
          };
      const token = await signRaw({ alg: "RS256", typ: "JWT", kid, ...header }, { ...defaults, ...claims });
      return sendJson(res, 200, { token });
    }

    return sendJson(res, 404, { error: "not_found", error_description: `No route for ${method} ${path}` });
  };

  const server = await startServer({ service: "auth0", port, handler });
  issuer = issuerFor(env.AUTH0_DOMAIN, server.port);
  return { ...server, issuer };
}
