import { env } from "cloudflare:test";
import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
// The generated Remix server build (npm test builds it first), typed by workers/server-build.d.ts.
import * as build from "../../build/server/index.js";
import { randomToken, sha256Hex as appSha256Hex } from "~/lib/crypto.server";
import { appFetch, ORIGIN } from "../helpers/app";
import { cookieFrom, idTokenFor, postSession, signedToken, signIn } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";

async function sha256Hex(v: string) {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(v));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
const kvKeyOf = async (cookie: string) => `session:${await sha256Hex(cookie.split("=")[1])}`;
const issuer = () => `${env.TEST_STANDIN_URLS.auth0}/`;

async function editSession(cookie: string, patch: Record<string, number | string | undefined>) {
  const key = await kvKeyOf(cookie);
  const rec = JSON.parse((await env.SESSIONS.get(key))!);
  await env.SESSIONS.put(key, JSON.stringify({ ...rec, ...patch }));
}

describe("sign-in with an Auth0 ID token", () => {
  it("password grant → POST /auth/session → secure cookie → /api/auth/session → logout → old cookie refused", async () => {
    const res = await postSession(await idTokenFor("alice@example.com"), { Origin: ORIGIN });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^__Host-aovis_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).toContain("Path=/");
    const body = (await res.json()) as { user: { email: string; voiceTier: string } };
    expect(body.user).toMatchObject({ email: "alice@example.com", voiceTier: "FREE" });

    const cookie = cookieFrom(res);
    const me = await appFetch("/api/auth/session", { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe("alice@example.com");

    const out = await appFetch("/auth/logout", { method: "POST", headers: { Cookie: cookie } });
    expect(out.status).toBe(303);
    const loc = new URL(out.headers.get("Location")!);
    expect(loc.pathname).toBe("/v2/logout");
    expect(loc.searchParams.get("client_id")).toBe(env.AUTH0_CLIENT_ID);
    expect(loc.searchParams.get("returnTo")).toBe(`${ORIGIN}/`);
    expect(out.headers.get("Set-Cookie")).toContain("Max-Age=0");
    expect((await appFetch("/api/auth/session", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("stores only a hash of the session id in KV", async () => {
    const cookie = await signIn("hash-check@example.com");
    const id = cookie.split("=")[1];
    const keys = (await env.SESSIONS.list({ prefix: "session:" })).keys.map((k) => k.name);
    expect(keys).toContain(await kvKeyOf(cookie));
    expect(keys.some((k) => k.includes(id))).toBe(false);
    expect(JSON.stringify(await env.SESSIONS.get(await kvKeyOf(cookie)))).not.toContain(id);
  });

  it("upserts the user by sub (one row, last login updated) and issues a new session id each time", async () => {
    const a = await signIn("repeat@example.com");
    const b = await signIn("repeat@example.com");
    expect(a).not.toBe(b);
    const rows = await env.DB.prepare("SELECT id, last_login_at FROM users WHERE email = 'repeat@example.com'").all();
    expect(rows.results).toHaveLength(1);
    // Signing in again from a browser that holds a session ends the old session.
    const c = cookieFrom(await postSession(await idTokenFor("repeat@example.com"), { Cookie: b }));
    expect((await appFetch("/api/auth/session", { headers: { Cookie: b } })).status).toBe(401);
    expect((await appFetch("/api/auth/session", { headers: { Cookie: c } })).status).toBe(200);
  });
});

describe("email_verified", () => {
  it("is stored from the token and rewritten at every sign-in (true → false → true)", async () => {
    const sub = "auth0|ev-changes";
    const stored = async () => (await env.DB.prepare("SELECT email_verified AS v FROM users WHERE auth0_sub = ?1").bind(sub).first<{ v: number }>())!.v;
    for (const verified of [true, false, true]) {
      const res = await postSession(await signedToken({ sub, email: "ev-changes@example.com", email_verified: verified }));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { user: { emailVerified: boolean } }).user.emailVerified).toBe(verified);
      expect(await stored()).toBe(verified ? 1 : 0);
    }
  });

  it("anything but a literal true counts as unverified", async () => {
    for (const [i, claim] of (["true", 1, null] as unknown[]).entries()) {
      const res = await postSession(await signedToken({ sub: `auth0|ev-odd-${i}`, email: `ev-odd-${i}@example.com`, email_verified: claim }));
      expect(((await res.json()) as { user: { emailVerified: boolean } }).user.emailVerified).toBe(false);
    }
  });
});

describe("crypto helpers (one module for hashes and tokens)", () => {
  it("sha256Hex matches the FIPS 180-2 vector and randomToken(n) is unpadded base64url of n bytes", async () => {
    expect(await appSha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const tokens = new Set(Array.from({ length: 50 }, () => randomToken(32)));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Session ids come from it: the cookie's id hashes to the KV key with the same function.
    const cookie = await signIn("crypto-helpers@example.com");
    expect(await env.SESSIONS.get(`session:${await appSha256Hex(cookie.split("=")[1])}`)).not.toBeNull();
  });
});

describe("ID token rejections (401 with a code, no session)", () => {
  const cases: [string, () => Promise<string>, string][] = [
    [
      "forged signature (another key, the stand-in's kid)",
      async () => {
        const jwks = (await (await fetch(`${env.TEST_STANDIN_URLS.auth0}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
        const { privateKey } = await generateKeyPair("RS256");
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ email: "mallory@example.com" })
          .setProtectedHeader({ alg: "RS256", kid: jwks.keys[0].kid })
          .setIssuer(issuer())
          .setAudience(env.AUTH0_CLIENT_ID)
          .setSubject("auth0|mallory")
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(privateKey);
      },
      "invalid_token",
    ],
    [
      "alg none",
      async () => {
        const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
        const now = Math.floor(Date.now() / 1000);
        return `${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: issuer(), aud: env.AUTH0_CLIENT_ID, sub: "auth0|x", email: "x@example.com", iat: now, exp: now + 600 })}.`;
      },
      "invalid_token",
    ],
    [
      "HS256 signed with the public key",
      async () => {
        const jwks = (await (await fetch(`${env.TEST_STANDIN_URLS.auth0}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ email: "x@example.com" })
          .setProtectedHeader({ alg: "HS256", kid: jwks.keys[0].kid })
          .setIssuer(issuer())
          .setAudience(env.AUTH0_CLIENT_ID)
          .setSubject("auth0|x")
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
      },
      "invalid_token",
    ],
    [
      "expired (beyond the 60 s skew)",
      () => signedToken({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 61 }),
      "token_expired",
    ],
    ["wrong audience", () => signedToken({ aud: "someone-else" }), "wrong_audience"],
    ["wrong issuer", () => signedToken({ iss: "https://evil.example/" }), "wrong_issuer"],
    [
      "missing sub",
      () => {
        const now = Math.floor(Date.now() / 1000);
        return signedToken({ iss: issuer(), aud: env.AUTH0_CLIENT_ID, email: "nosub@example.com", iat: now, exp: now + 600 }, { omitDefaults: true });
      },
      "invalid_token",
    ],
    ["issued in the future", () => signedToken({ iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 }), "invalid_token"],
    ["garbage", async () => "not.a.jwt-at-all-but-long-enough", "invalid_token"],
  ];

  it.each(cases)("%s", async (_name, make, code) => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM users").first<{ n: number }>();
    const res = await postSession(await make());
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe(code);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM users").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it("a token signed by the genuine key with matching claims is accepted (the cases above fail for their reason only)", async () => {
    expect((await postSession(await signedToken({}))).status).toBe(200);
  });

  it("checks the nonce when the client sends one", async () => {
    const token = await signedToken({ nonce: "n-123" });
    const bad = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.1" },
      body: JSON.stringify({ id_token: token, nonce: "other" }),
    });
    expect(bad.status).toBe(401);
    const good = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.2" },
      body: JSON.stringify({ id_token: token, nonce: "n-123" }),
    });
    expect(good.status).toBe(200);
  });

  it("a malformed body is a 400 with a code", async () => {
    const res = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.3" },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_body");
    const res2 = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.3" },
      body: JSON.stringify({ token: 1 }),
    });
    expect(res2.status).toBe(400);
    expect(((await res2.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("says why in the refusal's sentence, and a rate-limited sign-in says when to retry", async () => {
    const expired = await postSession(await signedToken({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 61 }));
    expect(await expired.json()).toEqual({ error: "token_expired", message: "The sign-in token has expired. Please sign in again." });
    const wrongNonce = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.4" },
      body: JSON.stringify({ id_token: await signedToken({ nonce: "n-1" }), nonce: "n-2" }),
    });
    expect(await wrongNonce.json()).toEqual({ error: "invalid_token", message: "The sign-in token does not match this sign-in attempt." });
    let limited: Response | null = null;
    for (let i = 0; i < 11 && !limited; i++) {
      const res = await appFetch("/auth/session", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.78" },
        body: "{}",
      });
      if (res.status === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toMatchObject({ error: "rate_limited", message: "Too many sign-in attempts. Please wait a minute and try again." });
  });

  it("rate-limits sign-in attempts per client IP (429 rate_limited)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await appFetch("/auth/session", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.77" },
        body: JSON.stringify({ id_token: "x".repeat(40) }),
      });
      statuses.push(res.status);
      if (res.status === 429) expect(((await res.json()) as { error: string }).error).toBe("rate_limited");
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another IP is unaffected.
    expect((await postSession(await signedToken({}))).status).toBe(200);
  });
});

