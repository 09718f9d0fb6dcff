import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ID_TOKEN_MAX_AGE_MS } from "~/domain/sign-in-policy";
import { appFetch } from "../helpers/app";
import { cookieFrom, idTokenFor, postSession, signedToken } from "../helpers/auth";

// Issue #11 item 3 (ADR 012): an ID token signs in once, only while fresh, and never with a token
// issued before the user's last "sign out everywhere" — on POST /auth/session as on the server flow.

const nowS = () => Math.floor(Date.now() / 1000);
const me = (cookie: string) => appFetch("/api/auth/session", { headers: { Cookie: cookie } });
const lastLogin = async (sub: string) =>
  (await env.DB.prepare("SELECT last_login_at AS t FROM users WHERE auth0_sub = ?1").bind(sub).first<{ t: number }>())?.t ?? null;

async function refused(res: Response, code: string | string[]) {
  expect(res.status).toBe(401);
  expect(res.headers.get("Set-Cookie")).toBeNull();
  const body = (await res.json()) as { error: string; message: string };
  expect(typeof code === "string" ? [code] : code).toContain(body.error);
  return body.message;
}

describe("an ID token starts one session", () => {
  it("replaying it after logout is refused (token_already_used), and changes nothing", async () => {
    const token = await idTokenFor("replay-logout@example.com");
    const first = await postSession(token);
    expect(first.status).toBe(200);
    const cookie = cookieFrom(first);
    expect((await appFetch("/auth/logout", { method: "POST", headers: { Cookie: cookie } })).status).toBe(303);
    const sub = (await env.DB.prepare("SELECT auth0_sub AS s FROM users WHERE email = 'replay-logout@example.com'").first<{ s: string }>())!.s;
    const before = await lastLogin(sub);
    expect(await refused(await postSession(token), "token_already_used")).toBe("This sign-in token has already been used. Please sign in again.");
    expect(await lastLogin(sub)).toBe(before);
  });

  it("replaying it after sign out everywhere is refused", async () => {
    const token = await idTokenFor("replay-everywhere@example.com");
    const cookie = cookieFrom(await postSession(token));
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: cookie } })).status).toBe(303);
    // Used, and (once the epoch's second has passed, as it may on a loaded machine) issued before the
    // sign-out: either reason refuses it.
    await refused(await postSession(token), ["token_already_used", "token_revoked"]);
    expect((await me(cookie)).status).toBe(401);
  });

  it("a token issued before sign out everywhere and never used is refused (token_revoked); a fresh one signs in", async () => {
    const sub = "auth0|replay-epoch";
    const email = "replay-epoch@example.com";
    const cookie = cookieFrom(await postSession(await signedToken({ sub, email })));
    // Obtained a few seconds before the user signed out everywhere (say, by whoever they were signing out).
    const early = await signedToken({ sub, email, iat: nowS() - 5, auth_time: nowS() - 5 });
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: cookie } })).status).toBe(303);
    const before = await lastLogin(sub);
    expect(await refused(await postSession(early), "token_revoked")).toBe(
      "This sign-in token was issued before you signed out everywhere. Please sign in again.",
    );
    expect(await lastLogin(sub)).toBe(before);
    // Not burned either: it stays refused for the epoch, not for having been used.
    await refused(await postSession(early), "token_revoked");
    const again = await postSession(await signedToken({ sub, email }));
    expect(again.status).toBe(200);
    expect((await me(cookieFrom(again))).status).toBe(200);
  });

  it("a fresh token from an Auth0 session that began before sign out everywhere is refused (token_revoked)", async () => {
    const sub = "auth0|replay-sso";
    const email = "replay-sso@example.com";
    const cookie = cookieFrom(await postSession(await signedToken({ sub, email })));
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: cookie } })).status).toBe(303);
    // Issued now, but by single sign-on from a login at Auth0 before the click (another browser's).
    const sso = await signedToken({ sub, email, iat: nowS() + 1, auth_time: nowS() - 5 });
    await refused(await postSession(sso), "token_revoked");
  });

  it(`a fresh token from an Auth0 login more than ${ID_TOKEN_MAX_AGE_MS / 60_000} minutes ago is refused (token_too_old)`, async () => {
    const authTime = nowS() - ID_TOKEN_MAX_AGE_MS / 1000 - 5;
    await refused(await postSession(await signedToken({ auth_time: authTime })), "token_too_old");
  });

  it("the same token posted twice at once starts exactly one session", async () => {
    const token = await idTokenFor("replay-race@example.com");
    const results = await Promise.all([postSession(token), postSession(token), postSession(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    for (const r of results.filter((x) => x.status === 401)) expect(((await r.json()) as { error: string }).error).toBe("token_already_used");
  });

  it(`a token older than ${ID_TOKEN_MAX_AGE_MS / 60_000} minutes is refused (token_too_old), however long Auth0 lets it live`, async () => {
    const iat = nowS() - ID_TOKEN_MAX_AGE_MS / 1000 - 5;
    const message = await refused(await postSession(await signedToken({ iat, auth_time: iat, exp: nowS() + 3600 })), "token_too_old");
    expect(message).toBe(`The sign-in token is more than ${ID_TOKEN_MAX_AGE_MS / 60_000} minutes old. Please sign in again.`);
    const fresh = nowS() - ID_TOKEN_MAX_AGE_MS / 1000 + 30;
    expect((await postSession(await signedToken({ iat: fresh, auth_time: fresh, exp: nowS() + 3600 }))).status).toBe(200);
  });

  it("a token without a nonce can't be bound to one sign-in: refused", async () => {
    const t = nowS();
    const token = await signedToken(
      { iss: `${env.TEST_STANDIN_URLS.auth0}/`, aud: env.AUTH0_CLIENT_ID, sub: "auth0|no-nonce", email: "no-nonce@example.com", iat: t, exp: t + 600 },
      { omitDefaults: true },
    );
    const res = await postSession(token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_token", message: "The sign-in token is not bound to a sign-in attempt. Please sign in again." });
    expect(await lastLogin("auth0|no-nonce")).toBeNull();
  });
});
