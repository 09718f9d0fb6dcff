/**
 * Browser-side Auth0 (auth0-spa-js): Universal Login with authorization code + PKCE (S256). Loaded
 * lazily, so pages that don't sign anyone in never download it.
 */
export interface Auth0PublicConfig {
  auth0Domain: string;
  clientId: string;
}

export async function auth0Client(cfg: Auth0PublicConfig) {
  const { createAuth0Client } = await import("@auth0/auth0-spa-js");
  return createAuth0Client({
    domain: cfg.auth0Domain,
    clientId: cfg.clientId,
    cacheLocation: "memory",
    authorizationParams: {
      redirect_uri: `${window.location.origin}/auth/callback`,
      scope: "openid profile email",
    },
  });
}