describe("sessions end", () => {
  it("after 15 idle minutes", async () => {
    const cookie = await signIn("idle@example.com");
    await editSession(cookie, { lastSeenAt: Date.now() - 15 * 60_000 - 1000 });
    expect((await appFetch("/api/auth/session", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("after 7 days even when active", async () => {
    const cookie = await signIn("absolute@example.com");
    await editSession(cookie, { createdAt: Date.now() - 7 * 24 * 3600_000 - 1000, lastSeenAt: Date.now() - 1000 });
    expect((await appFetch("/api/auth/session", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("sign out everywhere ends every session of that user at once, and only theirs", async () => {
    const a1 = await signIn("everywhere@example.com");
    const a2 = await signIn("everywhere@example.com");
    const other = await signIn("bystander@example.com");
    const res = await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: a1 } });
    expect(res.status).toBe(303);
    // The KV record of a2 still exists (KV is eventually consistent) but is refused by the D1 epoch.
    expect(await env.SESSIONS.get(await kvKeyOf(a2))).not.toBeNull();
    expect((await appFetch("/api/auth/session", { headers: { Cookie: a1 } })).status).toBe(401);
    expect((await appFetch("/api/auth/session", { headers: { Cookie: a2 } })).status).toBe(401);
    expect((await appFetch("/api/auth/session", { headers: { Cookie: other } })).status).toBe(200);
    // Signing in again works.
    expect((await appFetch("/api/auth/session", { headers: { Cookie: await signIn("everywhere@example.com") } })).status).toBe(200);
  });

  it("a signed-out session is refused even while its KV record still exists elsewhere", async () => {
    const cookie = await signIn("revoked@example.com");
    const key = await kvKeyOf(cookie);
    const rec = await env.SESSIONS.get(key);
    await appFetch("/auth/logout", { method: "POST", headers: { Cookie: cookie } });
    await env.SESSIONS.put(key, rec!); // simulate a location that hasn't seen the delete yet
    expect((await appFetch("/api/auth/session", { headers: { Cookie: cookie } })).status).toBe(401);
  });
});

// Signed-in pages read their data while D1 confirms the session (requireUserAnd, issue #11): what
// was read for the session's claim must never reach anyone the confirmation refuses or corrects.
describe("a page read alongside the session check", () => {
  it("is thrown away when the session is refused: a signed-out-everywhere session gets the sign-in redirect, not the cameras", async () => {
    const a1 = await signIn("alongside-refused@example.com");
    const a2 = await signIn("alongside-refused@example.com");
    const cam = await provisionTestDevice();
    expect((await activate(a1, cam.serial, cam.code)).status).toBe(200);
    expect(await (await appFetch("/account/devices", { headers: { Cookie: a2 } })).text()).toContain(cam.serial);
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: a1 } })).status).toBe(303);
    for (const path of ["/account/devices", "/account/devices.data", "/account"]) {
      const res = await appFetch(path, { headers: { Cookie: a2 } });
      const body = await res.text();
      expect(body).not.toContain(cam.serial);
      expect(res.headers.get("Location") ?? res.headers.get("X-Remix-Redirect") ?? body).toContain("/login");
    }
  });

  it("is read again for the confirmed user when the record's claim is stale or missing: offers to the user's own address still show", async () => {
    const sender = await signIn("alongside-sender@example.com");
    const cam = await provisionTestDevice();
    expect((await activate(sender, cam.serial, cam.code)).status).toBe(200);
    expect((await postJson(sender, `/api/devices/${cam.id}/transfers`, { toEmail: "alongside-recipient@example.com", includeSim: false })).status).toBe(201);
    const recipient = await signIn("alongside-recipient@example.com");
    const shows = async () => (await (await appFetch("/account/devices", { headers: { Cookie: recipient } })).text()).includes(cam.serial);
    expect(await shows()).toBe(true);
    await editSession(recipient, { email: "alongside-someone-else@example.com" }); // an address changed since sign-in
    expect(await shows()).toBe(true);
    await editSession(recipient, { email: undefined }); // a record written before the claim existed
    expect(await shows()).toBe(true);
  });
});

describe("CSRF", () => {
  it("refuses a cross-origin POST before any route runs", async () => {
    const cookie = await signIn("csrf@example.com");
    for (const headers of [{ Origin: "https://evil.example" }, { Origin: "null" }, { "Sec-Fetch-Site": "cross-site" }, {}]) {
      const res = await appFetch("/account/sign-out-everywhere", {
        method: "POST",
        headers: { Cookie: cookie, Origin: "", ...headers } as Record<string, string>,
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("csrf_rejected");
    }
    expect((await appFetch("/api/auth/session", { headers: { Cookie: cookie } })).status).toBe(200);
  });
});

describe("guards", () => {
  it("pages redirect to /login with returnTo; /login refuses foreign returnTo", async () => {
    const res = await appFetch("/account?x=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?returnTo=%2Faccount%3Fx%3D1");
    const cookie = await signIn("returnto@example.com");
    for (const evil of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
      const r = await appFetch(`/login?returnTo=${encodeURIComponent(evil)}`, { headers: { Cookie: cookie } });
      expect(r.status).toBe(302);
      expect(r.headers.get("Location")).toBe("/account");
    }
    const ok = await appFetch(`/login?returnTo=${encodeURIComponent("/account/devices")}`, { headers: { Cookie: cookie } });
    expect(ok.headers.get("Location")).toBe("/account/devices");
  });

  it("/login never redirects a signed-in visitor off-site through dot segments (issue #11 item 1)", async () => {
    const cookie = await signIn("returnto-dots@example.com");
    for (const evil of ["/.//evil.com", "/..//evil.com", "/%2e//evil.com", "/x/..//evil.com", "/./\\evil.com", "/\t/evil.com", "/\n//evil.com"]) {
      const r = await appFetch(`/login?returnTo=${encodeURIComponent(evil)}`, { headers: { Cookie: cookie } });
      expect(r.status, evil).toBe(302);
      expect(r.headers.get("Location"), evil).toBe("/account");
    }
    // The raw `%2e` form as a probe sends it (the query value itself percent-encoded once).
    const raw = await appFetch("/login?returnTo=/%252e//evil.com", { headers: { Cookie: cookie } });
    expect(raw.headers.get("Location")).toBe("/account");
    const dots = await appFetch(`/login?returnTo=${encodeURIComponent("/account/./devices")}`, { headers: { Cookie: cookie } });
    expect(dots.headers.get("Location")).toBe("/account/devices");
  });

  it("the account page shows the signed-in user", async () => {
    const cookie = await signIn("pageview@example.com");
    const res = await appFetch("/account", { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("pageview@example.com");
    expect(html).toContain("Sign out everywhere");
  });

  it("no route under /account or /api answers a signed-out request with data (every route in the build)", async () => {
    // The sign-in endpoints are for signed-out visitors by nature; what they answer them is
    // asserted in sign-in-flow.test.ts (a redirect to Auth0, a refusal without data, a sign-out).
    const PUBLIC = new Set(["api/stripe/webhook", "api/stripe/products", "api/auth/login", "api/auth/callback", "api/auth/logout"]);
    const routes = Object.values(build.routes as Record<string, { path?: string; parentId?: string; id: string }>);
    const fullPath = (r: { path?: string; parentId?: string }): string => {
      const parent = r.parentId ? (build.routes as Record<string, { path?: string; parentId?: string }>)[r.parentId] : undefined;
      return [parent ? fullPath(parent) : "", r.path ?? ""].filter(Boolean).join("/");
    };
    // "account-deleted" is the public goodbye page after a deletion (ADR 026), not under /account.
    const guarded = routes.map(fullPath).filter((p) => (p === "account" || p.startsWith("account/") || p.startsWith("api/")) && !PUBLIC.has(p));
    expect(guarded).toEqual(expect.arrayContaining(["account", "api/auth/session"]));
    for (const p of new Set(guarded)) {
      const url = "/" + p.replace(/:[A-Za-z]+/g, "d0000000-0000-4000-8000-000000000001");
      for (const method of ["GET", "POST"]) {
        const res = await appFetch(url, {
          method,
          headers: method === "POST" ? { "Content-Type": "application/json" } : {},
          body: method === "POST" ? "{}" : undefined,
        });
        expect([302, 303, 401, 404, 405], `${method} ${url} → ${res.status}`).toContain(res.status);
        if (res.status === 302 || res.status === 303) expect(res.headers.get("Location")).toMatch(/^\/(login|account)/);
      }
    }
  });
});
