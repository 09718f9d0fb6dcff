/**
 * The server-side code exchange at Auth0's /oauth/token (ADR 012): authorization_code with the
 * client secret (client_secret_post: we are a Regular Web Application), the PKCE verifier and the
 * redirect URI the code was issued for. Auth0 answers a wrong, reused or foreign code (or a wrong
 * secret) with a 4xx: the code is rejected. Anything else (network, 5xx, no id_token) means the
 * provider could not be asked; never a reason to trust anything.
 */
import { refuse, type Ok, type Refusal } from "~/domain/result";
import type { AppConfig } from "./config.server";
import { signInRedirectUri } from "./auth0-urls.server";

const TOKEN_TIMEOUT_MS = 10_000;

export type CodeExchangeRefusal = Refusal<"sign_in_code_rejected", { providerError: string }> | Refusal<"sign_in_unavailable">;

export async function exchangeCode(config: AppConfig, p: { code: string; codeVerifier: string }): Promise<Ok<{ idToken: string }> | CodeExchangeRefusal> {
  let res: Response;
  try {
    res = await fetch(new URL("/oauth/token", config.AUTH0_DOMAIN), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: config.AUTH0_CLIENT_ID,
        client_secret: config.AUTH0_CLIENT_SECRET,
        code: p.code,
        code_verifier: p.codeVerifier,
        redirect_uri: signInRedirectUri(config),
      }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    return refuse("sign_in_unavailable");
  }
  const body = (await res.json().catch(() => null)) as { id_token?: unknown; error?: unknown } | null;
  if (res.status >= 400 && res.status < 500)
    return refuse("sign_in_code_rejected", { providerError: typeof body?.error === "string" ? body.error : "unknown" });
  if (!res.ok || typeof body?.id_token !== "string") return refuse("sign_in_unavailable");
  return { ok: true, idToken: body.id_token };
}
