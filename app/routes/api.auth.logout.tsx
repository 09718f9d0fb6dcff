import { apiRoute } from "~/http/api-route.server";
import { seeOther } from "~/http/responses.server";
import { auth0LogoutUrl } from "~/lib/auth0-urls.server";
import { getConfig } from "~/lib/config.server";
import { clearSessionCookie, readSessionId } from "~/lib/sessions.server";
import { depsOf } from "~/models/deps.server";
import { signOut } from "~/models/identity/sign-out.server";

// GET|POST /api/auth/logout: ends this session (KV + D1 revocation), clears the cookie, then
// continues to Auth0's /v2/logout, which returns to our origin. GET so a plain link works; being
// signed out by someone else's link is a nuisance, not a breach (SameSite=Lax: top-level only).
const logout = apiRoute({
  method: ["GET", "POST"],
  auth: false,
  run: async ({ context, request }) => {
    await signOut(depsOf(context), readSessionId(request));
    return seeOther(auth0LogoutUrl(getConfig(context.cloudflare.env)), { "Set-Cookie": clearSessionCookie() });
  },
});

export const loader = logout;
export const action = logout;
