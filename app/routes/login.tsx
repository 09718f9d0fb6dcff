import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { auth0Client } from "~/auth/auth0-client.client";
import { safeReturnTo } from "~/domain/session-policy";
import { getUser } from "~/lib/auth.server";
import { getConfig } from "~/lib/config.server";

export const meta: MetaFunction = () => [{ title: "Sign in — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const returnTo = safeReturnTo(url.searchParams.get("returnTo"));
  if (await getUser(request, context)) throw redirect(returnTo);
  const config = getConfig(context.cloudflare.env);
  return { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID, returnTo, error: url.searchParams.get("error") };
}

export default function Login() {
  const { auth0Domain, clientId, returnTo, error } = useLoaderData<typeof loader>();
  const [state, setState] = useState<"idle" | "redirecting" | "failed">("idle");

  async function signIn() {
    setState("redirecting");
    try {
      const client = await auth0Client({ auth0Domain, clientId });
      await client.loginWithRedirect({ appState: { returnTo } });
    } catch {
      setState("failed");
    }
  }

  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <p>Sign in with your AOVIS ID to manage your cameras, plans and voice studio.</p>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error === "session_failed" ? "We couldn't complete your sign-in. Please try again." : "Sign-in was cancelled."}
        </p>
      ) : null}
      {state === "failed" ? (
        <p className="notice notice--error" role="alert">
          The sign-in service could not be reached. Check your connection and try again.
        </p>
      ) : null}
      <button type="button" onClick={signIn} disabled={state === "redirecting"} aria-busy={state === "redirecting"}>
        {state === "redirecting" ? "Opening sign-in…" : "Continue to sign in"}
      </button>
      <noscript>
        <p className="notice">Signing in needs JavaScript, because your password is entered on our identity provider's page.</p>
      </noscript>
    </section>
  );
}
