import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { auth0Client } from "~/auth/auth0-client.client";
import { safeReturnTo } from "~/domain/session-policy";
import { getConfig } from "~/lib/config.server";

export const meta: MetaFunction = () => [{ title: "Signing in — AOVIS Edge" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const config = getConfig(context.cloudflare.env);
  return { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID };
}

// Auth0 redirects here with ?code&state. auth0-spa-js exchanges the code (PKCE verifier from its
// transaction), checks state and nonce, and we hand the ID token to the server, which verifies it
// again against the JWKS before starting a session.
export default function AuthCallback() {
  const cfg = useLoaderData<typeof loader>();
  const [failed, setFailed] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      try {
        const client = await auth0Client(cfg);
        const result = await client.handleRedirectCallback<{ returnTo?: string }>();
        const claims = await client.getIdTokenClaims();
        if (!claims?.__raw) throw new Error("no id token");
        const res = await fetch("/auth/session", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ id_token: claims.__raw, nonce: claims.nonce }),
        });
        if (!res.ok) throw new Error(`session ${res.status}`);
        window.location.replace(safeReturnTo(result.appState?.returnTo));
      } catch {
        setFailed(true);
      }
    })();
  }, [cfg]);

  return (
    <section className="panel narrow" aria-labelledby="cb-title" aria-live="polite">
      <h1 id="cb-title">{failed ? "Sign-in didn't complete" : "Signing you in…"}</h1>
      {failed ? (
        <p>
          Something went wrong while finishing your sign-in. <a href="/login">Try again</a>.
        </p>
      ) : (
        <p role="status">One moment while we finish signing you in.</p>
      )}
    </section>
  );
}
