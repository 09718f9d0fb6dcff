import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { clearSessionCookie, destroySession, readSessionId } from "~/lib/auth.server";
import { auth0LogoutUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";

// POST /auth/logout: ends this session (KV + D1 revocation), clears the cookie, then Auth0 logout.
export async function action({ request, context }: ActionFunctionArgs) {
  const env = context.cloudflare.env;
  const id = readSessionId(request);
  if (id) await destroySession(env, id);
  return redirect(auth0LogoutUrl(getConfig(env)), { status: 303, headers: { "Set-Cookie": clearSessionCookie() } });
}

export async function loader() {
  return redirect("/account");
}
