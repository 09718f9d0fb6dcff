import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { safeReturnTo } from "~/domain/session-policy";
import { getUser } from "~/lib/auth.server";
import { paths } from "~/lib/paths";

export const meta: MetaFunction = () => [{ title: "Sign in — AOVIS Edge" }];

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
  // Back from Auth0 through the back/forward cache: the button is ready again.
  useEffect(() => {
    const reset = (e: PageTransitionEvent) => e.persisted && setLeaving(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <p>Sign in with your AOVIS ID to manage your cameras, plans and voice studio.</p>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error === "session_failed" ? "We couldn't complete your sign-in. Please try again." : "Sign-in was cancelled."}
        </p>
      ) : null}
      <form method="get" action={paths.signIn} onSubmit={() => setLeaving(true)}>
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" aria-busy={leaving}>
          {leaving ? "Opening sign-in…" : "Continue to sign in"}
        </button>
      </form>
    </section>
  );
}
