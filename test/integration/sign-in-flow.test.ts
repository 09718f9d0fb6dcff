import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ID_TOKEN_MAX_AGE_MS, SIGN_IN_TRANSACTION_TTL_MS } from "~/domain/sign-in-policy";
import { sha256Base64Url, sha256Hex } from "~/lib/crypto.server";
import { depsFor } from "~/models/deps.server";
import { finishSignIn } from "~/models/identity/sign-in-flow.server";
import { signIn } from "~/models/identity/sign-in.server";
import { bumpSessionEpoch } from "~/models/users.server";
import { appFetch, ORIGIN, shownMarkup } from "../helpers/app";
import { callback, cookieFrom, loginAtAuth0, nextClientIp, OTHER_AUTH0_CLIENT, postSession, serverSignIn, startServerSignIn, userIdOf } from "../helpers/auth";

// The server-side sign-in (issue #14 §4, issue #11 item 3, ADR 012): GET /api/auth/login → Auth0
// (code + PKCE S256, state and nonce kept in D1) → GET /api/auth/callback, which consumes the state
// once, exchanges the code with the client secret and verifies the ID token against our nonce.

const me = (cookie: string) => appFetch("/api/auth/session", { headers: { Cookie: cookie } });
const transactions = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM sign_in_transactions").first<{ n: number }>())!.n;
const sessionsOf = async (email: string) =>
  (await env.DB.prepare("SELECT last_login_at AS t FROM users WHERE email = ?1").bind(email).first<{ t: number }>())?.t ?? null;

/** A refused callback: its status, the stable code on the page, no session cookie. */
async function refusedPage(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Set-Cookie") ?? "").not.toContain("__Host-aovis_session=");
  expect(res.headers.get("Cache-Control")).toContain("no-store");
  const html = await res.text();
  expect(html).toContain(`data-testid="sign-in-error">${code}<`);
  expect(html).toContain("Sign in again");
  return html;
}

