import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { parseParams } from "~/lib/http.server";
import { awsFailure, clipFilename, gateRange, kvsFor, paceStream, requireOwnedPlayback, retryQuickly, TimeParam } from "~/models/cloud-video.server";

// GET /api/devices/:id/clip?start&end → the footage as an MP4 download, streamed from KVS GetClip.
// Owner only (anyone else: 404). Order: entitlement window (403) → 24 h cap (400) → per-stream
// pacing (429) → GetDataEndpoint + GetClip (AWS errors → 502 clip_error with awsCode).
// `via=page` (the form on /account/devices/:id): refusals go back to that page instead of JSON,
// so the download form works without JavaScript.
const Query = z.object({ start: TimeParam, end: TimeParam, via: z.literal("page").optional() });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { id, env, ctx } = await requireOwnedPlayback(request, params, context);

  const url = new URL(request.url);
  const raw = Object.fromEntries(url.searchParams);
  const backToPage = (error: string, extra: Record<string, string> = {}) =>
    new Response(null, {
      status: 303,
      headers: { Location: `/account/devices/${id}?${new URLSearchParams({ clip_error: error, ...extra })}#clip`, "Cache-Control": "no-store" },
    });
  const viaPage = raw.via === "page";
  const parsed = viaPage ? Query.safeParse(raw) : null;
  if (parsed && !parsed.success) return backToPage("invalid_request");
  const q = parsed?.data ?? parseParams(raw, Query);

  const now = Date.now();
  const gate = gateRange(ctx, q.start, q.end, now);
  if (!gate.ok) {
    if (!viaPage) return gate.response;
    const body = (await gate.response.clone().json()) as { error: string };
    return backToPage(body.error, { start: String(q.start), end: String(q.end) });
  }

  const stream = ctx.device.kvsStreamName;
  const limited = await paceStream(env, "GetClip", stream, now);
  if (limited) return viaPage ? backToPage("rate_limited", { start: String(q.start), end: String(q.end) }) : limited;

  const kvs = kvsFor(env);
  try {
    const clip = await retryQuickly(() => kvs.getClip(stream, gate.range.start / 1000, gate.range.end / 1000));
    const headers = new Headers({
      "Content-Type": "video/mp4",
      "Content-Disposition": `attachment; filename="${clipFilename(ctx.device.serial, gate.range)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (clip.contentLength !== null && Number.isFinite(clip.contentLength)) headers.set("Content-Length", String(clip.contentLength));
    // The KVS body is handed straight on: a clip can be 100 MB and is never held in memory.
    return new Response(clip.body, { status: 200, headers });
  } catch (err) {
    const res = awsFailure(err, "clip_error", context.requestId);
    if (!viaPage) return res;
    const body = (await res.clone().json()) as { awsCode: string };
    return backToPage("clip_error", { aws_code: body.awsCode, start: String(q.start), end: String(q.end) });
  }
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
