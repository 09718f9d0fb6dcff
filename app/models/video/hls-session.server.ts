/**
 * HLS session URLs (KVS GetHLSStreamingSessionURL): ON_DEMAND for footage inside the entitlement
 * window, LIVE for live view, which is part of owning the camera and not gated by the plan.
 */
import type { TimeWindow } from "~/domain/cloud-access-window";
import { ok, type Ok } from "~/domain/result";
import { HLS_SESSION_SECONDS } from "~/domain/video-limits";
import type { Actor, Deps } from "../deps.server";
import { awsRefusal, kvsFor, retryQuickly, type VideoServiceRefusal } from "./kvs-calls.server";
import {
  gateRange,
  iso,
  isoWindow,
  paceStream,
  type IsoWindow,
  type PlaybackContext,
  type RangeRefusal,
  type VideoRateLimited,
} from "./playback-access.server";

export type HlsRequest = { mode: "live" } | { mode: "on_demand"; start: number; end: number };

export type HlsSessionResult =
  Ok<{ mode: HlsRequest["mode"]; url: string; expiresAt: string; range?: IsoWindow }> | RangeRefusal | VideoRateLimited | VideoServiceRefusal<"stream_error">;

export async function hlsSession(deps: Deps, playback: PlaybackContext, input: HlsRequest, actor: Actor): Promise<HlsSessionResult> {
  const now = actor.now ?? Date.now();
  let range: TimeWindow | undefined;
  if (input.mode === "on_demand") {
    const gate = gateRange(playback, input.start, input.end, now);
    if (!gate.ok) return gate;
    range = gate.range;
  }
  const stream = playback.device.kvsStreamName;
  const paced = await paceStream(deps, "GetHLSStreamingSessionURL", stream, now);
  if (!paced.ok) return paced;
  const kvs = kvsFor(deps.env);
  const options = { expires: HLS_SESSION_SECONDS, containerFormat: "FRAGMENTED_MP4" as const };
  try {
    const url = await retryQuickly(() =>
      range
        ? kvs.getHlsStreamingSessionUrl(stream, "ON_DEMAND", { start: range.start / 1000, end: range.end / 1000 }, options)
        : kvs.getHlsStreamingSessionUrl(stream, "LIVE", undefined, options),
    );
    return ok({ mode: input.mode, url, expiresAt: iso(now + HLS_SESSION_SECONDS * 1000), ...(range ? { range: isoWindow(range) } : {}) });
  } catch (err) {
    return awsRefusal(err, "stream_error", actor.requestId);
  }
}