describe("GET /api/auth/login", () => {
  it("redirects to Auth0's /authorize with code + PKCE S256, a state and a nonce kept server-side, and binds the browser", async () => {
    const before = await transactions();
    const { res, authorize, browser, state, nonce } = await startServerSignIn("/account/devices");
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${env.TEST_STANDIN_URLS.auth0}/authorize`);
    const p = Object.fromEntries(authorize.searchParams);
    expect(p).toMatchObject({
      response_type: "code",
      client_id: env.AUTH0_CLIENT_ID,
      redirect_uri: `${ORIGIN}/api/auth/callback`,
      scope: "openid profile email",
      code_challenge_method: "S256",
      // Auth0 asks for the password again past this, and the token says auth_time.
      max_age: String(ID_TOKEN_MAX_AGE_MS / 1000),
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser).toMatch(/^__Host-aovis_signin=[A-Za-z0-9_-]{43}$/);
    const setCookie = res.headers.get("Set-Cookie")!;
    for (const attr of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", `Max-Age=${SIGN_IN_TRANSACTION_TTL_MS / 1000}`]) expect(setCookie).toContain(attr);
    expect(await transactions()).toBe(before + 1);
    // Only the state's hash is stored; the verifier behind the challenge is never sent anywhere.
    const row = await env.DB.prepare("SELECT * FROM sign_in_transactions WHERE state_hash = ?1")
      .bind(await sha256Hex(state))
      .first<Record<string, string>>();
    expect(row).toMatchObject({ nonce, return_to: "/account/devices" });
    expect(await sha256Base64Url(row!.code_verifier)).toBe(p.code_challenge);
    expect(JSON.stringify(row)).not.toContain(state);
  });

  it("works as a plain link or GET form (no JavaScript): the /login page's sign-in is a form to it", async () => {
    const page = await appFetch("/login?returnTo=%2Faccount%2Fdevices");
    const html = await page.text();
    expect(html).toMatch(/<form method="get" action="\/api\/auth\/login"/);
    expect(html).toContain('name="returnTo" value="/account/devices"');
    expect(shownMarkup(html)).not.toContain("needs JavaScript");
    // The form's redirect to Auth0 is a post-submit navigation (form-action); no script talks to Auth0.
    const csp = page.headers.get("Content-Security-Policy")!;
    expect(csp).toContain(`form-action 'self' ${new URL(env.TEST_STANDIN_URLS.auth0).origin}`);
    // connect-src names our origin (and, for watching, the KVS endpoints: ADR 014), never the Auth0 tenant.
    const connectSrc = /connect-src ([^;]*)/.exec(csp)?.[1] ?? "";
    expect(connectSrc.split(" ")[0]).toBe("'self'");
    expect(connectSrc).not.toContain(new URL(env.TEST_STANDIN_URLS.auth0).origin);
  });

  it("checks returnTo now (a bad one is stored as /account) and refuses other methods", async () => {
    const { state } = await startServerSignIn("/.//evil.com");
    const row = await env.DB.prepare("SELECT return_to AS r FROM sign_in_transactions WHERE state_hash = ?1")
      .bind(await sha256Hex(state))
      .first<{ r: string }>();
    expect(row!.r).toBe("/account");
    const post = await appFetch("/api/auth/login", { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("caps sign-in starts per client address (each writes a row): 429 with a code", async () => {
    const ip = nextClientIp();
    for (let i = 0; i < 10; i++) expect((await appFetch("/api/auth/login", { headers: { "CF-Connecting-IP": ip } })).status).toBe(302);
    const res = await appFetch("/api/auth/login", { headers: { "CF-Connecting-IP": ip } });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: string }).error).toBe("rate_limited");
  });
});

describe("GET /api/auth/callback", () => {
  it("exchanges the code, starts the session and goes to the checked return path; the state is gone", async () => {
    const email = "flow-ok@example.com";
    const { res, state } = await serverSignIn(email, "/account/devices?x=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account/devices?x=1");
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    const cookie = cookieFrom(res);
    const who = (await (await me(cookie)).json()) as { user: { email: string } };
    expect(who.user.email).toBe(email);
    expect(
      await env.DB.prepare("SELECT 1 FROM sign_in_transactions WHERE state_hash = ?1")
        .bind(await sha256Hex(state))
        .first(),
    ).toBeNull();
  });

  it("an office whose address spent its sign-in attempts (junk hand-overs) still finishes the sign-ins its people started: completions are bounded by starts", async () => {
    const office = "203.0.113.90";
    for (let i = 0; i < 11; i++) {
      await appFetch("/auth/session", { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": office }, body: "{}" });
    }
    const email = "flow-office@example.com";
    const started = await startServerSignIn("/account", { "CF-Connecting-IP": office });
    const back = await loginAtAuth0(started.authorize, email);
    const res = await callback(back, started.browser, { "CF-Connecting-IP": office });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
    expect(((await (await me(cookieFrom(res))).json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it("a return path that only becomes another host after normalisation lands on /account (issue #11 item 1)", async () => {
    for (const evil of ["/.//evil.com", "/%2e//evil.com", "/x/..//evil.com"]) {
      const { res } = await serverSignIn("flow-redirect@example.com", evil);
      expect(res.status, evil).toBe(302);
      expect(res.headers.get("Location"), evil).toBe("/account");
    }
  });

  it("a replayed state is refused (sign_in_state_invalid, 400, no session) — right after, after logout, after sign out everywhere", async () => {
    const email = "flow-replay@example.com";
    const first = await serverSignIn(email);
    const cookie = cookieFrom(first.res);
    const html = await refusedPage(await callback(first.back, first.browser), 400, "sign_in_state_invalid");
    expect(html).toContain("it was already used, or started in another browser");

    expect((await appFetch("/api/auth/logout", { method: "POST", headers: { Cookie: cookie } })).status).toBe(303);
    expect((await me(cookie)).status).toBe(401);
    const before = await sessionsOf(email);
    await refusedPage(await callback(first.back, first.browser), 400, "sign_in_state_invalid");
    expect(await sessionsOf(email)).toBe(before);

    const second = await serverSignIn(email);
    const c2 = cookieFrom(second.res);
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: c2 } })).status).toBe(303);
    await refusedPage(await callback(second.back, second.browser), 400, "sign_in_state_invalid");
    expect((await me(c2)).status).toBe(401);
  });

  it("an ID token minted for a server sign-in starts one session however it arrives: replayed after logout, token_already_used", async () => {
    // Play the callback's part by hand, as someone who had read the D1 row would: same token, twice.
    const { authorize, state } = await startServerSignIn();
    const back = await loginAtAuth0(authorize, "flow-token-replay@example.com");
    const row = await env.DB.prepare("SELECT code_verifier AS v FROM sign_in_transactions WHERE state_hash = ?1")
      .bind(await sha256Hex(state))
      .first<{ v: string }>();
    const tok = await fetch(`${env.TEST_STANDIN_URLS.auth0}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: env.AUTH0_CLIENT_ID,
        client_secret: env.AUTH0_CLIENT_SECRET,
        code: back.searchParams.get("code")!,
        code_verifier: row!.v,
        redirect_uri: `${ORIGIN}/api/auth/callback`,
      }),
    });
    const idToken = ((await tok.json()) as { id_token: string }).id_token;
    const once = await postSession(idToken);
    expect(once.status).toBe(200);
    await appFetch("/auth/logout", { method: "POST", headers: { Cookie: cookieFrom(once) } });
    const again = await postSession(idToken);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe("token_already_used");
  });

  it("a state from another browser (no or another binding cookie) is refused and spent", async () => {
    const { authorize, browser } = await startServerSignIn();
    const back = await loginAtAuth0(authorize, "flow-csrf@example.com");
    const other = (await startServerSignIn()).browser;
    await refusedPage(await callback(back, other), 400, "sign_in_state_invalid");
    await refusedPage(await callback(back, browser), 400, "sign_in_state_invalid");
    const { authorize: a2 } = await startServerSignIn();
    await refusedPage(await callback(await loginAtAuth0(a2, "flow-csrf@example.com"), ""), 400, "sign_in_state_invalid");
  });

  it("an unknown or malformed state is refused with a code, never a 500", async () => {
    const { browser } = await startServerSignIn();
    await refusedPage(await callback(`${ORIGIN}/api/auth/callback?code=abc&state=never-issued`, browser), 400, "sign_in_state_invalid");
    await refusedPage(await callback(`${ORIGIN}/api/auth/callback?code=abc`, browser), 400, "invalid_request");
  });

  it(`a state older than ${SIGN_IN_TRANSACTION_TTL_MS / 60_000} minutes is refused (sign_in_expired)`, async () => {
    const { authorize, browser, state } = await startServerSignIn();
    const back = await loginAtAuth0(authorize, "flow-expired@example.com");
    await env.DB.prepare("UPDATE sign_in_transactions SET expires_at = ?1 WHERE state_hash = ?2")
      .bind(Date.now() - 1, await sha256Hex(state))
      .run();
    const html = await refusedPage(await callback(back, browser), 400, "sign_in_expired");
    expect(html).toContain(`took longer than ${SIGN_IN_TRANSACTION_TTL_MS / 60_000} minutes`);
  });

  it("a code Auth0 issued to another application is rejected at the exchange (sign_in_code_rejected, 400)", async () => {
    const { authorize, browser } = await startServerSignIn();
    const foreign = new URL(authorize);
    foreign.searchParams.set("client_id", OTHER_AUTH0_CLIENT.id);
    const back = await loginAtAuth0(foreign, "flow-foreign@example.com");
    await refusedPage(await callback(back, browser), 400, "sign_in_code_rejected");
  });

  it("a code issued for another sign-in's PKCE challenge is rejected (the verifier is ours alone)", async () => {
    const a = await startServerSignIn();
    const b = await startServerSignIn(undefined, { Cookie: a.browser });
    const backA = await loginAtAuth0(a.authorize, "flow-pkce@example.com");
    const swapped = new URL(backA);
    swapped.searchParams.set("state", b.state);
    await refusedPage(await callback(swapped, a.browser), 400, "sign_in_code_rejected");
  });

  it("an ID token whose nonce isn't the one we issued for this state is refused (invalid_token), no session", async () => {
    const { authorize, browser } = await startServerSignIn();
    const tampered = new URL(authorize);
    tampered.searchParams.set("nonce", "attacker-chosen-nonce");
    const back = await loginAtAuth0(tampered, "flow-nonce@example.com");
    const html = await refusedPage(await callback(back, browser), 401, "invalid_token");
    expect(html).toContain("does not match this sign-in attempt");
    expect(await sessionsOf("flow-nonce@example.com")).toBeNull();
  });

  it(`an ID token more than ${ID_TOKEN_MAX_AGE_MS / 60_000} minutes old at the callback is refused (token_too_old)`, async () => {
    // Auth0's clock behind ours: the token arrives already old (our clock moved on, the state is still valid).
    const { authorize, browser, state } = await startServerSignIn();
    const back = await loginAtAuth0(authorize, "flow-stale@example.com");
    const later = Date.now() + ID_TOKEN_MAX_AGE_MS + 30_000;
    const r = await finishSignIn(
      depsFor(env),
      { code: back.searchParams.get("code")!, state, browserId: browser.split("=")[1] },
      { previousSessionId: null },
      later,
    );
    expect(r).toMatchObject({ ok: false, error: "token_too_old" });
    expect(await sessionsOf("flow-stale@example.com")).toBeNull();
  });

  it("an ID token issued before the user's last 'sign out everywhere' is refused (token_revoked), no session", async () => {
    const email = "flow-epoch@example.com";
    const userId = await userIdOf(cookieFrom((await serverSignIn(email)).res));
    const { authorize, browser } = await startServerSignIn();
    const back = await loginAtAuth0(authorize, email);
    // Signed out everywhere a moment after Auth0 minted the token the callback is about to get.
    await bumpSessionEpoch(depsFor(env), userId, Date.now() + 5_000);
    const before = await sessionsOf(email);
    await refusedPage(await callback(back, browser), 401, "token_revoked");
    expect(await sessionsOf(email)).toBe(before);
  });

  it("cancelled at Auth0 (?error&state): back to /login with the return path kept, the state spent", async () => {
    const { browser, state } = await startServerSignIn("/voice");
    const res = await callback(`${ORIGIN}/api/auth/callback?error=access_denied&state=${state}`, browser);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?returnTo=%2Fvoice&error=cancelled");
    expect(
      await env.DB.prepare("SELECT 1 FROM sign_in_transactions WHERE state_hash = ?1")
        .bind(await sha256Hex(state))
        .first(),
    ).toBeNull();
  });
});

describe("/api/auth/logout", () => {
  it("POST ends the session and continues to Auth0's logout; GET does the same for a plain link", async () => {
    for (const method of ["POST", "GET"]) {
      const cookie = cookieFrom((await serverSignIn(`flow-logout-${method.toLowerCase()}@example.com`)).res);
      const res = await appFetch("/api/auth/logout", { method, headers: { Cookie: cookie } });
      expect(res.status, method).toBe(303);
      const to = new URL(res.headers.get("Location")!);
      expect(`${to.origin}${to.pathname}`).toBe(`${env.TEST_STANDIN_URLS.auth0}/v2/logout`);
      expect(to.searchParams.get("returnTo")).toBe(`${ORIGIN}/`);
      expect(res.headers.get("Set-Cookie")).toContain("__Host-aovis_session=;");
      expect((await me(cookie)).status, method).toBe(401);
    }
  });
});

describe("POST /auth/session outside local and test mode", () => {
  it("is a plain 404 in production: production signs in only through the server flow", async () => {
    const r = await signIn(depsFor({ ...env, APP_ENV: "production" }), { id_token: "x".repeat(40) }, { previousSessionId: null });
    expect(r).toEqual({ ok: false, error: "not_found", subject: "page" });
  });
});
