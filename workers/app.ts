// The Remix server build (`npm run build`, which `npm start` runs; tests get the copy `npm run
// build:test` makes, see vitest.config.ts), typed by workers/server-build.d.ts. Everything the
// Worker uses comes from the build's entry module (app/entry.server.tsx): importing app code or
// @remix-run/* here would bundle a second copy of the app graph next to the build's.
import * as remixBuild from "../build/server/index.js";

const {
  applyPrivateCaching,
  applySecurityHeaders,
  createRequestHandler,
  csrfVerdict,
  handleQueue,
  log,
  OPS_PATH,
  originOf,
  scheduleSweeps,
  videoOrigins,
  voicePreviewOrigins,
  verifyAccess,
  withAppHost,
} = remixBuild.entry.module;
const handleRemix = createRequestHandler(remixBuild);

function randomToken(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/[+/=]/g, "");
}

export default {
  async fetch(request, env, ctx) {
    const started = Date.now();
    const requestId = request.headers.get("cf-ray") ?? crypto.randomUUID();
    const nonce = randomToken(16);
    const url = new URL(request.url);
    let response: Response;
    try {
      if (csrfVerdict(request, env.APP_ORIGIN) === "rejected") {
        response = new Response(JSON.stringify({ error: "csrf_rejected", message: "This request did not come from an AOVIS page and was refused." }), {
          status: 403,
          headers: { "Content-Type": "application/json" },
        });
      } else if (OPS_PATH.test(url.pathname) && !(await verifyAccess(request, env)).ok) {
        // The staff support view answers only requests Cloudflare Access let through (ADR 025):
        // pages, actions and .data alike, whatever cookies say.
        response = new Response(JSON.stringify({ error: "access_required", message: "The support view needs a valid Cloudflare Access sign-in." }), {
          status: 403,
          headers: { "Content-Type": "application/json" },
        });
      } else {
        // Origin is ours (checked above): Remix sees APP_ORIGIN's host, so a rewritten Host can't make
        // its own Origin/Host check turn a page action into a 500 (app/lib/csrf.server.ts).
        response = await handleRemix(withAppHost(request, env.APP_ORIGIN), { cloudflare: { env, ctx }, requestId, nonce });
      }
    } catch (err) {
      // Remix renders loader/action errors itself; reaching here means the handler crashed.
      log("error", "unhandled_error", { requestId, error: err instanceof Error ? err.message : String(err) });
      response = new Response(JSON.stringify({ error: "internal_error", message: "Something went wrong on our side. Please try again.", requestId }), {
        status: 500,
        headers: { "Content-Type": "application/json" },
      });
    }
    // Responses from fetch() (e.g. streamed R2/KVS bodies) have immutable headers: copy them.
    response = new Response(response.body, response);
    // Anything that depends on the session stays out of shared caches (app/lib/private-caching.server.ts).
    applyPrivateCaching(request, response.headers);
    applySecurityHeaders(response.headers, {
      nonce,
      auth0Origin: originOf(env.AUTH0_DOMAIN),
      checkoutOrigins: [originOf(env.STRIPE_API_BASE) ?? "", "https://checkout.stripe.com", "https://billing.stripe.com"].filter(Boolean),
      video: videoOrigins(env),
      voicePreviews: voicePreviewOrigins(env),
      https: url.protocol === "https:",
    });
    response.headers.set("X-Request-Id", requestId);
    log("info", "request", {
      requestId,
      method: request.method,
      path: url.pathname,
      status: response.status,
      ms: Date.now() - started,
      country: (request.cf?.country as string | undefined) ?? null,
    });
    return response;
  },

  // The cron only enqueues: one message per sweep and per range of cameras (ADR 027).
  async scheduled(controller, env, _ctx) {
    await scheduleSweeps(env, controller.cron, controller.scheduledTime);
  },

  // aovis-sweeps (the sweeps themselves) and aovis-sweeps-dlq (dead letters into D1).
  async queue(batch, env) {
    await handleQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
