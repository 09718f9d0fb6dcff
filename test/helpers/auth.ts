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
