import { env } from "cloudflare:test";
import { appFetch } from "./app";

export const LOCAL_PASSWORD = "aovis-local-password";
/** The Auth0 stand-in's second registered application (standins/auth0.mjs OTHER_CLIENT). */
export const OTHER_AUTH0_CLIENT = { id: "aovis-other-app", secret: "aovis-other-app-secret" } as const;

/** An ID token from the Auth0 stand-in's password grant (scripted sign-in). */
export async function idTokenFor(email: string): Promise<string> {
  const res = await fetch(`${env.TEST_STANDIN_URLS.auth0}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: email,
      password: LOCAL_PASSWORD,
      client_id: env.AUTH0_CLIENT_ID,
      scope: "openid profile email",
    }),
  });
  if (!res.ok) throw new Error(`password grant failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id_token: string }).id_token;
}

/** A token signed with the stand-in's genuine key, with claims of our choosing. */
export async function signedToken(claims: Record<string, unknown>, opts: { header?: Record<string, unknown>; omitDefaults?: boolean } = {}): Promise<string> {
  const res = await fetch(`${env.TEST_STANDIN_URLS.auth0}/__standin/sign`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ claims, ...opts }),
  });
  if (!res.ok) throw new Error(`sign failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export function cookieFrom(res: Response): string {
  const set = res.headers.get("Set-Cookie") ?? "";
  const m = /(__Host-aovis_session=[^;]*)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return m[1];
}

let ipCounter = 0;
/** Each sign-in from its own client IP, so the per-IP rate limit doesn't couple tests. */
export async function postSession(idToken: string, headers: Record<string, string> = {}): Promise<Response> {
  return appFetch("/auth/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`, ...headers },
    body: JSON.stringify({ id_token: idToken }),
  });
}

/** Signs in through the real flow (stand-in token → POST /auth/session) and returns the Cookie header value. */
export async function signIn(email: string): Promise<string> {
  const res = await postSession(await idTokenFor(email));
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}

export async function userIdOf(cookie: string): Promise<string> {
  const res = await appFetch("/api/auth/session", { headers: { Cookie: cookie } });
  return ((await res.json()) as { user: { id: string } }).user.id;
}

// --- The server-side code flow (ADR 012) as a browser walks it: /api/auth/login → Auth0's hosted
// login page → /api/auth/callback. The browser's cookie jar is the `browser` string we carry.

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

export function nextClientIp(): string {
  ipCounter++;
  return `10.1.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

/** GET /api/auth/login: the redirect to Auth0's /authorize and the sign-in binding cookie it sets. */
export async function startServerSignIn(returnTo?: string, headers: Record<string, string> = {}) {
  const q = returnTo === undefined ? "" : `?returnTo=${encodeURIComponent(returnTo)}`;
  const res = await appFetch(`/api/auth/login${q}`, { headers: { "CF-Connecting-IP": nextClientIp(), ...headers } });
  if (res.status !== 302) throw new Error(`sign-in start: ${res.status} ${await res.text()}`);
  const authorize = new URL(res.headers.get("Location")!);
  const browser = /(__Host-aovis_signin=[^;]*)/.exec(res.headers.get("Set-Cookie") ?? "")?.[1] ?? headers.Cookie ?? "";
  return { res, authorize, browser, state: authorize.searchParams.get("state")!, nonce: authorize.searchParams.get("nonce")! };
}

/** Auth0's hosted login page for `authorize`, submitted with `email`: the redirect back to the app (?code&state). */
export async function loginAtAuth0(authorize: URL | string, email: string): Promise<URL> {
  const page = await fetch(authorize, { redirect: "manual" });
  if (page.status !== 200) throw new Error(`authorize: ${page.status} ${page.headers.get("Location")}`);
  const html = await page.text();
  const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error("no login form");
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], decodeEntities(m[2])]));
  const res = await fetch(new URL(decodeEntities(action), env.TEST_STANDIN_URLS.auth0), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, email }),
  });
  if (res.status !== 302) throw new Error(`login form: ${res.status}`);
  return new URL(res.headers.get("Location")!);
}

/** GET /api/auth/callback with what Auth0 brought back, from the browser holding `cookie`. */
export function callback(back: URL | string, cookie: string, headers: Record<string, string> = {}): Promise<Response> {
  const u = new URL(back);
  return appFetch(`${u.pathname}${u.search}`, { headers: { Cookie: cookie, "CF-Connecting-IP": nextClientIp(), ...headers } });
}

/** The whole server flow for `email`: the callback's response and Auth0's redirect back (for replays). */
export async function serverSignIn(email: string, returnTo?: string) {
  const started = await startServerSignIn(returnTo);
  const back = await loginAtAuth0(started.authorize, email);
  return { ...started, back, res: await callback(back, started.browser) };
}
