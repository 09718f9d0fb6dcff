/**
 * Browser-side Auth0 (auth0-spa-js): Universal Login with authorization code + PKCE (S256). Loaded
 * lazily, so pages that don't sign anyone in never download it.
 */
export interface Auth0PublicConfig {
  auth0Domain: string;
  clientId: string;
}

export async function auth0Client(cfg: Auth0PublicConfig) {
  const { Auth0Client } = await import("@auth0/auth0-spa-js");
  // Not createAuth0Client: it first tries a silent sign-in in a hidden Auth0 iframe, which our CSP
  // (no frame-src) blocks, and sessions are ours (KV), not the SDK's.
  return new Auth0Client({
    domain: cfg.auth0Domain,
    clientId: cfg.clientId,
    cacheLocation: "memory",
    authorizationParams: {
      redirect_uri: `${window.location.origin}/auth/callback`,
      scope: "openid profile email",
    },
  });
}
