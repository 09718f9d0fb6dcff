import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { clearSessionCookie, destroySession, readSessionId, requireUser } from "~/lib/auth.server";
import { auth0LogoutUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";
import { log } from "~/lib/log.server";
import { bumpSessionEpoch } from "~/models/users.server";

// POST /account/sign-out-everywhere: bumps the user's session epoch in D1, so every session of
// theirs, on every device and in every Cloudflare location, is refused from the next request on.
export async function action({ request, context }: ActionFunctionArgs) {
  const env = context.cloudflare.env;
  const user = await requireUser(request, context);
  await bumpSessionEpoch(getDb(env), user.id);
  const id = readSessionId(request);
  if (id) await destroySession(env, id);
  log("info", "signout_everywhere", { requestId: context.requestId, userId: user.id });
  return redirect(auth0LogoutUrl(getConfig(env)), { status: 303, headers: { "Set-Cookie": clearSessionCookie() } });
}

export async function loader() {
  return redirect("/account");
}
