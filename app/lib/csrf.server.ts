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
