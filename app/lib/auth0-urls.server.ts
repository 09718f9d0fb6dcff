import type { AppConfig } from "~/lib/config.server";

/** Auth0's RP logout: /v2/logout?client_id&returnTo (returnTo must be in the app's Allowed Logout URLs). */
export function auth0LogoutUrl(config: AppConfig): string {
  const u = new URL("/v2/logout", config.AUTH0_DOMAIN);
  u.searchParams.set("client_id", config.AUTH0_CLIENT_ID);
  u.searchParams.set("returnTo", `${new URL(config.APP_ORIGIN).origin}/`);
  return u.toString();
}
