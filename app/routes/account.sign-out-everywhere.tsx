import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { cappedAction } from "~/http/api-route.server";
import { DEFAULT_MAX_BODY_BYTES } from "~/http/body.server";
import { seeOther } from "~/http/responses.server";
import { requireUser } from "~/lib/auth.server";
import { auth0LogoutUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";
import { paths } from "~/lib/paths";
import { clearSessionCookie, readSessionId } from "~/lib/sessions.server";
import { depsOf } from "~/models/deps.server";
import { signOutEverywhere } from "~/models/identity/sign-out.server";

// POST /account/sign-out-everywhere: bumps the user's session epoch in D1, so every session of
// theirs, on every device and in every Cloudflare location, is refused from the next request on.
export const action = cappedAction(DEFAULT_MAX_BODY_BYTES, async ({ request, context }: ActionFunctionArgs) => {
  const user = await requireUser(request, context);
  await signOutEverywhere(depsOf(context), { user, requestId: context.requestId }, readSessionId(request));
  return seeOther(auth0LogoutUrl(getConfig(context.cloudflare.env)), { "Set-Cookie": clearSessionCookie() });
});

export async function loader() {
  return redirect(paths.account);
}
