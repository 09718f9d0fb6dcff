import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { jsonOk, parseParams } from "~/lib/http.server";
import { awsFailure, gateRange, iso, kvsFor, paceStream, requireOwnedPlayback, retryQuickly, TimeParam } from "~/models/cloud-video.server";

// GET /api/devices/:id/stream?start&end → an HLS session URL (ON_DEMAND) for footage inside the
// entitlement window. GET /api/devices/:id/stream?mode=live → a LIVE HLS URL: live view is part
// of owning the camera, so it is not gated by the plan's window (still owner only).
const Query = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("live") }),
  z.object({ mode: z.literal("on_demand"), start: TimeParam, end: TimeParam }),
]);

/** How long a session URL works; the player needs it for the whole playback. */
const SESSION_SECONDS = 3600;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { env, ctx } = await requireOwnedPlayback(request, params, context);

  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const q = parseParams({ ...raw, mode: raw.mode ?? "on_demand" }, Query);
  const now = Date.now();
  let range: { start: number; end: number } | undefined;
  if (q.mode === "on_demand") {
    const gate = gateRange(ctx, q.start, q.end, now);
    if (!gate.ok) return gate.response;
    range = gate.range;
  }

  const stream = ctx.device.kvsStreamName;
  const limited = await paceStream(env, "GetHLSStreamingSessionURL", stream, now);
  if (limited) return limited;
  const kvs = kvsFor(env);
  try {
    const url = await retryQuickly(() =>
      q.mode === "live"
        ? kvs.getHlsStreamingSessionUrl(stream, "LIVE", undefined, { expires: SESSION_SECONDS, containerFormat: "FRAGMENTED_MP4" })
        : kvs.getHlsStreamingSessionUrl(stream, "ON_DEMAND", { start: range!.start / 1000, end: range!.end / 1000 }, { expires: SESSION_SECONDS, containerFormat: "FRAGMENTED_MP4" }),
    );
    return jsonOk({
      mode: q.mode,
      url,
      expiresAt: iso(now + SESSION_SECONDS * 1000),
      ...(range ? { range: { start: iso(range.start), end: iso(range.end) } } : {}),
    });
  } catch (err) {
    return awsFailure(err, "stream_error", context.requestId);
  }
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
