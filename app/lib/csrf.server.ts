/**
 * Every state-changing request must come from our own pages. Browsers send `Origin` on every
 * cross-site and same-site POST (and `Sec-Fetch-Site`); a missing or foreign origin is refused.
 * The exceptions are the machine-to-machine routes, authenticated otherwise: the Stripe webhook
 * (its signature) and camera events from the IoT rule (its token, ADR 015).
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CSRF_EXEMPT_PATHS = new Set(["/api/stripe/webhook", "/api/iot/events", "/api/iot/events/"]);

export function csrfVerdict(request: Request, appOrigin: string): "ok" | "rejected" {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return "ok";
  const url = new URL(request.url);
  if (CSRF_EXEMPT_PATHS.has(url.pathname)) return "ok";
  const origin = request.headers.get("Origin");
  let expected: string;
  try {
    expected = new URL(appOrigin).origin;
  } catch {
    return "rejected";
  }
  if (origin !== null) {
    // "null" (sandboxed frames, some redirects) never counts as ours.
    return origin === expected ? "ok" : "rejected";
  }
  return request.headers.get("Sec-Fetch-Site") === "same-origin" ? "ok" : "rejected";
}

/**
 * The request as Remix must see it: for a state-changing request, the Host of APP_ORIGIN and no
 * X-Forwarded-Host. Remix refuses a page action whose `Origin` host differs from Host (or
 * X-Forwarded-Host) by throwing, which it answers as a 500 (@remix-run/server-runtime
 * throwIfPotentialCSRFAttack). Call this only after csrfVerdict said "ok": that check compares
 * Origin with the configured origin, which is stricter than Remix's comparison with a Host the
 * client or a proxy chose, so a Host rewritten on the way (a proxy in front, 127.0.0.1 vs localhost)
 * changes nothing about who may post, and pages then behave exactly like the API routes (which
 * Remix never checked).
 */
export function withAppHost(request: Request, appOrigin: string): Request {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return request;
  let host: string;
  try {
    host = new URL(appOrigin).host;
  } catch {
    return request;
  }
  if (request.headers.get("Host") === host && !request.headers.has("X-Forwarded-Host")) return request;
  const headers = new Headers(request.headers);
  headers.set("Host", host);
  headers.delete("X-Forwarded-Host");
  return new Request(request, { headers });
}
