import { redirect } from "@remix-run/cloudflare";
import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { clientIp } from "~/lib/client-ip.server";
import { signInBrowserId, signInCookie } from "~/lib/sign-in-cookie.server";
import { depsOf } from "~/models/deps.server";
import { SignInStartQuery } from "~/models/identity/inputs";
import { startSignIn } from "~/models/identity/sign-in-flow.server";

// GET /api/auth/login?returnTo=… → 302 to Auth0's /authorize (code + PKCE S256, our state and
// nonce kept server-side, single use), with the short-lived cookie that binds the sign-in to this
// browser (ADR 012). A plain link or GET form: works without JavaScript. 429 past the per-IP cap.
export const loader = apiRoute({
  method: "GET",
  auth: false,
  query: SignInStartQuery,
  run: async ({ context, request, query }) => {
    const browserId = signInBrowserId(request);
    const r = await startSignIn(depsOf(context), { returnTo: query.returnTo, browserId, clientIp: clientIp(request) });
    if (!r.ok) return r;
    return redirect(r.authorizeUrl, { headers: { "Set-Cookie": signInCookie(browserId), "Cache-Control": "no-store" } });
  },
});

export const action = methodNotAllowed;
