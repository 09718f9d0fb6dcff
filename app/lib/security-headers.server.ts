/**
 * Security headers for every response. The CSP allows our own origin plus exactly the external
 * origins a browser must reach after a form submission (form-action covers the redirects that
 * follow it): the Auth0 tenant (/login's form → /api/auth/login → /authorize, ADR 012) and the
 * Stripe-hosted pages. No script talks to Auth0 any more, so connect-src is our origin alone.
 */
export function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function contentSecurityPolicy(opts: { nonce: string; auth0Origin: string | null; checkoutOrigins: string[] }): string {
  const ext = (xs: (string | null)[]) => xs.filter(Boolean).join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    `form-action 'self' ${ext([opts.auth0Origin, ...opts.checkoutOrigins])}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

export function applySecurityHeaders(headers: Headers, opts: { nonce: string; auth0Origin: string | null; checkoutOrigins: string[]; https: boolean }): void {
  headers.set("Content-Security-Policy", contentSecurityPolicy(opts));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), microphone=(self), geolocation=()");
  headers.set("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
  // HSTS is ignored by browsers over plain http; sending it anyway keeps local and prod identical.
  headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
}
