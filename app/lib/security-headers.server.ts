/**
 * Security headers for every response. The CSP allows our own origin plus exactly the external
 * origins a browser must reach after a form submission (form-action covers the redirects that
 * follow it): the Auth0 tenant (/login's form → /api/auth/login → /authorize, ADR 012) and the
 * Stripe-hosted pages; and for watching (ADR 014) the KVS data endpoints (HLS playlists and
 * fragments: connect-src for hls.js, media-src for native HLS) and the WebRTC signaling WebSocket
 * (connect-src). No script talks to Auth0 any more. hls.js runs without its Web Worker, so no
 * worker-src is needed; ICE (STUN/TURN) is not governed by CSP.
 */
export function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Where a viewer's browser fetches video from, derived from the config: with a KVS endpoint set
 * (local stand-in) its origin and the same host over ws(s)://, which is where the stand-in hands
 * out its data and signaling endpoints; else the region's KVS hosts (data endpoints are
 * https://<id>.kinesisvideo.<region>.amazonaws.com, signaling wss://<id>.kinesisvideo.<region>…).
 */
export function videoOrigins(env: { KVS_ENDPOINT?: string; AWS_REGION?: string }): { media: string[]; connect: string[] } {
  const custom = originOf(env.KVS_ENDPOINT);
  if (custom) {
    const url = new URL(custom);
    const socket = `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
    return { media: [custom], connect: [custom, socket] };
  }
  const region = env.AWS_REGION && AWS_REGION.test(env.AWS_REGION) ? env.AWS_REGION : "us-east-1";
  const https = `https://*.kinesisvideo.${region}.amazonaws.com`;
  return { media: [https], connect: [https, `wss://*.kinesisvideo.${region}.amazonaws.com`] };
}

/**
 * Where the voice studio's samples (ElevenLabs' `preview_url`) play from: ElevenLabs serves them as
 * public files on storage.googleapis.com; a local stand-in (ELEVENLABS_API_BASE set elsewhere)
 * serves them from its own origin.
 */
export function voicePreviewOrigins(env: { ELEVENLABS_API_BASE?: string }): string[] {
  const base = originOf(env.ELEVENLABS_API_BASE);
  return base && base !== "https://api.elevenlabs.io" ? [base] : ["https://storage.googleapis.com"];
}

export interface CspOptions {
  nonce: string;
  auth0Origin: string | null;
  checkoutOrigins: string[];
  video?: { media: string[]; connect: string[] };
  /** media-src for the voice samples (voicePreviewOrigins). */
  voicePreviews?: string[];
}

export function contentSecurityPolicy(opts: CspOptions): string {
  const ext = (xs: (string | null)[]) => xs.filter(Boolean).join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `media-src 'self' blob: ${ext([...(opts.video?.media ?? []), ...(opts.voicePreviews ?? [])])}`.trim(),
    `connect-src 'self' ${ext(opts.video?.connect ?? [])}`.trim(),
    `form-action 'self' ${ext([opts.auth0Origin, ...opts.checkoutOrigins])}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

export function applySecurityHeaders(headers: Headers, opts: CspOptions & { https: boolean }): void {
  headers.set("Content-Security-Policy", contentSecurityPolicy(opts));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), microphone=(self), geolocation=()");
  headers.set("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
  // HSTS is ignored by browsers over plain http; sending it anyway keeps local and prod identical.
  headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
}
