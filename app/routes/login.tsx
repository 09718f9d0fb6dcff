import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { safeReturnTo } from "~/domain/session-policy";
import { rootMessages } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getUser } from "~/lib/auth.server";
import { paths } from "~/lib/paths";

// The title in the served language: the root loader carries its messages.
export const meta: MetaFunction = ({ matches }) => {
  const messages = rootMessages(matches);
  return messages ? [{ title: messages.auth.login.metaTitle }] : [];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const returnTo = safeReturnTo(url.searchParams.get("returnTo"));
  if (await getUser(request, context)) throw redirect(returnTo);
  return { returnTo, error: url.searchParams.get("error") };
}

// A plain GET form to the server-side sign-in (ADR 012): it works before and without JavaScript;
// with JavaScript the button only says it is on its way.
export default function Login() {
  const { returnTo, error } = useLoaderData<typeof loader>();
  const [leaving, setLeaving] = useState(false);
  const t = useT("auth");
  // Back from Auth0 through the back/forward cache: the button is ready again.
  useEffect(() => {
    const reset = (e: PageTransitionEvent) => e.persisted && setLeaving(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <p>{t("login.intro")}</p>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error === "session_failed" ? t("login.failed") : t("login.cancelled")}
        </p>
      ) : null}
      <form method="get" action={paths.signIn} onSubmit={() => setLeaving(true)}>
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" aria-busy={leaving}>
          {leaving ? t("login.opening") : t("login.continue")}
        </button>
      </form>
    </section>
  );
}
