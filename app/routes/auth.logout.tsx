import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { cappedAction } from "~/http/api-route.server";
import { DEFAULT_MAX_BODY_BYTES } from "~/http/body.server";
import { seeOther } from "~/http/responses.server";
import { auth0LogoutUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";
import { paths } from "~/lib/paths";
import { clearSessionCookie, readSessionId } from "~/lib/sessions.server";
import { depsOf } from "~/models/deps.server";
import { signOut } from "~/models/identity/sign-out.server";

// POST /auth/logout: ends this session (KV + D1 revocation), clears the cookie, then Auth0 logout.
export const action = cappedAction(DEFAULT_MAX_BODY_BYTES, async ({ request, context }: ActionFunctionArgs) => {
  await signOut(depsOf(context), readSessionId(request));
  return seeOther(auth0LogoutUrl(getConfig(context.cloudflare.env)), { "Set-Cookie": clearSessionCookie() });
});

export async function loader() {
  return redirect(paths.account);
}
