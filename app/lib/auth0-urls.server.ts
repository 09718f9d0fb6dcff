import type { AppConfig } from "~/lib/config.server";
import { AUTH_MAX_AGE_S } from "~/domain/sign-in-policy";
import { paths } from "~/lib/paths";

/** Auth0's RP logout: /v2/logout?client_id&returnTo (returnTo must be in the app's Allowed Logout URLs). */
export function auth0LogoutUrl(config: AppConfig): string {
  const u = new URL("/v2/logout", config.AUTH0_DOMAIN);
  u.searchParams.set("client_id", config.AUTH0_CLIENT_ID);
  u.searchParams.set("returnTo", `${new URL(config.APP_ORIGIN).origin}/`);
  return u.toString();
}

/** Where Auth0 brings the browser back with ?code&state (the app's one Allowed Callback URL). */
export function signInRedirectUri(config: AppConfig): string {
  return new URL(paths.signInCallback, config.APP_ORIGIN).toString();
}

/** Auth0's /authorize for the server-side code flow: code + PKCE S256, our state and nonce, max_age (ADR 012). */
export function auth0AuthorizeUrl(config: AppConfig, p: { state: string; nonce: string; codeChallenge: string }): string {
  const u = new URL("/authorize", config.AUTH0_DOMAIN);
  for (const [k, v] of Object.entries({
    response_type: "code",
    response_mode: "query",
    client_id: config.AUTH0_CLIENT_ID,
    redirect_uri: signInRedirectUri(config),
    scope: "openid profile email",
    state: p.state,
    nonce: p.nonce,
    code_challenge: p.codeChallenge,
    code_challenge_method: "S256",
    // Auth0 asks for the password again when its session is older, and says auth_time (ADR 012).
    max_age: String(AUTH_MAX_AGE_S),
  }))
    u.searchParams.set(k, v);
  return u.toString();
}
