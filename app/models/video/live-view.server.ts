/**
 * What a WebRTC viewer needs for live view: the signaling endpoints for role VIEWER
 * (GetSignalingChannelEndpoint), TURN servers (GetIceServerConfig) and a presigned WSS connect URL,
 * so the browser never holds AWS keys. Owner only; not gated by the plan's history window.
 */
import { AwsV4Signer } from "aws4fetch";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { VIEWER_URL_SECONDS } from "~/domain/video-limits";
import { getConfig } from "~/lib/config.server";
import type { Actor, Deps } from "../deps.server";
import { awsRefusal, kvsFor, retryQuickly, type VideoServiceRefusal } from "./kvs-calls.server";
import { iso, type PlaybackContext } from "./playback-access.server";

export interface LiveViewer {
  channelArn: string;
  region: string;
  role: "VIEWER";
  clientId: string;
  endpoints: { wss: string; https: string };
  signedViewerUrl: string;
  signedViewerUrlExpiresAt: string;
  /** RTCPeerConnection's iceServers shape (plus how long each TURN credential lasts). */
  iceServers: { urls: string[]; username?: string; credential?: string; ttlSeconds?: number }[];
}

export type LiveViewResult = Ok<LiveViewer> | Refusal<"live_unavailable"> | VideoServiceRefusal<"live_error">;

/**
 * A viewer's connect URL for KVS WebRTC signaling (WSS), presigned with SigV4 query parameters
 * like the KVS WebRTC SDK's SigV4RequestSigner does.
 */
export async function presignViewerUrl(
  env: Env,
  wssEndpoint: string,
  channelArn: string,
  clientId: string,
  expiresSeconds = VIEWER_URL_SECONDS,
): Promise<string> {
  const config = getConfig(env);
  const url = new URL(wssEndpoint);
  url.searchParams.set("X-Amz-ChannelARN", channelArn);
  url.searchParams.set("X-Amz-ClientId", clientId);
  url.searchParams.set("X-Amz-Expires", String(expiresSeconds));
  const signer = new AwsV4Signer({
    method: "GET",
    url: url.toString(),
    accessKeyId: config.AWS_ACCESS_KEY_ID,
    secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
    service: "kinesisvideo",
    region: config.AWS_REGION,
    signQuery: true,
  });
  return (await signer.sign()).url.toString();
}

export async function liveViewer(deps: Deps, playback: PlaybackContext, actor: Actor): Promise<LiveViewResult> {
  const channelArn = playback.device.webrtcChannelArn;
  if (!channelArn) return refuse("live_unavailable");
  const region = getConfig(deps.env).AWS_REGION;
  // One id per viewer session: KVS routes signaling messages by ClientId.
  const clientId = `viewer-${crypto.randomUUID()}`;
  const kvs = kvsFor(deps.env);
  try {
    const endpoints = await retryQuickly(() => kvs.getSignalingChannelEndpoint(channelArn, "VIEWER", ["WSS", "HTTPS"]));
    if (!endpoints.HTTPS || !endpoints.WSS) return refuse("live_error", { awsCode: "MissingEndpoint" });
    const https = endpoints.HTTPS;
    const iceServers = await retryQuickly(() => kvs.getIceServerConfig(https, channelArn, clientId));
    const now = actor.now ?? Date.now();
    return ok({
      channelArn,
      region,
      role: "VIEWER" as const,
      clientId,
      endpoints: { wss: endpoints.WSS, https: endpoints.HTTPS },
      signedViewerUrl: await presignViewerUrl(deps.env, endpoints.WSS, channelArn, clientId, VIEWER_URL_SECONDS),
      signedViewerUrlExpiresAt: iso(now + VIEWER_URL_SECONDS * 1000),
      // KVS's own STUN server first, then the TURN servers it handed out.
      iceServers: [
        { urls: [`stun:stun.kinesisvideo.${region}.amazonaws.com:443`] },
        ...iceServers.map((s) => ({ urls: s.Uris, username: s.Username, credential: s.Password, ttlSeconds: s.Ttl })),
      ],
    });
  } catch (err) {
    return awsRefusal(err, "live_error", actor.requestId);
  }
}
