import { env } from "cloudflare:test";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { OTHER_AUTH0_CLIENT as OTHER_CLIENT } from "../helpers/auth";

// The Auth0 stand-in (standins/auth0.mjs) as the app uses it: discovery, the hosted
// login page, the code + PKCE exchange, the password grants, CORS, logout and the test signer.
const APP = "http://localhost:8787";
const CALLBACK = `${APP}/auth/callback`;
const base = () => env.TEST_STANDIN_URLS.auth0;
const clientId = () => env.AUTH0_CLIENT_ID;
const secret = () => env.AUTH0_CLIENT_SECRET;

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
async function pkce() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

function authorizeUrl(overrides: Record<string, string | null> = {}) {
  const params: Record<string, string | null> = {
    response_type: "code",
    response_mode: "query",
    client_id: clientId(),
    redirect_uri: CALLBACK,
    scope: "openid profile email",
    state: "st-" + crypto.randomUUID(),
    nonce: "n-" + crypto.randomUUID(),
    code_challenge: "",
    code_challenge_method: "S256",
    ...overrides,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) q.set(k, v);
  return `${base()}/authorize?${q}`;
}

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Reads the hosted login page the way a browser submits it: the form's action and its hidden fields. */
function loginForm(html: string) {
  const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error("no login form");
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], decodeEntities(m[2])]));
  return { action: new URL(decodeEntities(action), base()).toString(), fields };
}

/** GET /authorize → login page → POST email → the redirect back to the app. */
async function signInThroughPage(email = "alice@example.com") {
  const { verifier, challenge } = await pkce();
  const url = new URL(authorizeUrl({ code_challenge: challenge }));
  const page = await fetch(url, { redirect: "manual" });
  expect(page.status).toBe(200);
  const { action, fields } = loginForm(await page.text());
  const res = await fetch(action, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, email }),
  });
  expect(res.status).toBe(302);
  const loc = new URL(res.headers.get("Location")!);
  return { loc, verifier, state: url.searchParams.get("state")!, nonce: url.searchParams.get("nonce")! };
}

function exchange(params: Record<string, string>, json = false) {
  return fetch(`${base()}/oauth/token`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded",
      Origin: APP,
      "Auth0-Client": btoa(JSON.stringify({ name: "auth0-spa-js", version: "2.28.3" })),
    },
    body: json ? JSON.stringify(params) : new URLSearchParams(params),
  });
}

async function discovery() {
  return (await (await fetch(`${base()}/.well-known/openid-configuration`)).json()) as Record<string, string>;
}

async function verify(token: string) {
  const d = await discovery();
  return jwtVerify(token, createRemoteJWKSet(new URL(d.jwks_uri)), { issuer: `${base()}/`, audience: clientId(), algorithms: ["RS256"] });
}

