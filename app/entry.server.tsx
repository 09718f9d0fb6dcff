import type { AppLoadContext, EntryContext } from "@remix-run/cloudflare";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToReadableStream } from "react-dom/server";

// The Worker (workers/app.ts) reaches what it needs through this module, as the server build's
// `entry.module`: one bundle, so one copy of the Remix runtime, zod, stripe, the models and their
// module-level caches (config, Stripe client, KVS clients). Importing these from the Worker
// directly would bundle a second copy of everything they import.
export { createRequestHandler } from "@remix-run/cloudflare";
export { runScheduled } from "~/jobs/cron.server";
export { handleQueue, scheduleSweeps } from "~/jobs/queue.server";
export { OPS_PATH, verifyAccess } from "~/lib/access.server";
export { csrfVerdict, withAppHost } from "~/lib/csrf.server";
export { log } from "~/lib/log.server";
export { applyPrivateCaching } from "~/lib/private-caching.server";
export { applySecurityHeaders, originOf, videoOrigins, voicePreviewOrigins } from "~/lib/security-headers.server";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), ABORT_DELAY);
  let status = responseStatusCode;
  const body = await renderToReadableStream(<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={loadContext.nonce} />, {
    signal: controller.signal,
    nonce: loadContext.nonce,
    onError(error: unknown) {
      if (!controller.signal.aborted) {
        console.error(JSON.stringify({ level: "error", msg: "render_error", requestId: loadContext.requestId, error: String(error) }));
      }
      status = 500;
    },
  });
  body.allReady.then(() => clearTimeout(timeout));
  // Bots get the whole document at once; people get it streamed.
  if (isbot(request.headers.get("user-agent") || "")) await body.allReady;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(body, { headers: responseHeaders, status });
}
