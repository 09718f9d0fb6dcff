import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { parseInput } from "~/http/input.server";
import { jsonOk } from "~/http/responses.server";
import { requestLanguage } from "~/i18n/i18n.server";
import { clientIp } from "~/lib/client-ip.server";
import { readSessionId, sessionCookie } from "~/lib/sessions.server";
import { signInLanguage } from "~/lib/sign-in-cookie.server";
import { depsOf } from "~/models/deps.server";
import { SignInInput } from "~/models/identity/inputs";
import { handOverOpen, reserveSignInAttempt, signIn } from "~/models/identity/sign-in.server";

// POST /auth/session {id_token, nonce?} → verifies the Auth0 ID token and starts a session. Local
// and test mode only (scripted sign-in); production answers 404 and signs in only through
// /api/auth/login (ADR 012). Order: closed (404), the per-IP attempt (429 rate_limited with Retry-After) before the body is even read,
// then the body (400), then the token (401 with its code), then the session cookie.
export const action = apiRoute({
  method: "POST",
  auth: false,
  run: async ({ context, request, requestId, rawBody }) => {
    const deps = depsOf(context);
    const open = handOverOpen(deps);
    if (!open.ok) return open;
    const attempt = await reserveSignInAttempt(deps, clientIp(request));
    if (!attempt.ok) return attempt;
    // The body was read through the cap before (a 413 comes first); it is parsed after the attempt.
    if (!rawBody.ok) return rawBody;
    const body = parseInput(SignInInput, rawBody.raw, requestLanguage(request));
    if (!body.ok) return body;
    const r = await signIn(deps, body.value, { previousSessionId: readSessionId(request), requestId, acceptLanguage: signInLanguage(request) });
    if (!r.ok) return r;
    return jsonOk({ user: r.user }, { headers: { "Set-Cookie": sessionCookie(r.sessionId) } });
  },
});

export const loader = methodNotAllowed;
