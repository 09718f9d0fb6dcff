import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getConfig } from "~/lib/config.server";
import { jsonError, jsonOk } from "~/lib/http.server";
import { awsFailure, iso, kvsFor, presignViewerUrl, requireOwnedPlayback, retryQuickly } from "~/models/cloud-video.server";

// GET /api/devices/:id/live → what a WebRTC viewer needs: the signaling endpoints for role VIEWER
// (GetSignalingChannelEndpoint), TURN servers (GetIceServerConfig) and a presigned WSS connect
// URL, so the browser never holds AWS keys. Owner only; not gated by the plan's history window.
const VIEWER_URL_SECONDS = 300;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { env, ctx } = await requireOwnedPlayback(request, params, context);
  const channelArn = ctx.device.webrtcChannelArn;
  if (!channelArn) return jsonError(409, "live_unavailable", "This camera has no live channel yet. Please contact support.");

  // One id per viewer session: KVS routes signaling messages by ClientId.
  const clientId = `viewer-${crypto.randomUUID()}`;
  const kvs = kvsFor(env);
  try {
    const endpoints = await retryQuickly(() => kvs.getSignalingChannelEndpoint(channelArn, "VIEWER", ["WSS", "HTTPS"]));
    if (!endpoints.HTTPS || !endpoints.WSS) return jsonError(502, "live_error", "The video service returned no signaling endpoint.", { awsCode: "MissingEndpoint" });
    const https = endpoints.HTTPS;
    const iceServers = await retryQuickly(() => kvs.getIceServerConfig(https, channelArn, clientId));
    const now = Date.now();
    return jsonOk({
      channelArn,
      region: getConfig(env).AWS_REGION,
      role: "VIEWER",
      clientId,
      endpoints: { wss: endpoints.WSS, https: endpoints.HTTPS },
      signedViewerUrl: await presignViewerUrl(env, endpoints.WSS, channelArn, clientId, VIEWER_URL_SECONDS),
      signedViewerUrlExpiresAt: iso(now + VIEWER_URL_SECONDS * 1000),
      // RTCPeerConnection's iceServers shape, plus KVS's own STUN server.
      iceServers: [
        { urls: [`stun:stun.kinesisvideo.${getConfig(env).AWS_REGION}.amazonaws.com:443`] },
        ...iceServers.map((s) => ({ urls: s.Uris, username: s.Username, credential: s.Password, ttlSeconds: s.Ttl })),
      ],
    });
  } catch (err) {
    return awsFailure(err, "live_error", context.requestId);
  }
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
