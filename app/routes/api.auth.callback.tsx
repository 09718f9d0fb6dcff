import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import type { Language } from "~/domain/language";
import { parseInput } from "~/http/input.server";
import { refusalHeaders, refusalMessage, refusalStatus, type KnownRefusal } from "~/http/refusals";
import { paths } from "~/lib/paths";
import { readSessionId, sessionCookie } from "~/lib/sessions.server";
import { readSignInBrowserId, signInLanguage } from "~/lib/sign-in-cookie.server";
import { depsOf } from "~/models/deps.server";
import { SignInCallbackQuery } from "~/models/identity/inputs";
import { ensureStripeCustomerAtSignIn } from "~/models/billing/customers.server";
import { abandonSignIn, finishSignIn } from "~/models/identity/sign-in-flow.server";
import { rootMessages } from "~/i18n/meta";
import { requestLanguage } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";

// The title in the served language: the root loader carries its messages.
export const meta: MetaFunction = ({ matches }) => {
  const messages = rootMessages(matches);
  return messages ? [{ title: messages.auth.callback.metaTitle }] : [];
};

// A page, not JSON: people arrive here by a redirect from Auth0, with or without JavaScript.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

// GET /api/auth/callback?code&state (ADR 012): consumes the state (single use, this browser's,
// not expired), exchanges the code with the client secret, verifies the ID token against our
// nonce, starts the session and redirects to the checked return path. Any refusal is this page
// with the refusal's status (400 for a wrong, reused or expired state or a rejected code) and no
// session. ?error&state (cancelled at Auth0) goes back to /login.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const deps = depsOf(context);
  const language = requestLanguage(request);
  const q = parseInput(SignInCallbackQuery, Object.fromEntries(new URL(request.url).searchParams), language);
  if (!q.ok) return refusalPage(q, language);
  const browserId = readSignInBrowserId(request);
  if (q.value.error || !q.value.code) {
    const returnTo = await abandonSignIn(deps, { state: q.value.state, browserId });
    return redirect(`${paths.login(returnTo)}&error=cancelled`, { headers: { "Cache-Control": "no-store" } });
  }
  const r = await finishSignIn(
    deps,
    { code: q.value.code, state: q.value.state, browserId },
    { previousSessionId: readSessionId(request), requestId: context.requestId, acceptLanguage: signInLanguage(request) },
  );
  if (!r.ok) return refusalPage(r, language);
  // After the response: a Stripe customer once per user; a failure is logged and checkout retries.
  context.cloudflare.ctx.waitUntil(ensureStripeCustomerAtSignIn(deps, r.user, context.requestId));
  return redirect(r.returnTo, { headers: { "Set-Cookie": sessionCookie(r.sessionId), "Cache-Control": "no-store" } });
}

// The sentence in the served language (ADR 028); the code shown as the reference stays.
function refusalPage(r: KnownRefusal, language: Language) {
  return data(
    { error: r.error, message: refusalMessage(r, language) },
    { status: refusalStatus(r), headers: { ...refusalHeaders(r), "Cache-Control": "no-store" } },
  );
}

export default function SignInCallback() {
  const { error, message } = useLoaderData<typeof loader>();
  const t = useT("auth");
  return (
    <section className="panel narrow" aria-labelledby="cb-title">
      <h1 id="cb-title">{t("callback.title")}</h1>
      <p role="alert">{message}</p>
      <p>
        <Link className="button" to="/login" reloadDocument>
          {t("callback.again")}
        </Link>
      </p>
      <p className="muted">
        {t("callback.reference")} <code data-testid="sign-in-error">{error}</code>
      </p>
    </section>
  );
}