describe("Auth0 stand-in: discovery and keys", () => {
  it("advertises the issuer (base + '/') with absolute endpoints, and an RS256 signing key", async () => {
    const d = await discovery();
    expect(d.issuer).toBe(`${base()}/`);
    expect(d.authorization_endpoint).toBe(`${base()}/authorize`);
    expect(d.token_endpoint).toBe(`${base()}/oauth/token`);
    expect(d.userinfo_endpoint).toBe(`${base()}/userinfo`);
    expect(d.jwks_uri).toBe(`${base()}/.well-known/jwks.json`);
    expect(d.code_challenge_methods_supported).toEqual(["S256"]);
    const jwks = (await (await fetch(d.jwks_uri)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
    expect(jwks.keys[0].kid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(jwks.keys[0].n.length).toBeGreaterThan(300);
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});

describe("Auth0 stand-in: authorization code + PKCE", () => {
  it("hosted page → code with the echoed state → token exchange → ID token that verifies and carries the nonce; the code works once", async () => {
    const { verifier, challenge } = await pkce();
    const state = "state-with &=+ chars";
    const nonce = "nonce-" + crypto.randomUUID();
    const page = await fetch(authorizeUrl({ code_challenge: challenge, state, nonce }), { redirect: "manual" });
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    const html = await page.text();
    expect(html).toMatch(/<label for="email">[^<]+<\/label>\s*<input id="email" name="email" type="email"/);
    expect(html).toMatch(/<button type="submit">Continue<\/button>/);
    const { action, fields } = loginForm(html);
    expect(fields).toMatchObject({ client_id: clientId(), redirect_uri: CALLBACK, state, nonce, code_challenge: challenge, code_challenge_method: "S256" });

    // A malformed email re-renders the form with an announced error and no redirect.
    const invalid = await fetch(action, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, email: "not-an-email" }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("Location")).toBeNull();
    expect(await invalid.text()).toMatch(/role="alert"/);

    const res = await fetch(action, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, email: "alice@example.com" }),
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("Location")!);
    expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
    expect(loc.searchParams.get("state")).toBe(state);
    const code = loc.searchParams.get("code")!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{32,}$/);

    const params = { grant_type: "authorization_code", client_id: clientId(), client_secret: secret(), code, code_verifier: verifier, redirect_uri: CALLBACK };
    const tok = await exchange(params);
    expect(tok.status).toBe(200);
    expect(tok.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    const body = (await tok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ scope: "openid profile email", expires_in: 86400, token_type: "Bearer" });
    expect(typeof body.access_token).toBe("string");

    const { payload, protectedHeader } = await verify(body.id_token as string);
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({ nonce, email: "alice@example.com", email_verified: true, name: "Alice", nickname: "alice", aud: clientId() });
    expect(payload.sub).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(payload.exp! - payload.iat!).toBe(36000);
    expect(typeof payload.sid).toBe("string");

    // The access token opens /userinfo for the same user.
    const ui = await fetch(`${base()}/userinfo`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(ui.status).toBe(200);
    expect(await ui.json()).toMatchObject({ sub: payload.sub, email: "alice@example.com" });
    expect((await fetch(`${base()}/userinfo`, { headers: { Authorization: "Bearer nope" } })).status).toBe(401);

    const again = await exchange(params);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("the same email always gets the same sub, another email another", async () => {
    const subOf = async (email: string) => {
      const { loc, verifier } = await signInThroughPage(email);
      const tok = await exchange({
        grant_type: "authorization_code",
        client_id: clientId(),
        client_secret: secret(),
        code: loc.searchParams.get("code")!,
        code_verifier: verifier,
        redirect_uri: CALLBACK,
      });
      return (await verify(((await tok.json()) as { id_token: string }).id_token)).payload.sub;
    };
    const a = await subOf("bob@example.com");
    expect(await subOf("BOB@example.com")).toBe(a);
    expect(await subOf("carol@example.com")).not.toBe(a);
  });

  it("refuses a wrong verifier, a different redirect_uri and another client (JSON bodies)", async () => {
    const wrong = await signInThroughPage();
    const res = await exchange(
      {
        grant_type: "authorization_code",
        client_id: clientId(),
        client_secret: secret(),
        code: wrong.loc.searchParams.get("code")!,
        code_verifier: (await pkce()).verifier,
        redirect_uri: CALLBACK,
      },
      true,
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });

    const redirect = await signInThroughPage();
    const res2 = await exchange(
      {
        grant_type: "authorization_code",
        client_id: clientId(),
        client_secret: secret(),
        code: redirect.loc.searchParams.get("code")!,
        code_verifier: redirect.verifier,
        redirect_uri: `${APP}/elsewhere`,
      },
      true,
    );
    expect(res2.status).toBe(403);
    expect(await res2.json()).toMatchObject({ error: "invalid_grant" });

    const client = await signInThroughPage();
    const res3 = await exchange(
      {
        grant_type: "authorization_code",
        client_id: "someone-else",
        code: client.loc.searchParams.get("code")!,
        code_verifier: client.verifier,
        redirect_uri: CALLBACK,
      },
      true,
    );
    expect(res3.status).toBe(401);
    expect(await res3.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });

    const missing = await exchange(
      { grant_type: "authorization_code", client_id: clientId(), client_secret: secret(), code: "x", redirect_uri: CALLBACK },
      true,
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_request" });
  });

  it("is a Regular Web Application: the code exchange needs the client secret (post or basic) and the PKCE verifier", async () => {
    const code = async () => {
      const r = await signInThroughPage();
      return { code: r.loc.searchParams.get("code")!, verifier: r.verifier };
    };
    const params = (c: { code: string; verifier: string }) => ({
      grant_type: "authorization_code",
      client_id: clientId(),
      code: c.code,
      code_verifier: c.verifier,
      redirect_uri: CALLBACK,
    });
    const variants: Record<string, string>[] = [{}, { client_secret: "wrong-secret" }, { client_secret: "" }];
    for (const extra of variants) {
      const res = await exchange({ ...params(await code()), ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(401);
      expect(await res.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    }
    // client_secret_basic works as well as client_secret_post.
    const c = await code();
    const basic = await fetch(`${base()}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${btoa(`${clientId()}:${secret()}`)}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code: c.code, code_verifier: c.verifier, redirect_uri: CALLBACK }),
    });
    expect(basic.status).toBe(200);
    const { payload } = await verify(((await basic.json()) as { id_token: string }).id_token);
    expect(typeof payload.auth_time).toBe("number");
    expect(payload.auth_time!).toBeLessThanOrEqual(payload.iat!);
  });

  it("a code issued to another registered application is refused to ours (invalid_grant), even with our secret", async () => {
    const { verifier, challenge } = await pkce();
    const page = await fetch(authorizeUrl({ client_id: OTHER_CLIENT.id, code_challenge: challenge }), { redirect: "manual" });
    expect(page.status).toBe(200);
    const { action, fields } = loginForm(await page.text());
    const res = await fetch(action, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, email: "alice@example.com" }),
    });
    const otherCode = new URL(res.headers.get("Location")!).searchParams.get("code")!;
    const ours = await exchange({
      grant_type: "authorization_code",
      client_id: clientId(),
      client_secret: secret(),
      code: otherCode,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    });
    expect(ours.status).toBe(403);
    expect(await ours.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses PKCE plain or missing and a scope without openid by redirecting back with an error and the state", async () => {
    const { challenge } = await pkce();
    const cases: [Record<string, string | null>, string][] = [
      [{ code_challenge: challenge, code_challenge_method: "plain" }, "invalid_request"],
      [{ code_challenge: challenge, code_challenge_method: null }, "invalid_request"],
      [{ code_challenge: null }, "invalid_request"],
      [{ code_challenge: challenge, scope: "profile email" }, "invalid_scope"],
      [{ code_challenge: challenge, response_type: "token" }, "unsupported_response_type"],
    ];
    for (const [overrides, error] of cases) {
      const res = await fetch(authorizeUrl({ state: "keep-me", ...overrides }), { redirect: "manual" });
      expect(res.status, JSON.stringify(overrides)).toBe(302);
      const loc = new URL(res.headers.get("Location")!);
      expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
      expect(loc.searchParams.get("error")).toBe(error);
      expect(loc.searchParams.get("state")).toBe("keep-me");
      expect(loc.searchParams.has("code")).toBe(false);
    }
  });

  it("never redirects to a foreign redirect_uri or for an unknown client: an error page instead", async () => {
    const { challenge } = await pkce();
    const cases: Record<string, string | null>[] = [
      { redirect_uri: "https://evil.example/callback" },
      { redirect_uri: "http://localhost:8788/auth/callback" },
      { client_id: "someone-else" },
      { redirect_uri: null },
    ];
    for (const overrides of cases) {
      const res = await fetch(authorizeUrl({ code_challenge: challenge, ...overrides }), { redirect: "manual" });
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.headers.get("Location")).toBeNull();
      expect(res.headers.get("Content-Type")).toContain("text/html");
      expect(await res.text()).not.toContain("<form");
    }
  });

  it("prompt=none without a stand-in session answers login_required through web_message to the app origin only", async () => {
    const { challenge } = await pkce();
    const res = await fetch(authorizeUrl({ code_challenge: challenge, prompt: "none", response_mode: "web_message", redirect_uri: APP, state: "s1" }), {
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('type: "authorization_response"');
    expect(html).toContain('{"error":"login_required","error_description":"Login required","state":"s1"}');
    expect(html).toContain(`postMessage(message, "${APP}")`);
  });
});

describe("Auth0 stand-in: password grants", () => {
  const password = (extra: Record<string, string>, json = false) =>
    exchange(
      {
        grant_type: "password",
        client_id: clientId(),
        username: "alice@example.com",
        password: "aovis-local-password",
        scope: "openid profile email",
        ...extra,
      },
      json,
    );

  it("signs alice in (form and JSON, password and password-realm) with a verifiable ID token", async () => {
    for (const res of [
      await password({}),
      await password({}, true),
      await password({ grant_type: "http://auth0.com/oauth/grant-type/password-realm", realm: "Username-Password-Authentication" }),
    ]) {
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id_token: string; expires_in: number; token_type: string };
      expect(body).toMatchObject({ expires_in: 86400, token_type: "Bearer" });
      const { payload } = await verify(body.id_token);
      expect(payload.email).toBe("alice@example.com");
    }
  });

  it("each token carries iat, auth_time and its own fresh nonce (so a scripted token signs in once); a wrong secret is refused", async () => {
    const payloads = [];
    for (let i = 0; i < 2; i++) {
      const res = await password({});
      payloads.push((await verify(((await res.json()) as { id_token: string }).id_token)).payload);
    }
    for (const p of payloads) {
      expect(p.nonce).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(p.auth_time).toBe(p.iat);
    }
    expect(payloads[0].nonce).not.toBe(payloads[1].nonce);
    expect((await password({ client_secret: "wrong" })).status).toBe(401);
    expect((await password({ client_secret: secret() })).status).toBe(200);
  });

  it("no id_token without openid", async () => {
    const res = await password({ scope: "profile" });
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty("id_token");
  });

  it("wrong password, another domain or a malformed email → 403 'Wrong email or password.'", async () => {
    const cases: Record<string, string>[] = [
      { password: "nope" },
      { username: "alice@example.org" },
      { username: "alice@evil.example.com" },
      { username: "alice" },
    ];
    for (const extra of cases) {
      const res = await password(extra);
      expect(res.status, JSON.stringify(extra)).toBe(403);
      expect(await res.json()).toEqual({ error: "invalid_grant", error_description: "Wrong email or password." });
    }
  });

  it("an unknown grant type, a bad body and a missing parameter are refused with JSON errors", async () => {
    expect(await (await password({ grant_type: "urn:nope" })).json()).toMatchObject({ error: "unsupported_grant_type" });
    const noUser = await password({ username: "" });
    expect(noUser.status).toBe(400);
    expect(await noUser.json()).toMatchObject({ error: "invalid_request" });
    const bad = await fetch(`${base()}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("Auth0 stand-in: CORS, logout, test signer", () => {
  it("answers the token preflight for the app origin only", async () => {
    const pre = (origin: string) =>
      fetch(`${base()}/oauth/token`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "auth0-client,content-type,dpop" },
      });
    const ok = await pre(APP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(ok.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    const allowed = ok.headers.get("Access-Control-Allow-Headers")!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "auth0-client", "dpop"]));
    const evil = await pre("https://evil.example");
    expect(evil.headers.get("Access-Control-Allow-Origin")).toBeNull();
    // Errors carry the header too, so the SDK can read {error, error_description}.
    const err = await exchange({ grant_type: "password", client_id: clientId(), username: "x@example.com", password: "no" });
    expect(err.headers.get("Access-Control-Allow-Origin")).toBe(APP);
  });

  it("/v2/logout returns to the app origin and refuses any other returnTo", async () => {
    const logout = (q: Record<string, string>) => fetch(`${base()}/v2/logout?${new URLSearchParams(q)}`, { redirect: "manual" });
    const ok = await logout({ client_id: clientId(), returnTo: `${APP}/` });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe(`${APP}/`);
    const bare = await logout({ client_id: clientId() });
    expect(bare.status).toBe(302);
    expect(bare.headers.get("Location")).toBe(`${APP}/`);
    for (const returnTo of ["https://evil.example/", "http://localhost:8787.evil.example/", "//evil.example"]) {
      const bad = await logout({ client_id: clientId(), returnTo });
      expect(bad.status, returnTo).toBe(400);
      expect(bad.headers.get("Location")).toBeNull();
    }
  });

  it("/__standin/sign makes tokens with the genuine key: defaults verify, overrides fail only their own check", async () => {
    const sign = async (body: unknown) =>
      (
        (await (
          await fetch(`${base()}/__standin/sign`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        ).json()) as { token: string }
      ).token;
    const { payload } = await verify(await sign({ claims: {} }));
    expect(payload).toMatchObject({ email: "alice@example.com", iss: `${base()}/`, aud: clientId() });
    expect(payload.sub).toMatch(/^auth0\|[0-9a-f]{24}$/);

    const wrongAud = verify(await sign({ claims: { aud: "someone-else" } }));
    await expect(wrongAud).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    await expect(wrongAud).rejects.toMatchObject({ claim: "aud" });

    const exact = await sign({ claims: { iss: `${base()}/`, aud: clientId(), iat: 1, exp: 2 }, omitDefaults: true });
    const parts = exact.split(".");
    expect(JSON.parse(atob(parts[1].replace(/-/g, "+").replace(/_/g, "/")))).toEqual({ iss: `${base()}/`, aud: clientId(), iat: 1, exp: 2 });
    await expect(verify(exact)).rejects.toBeInstanceOf(errors.JWTExpired);
  });
});
