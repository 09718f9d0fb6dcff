/**
 * A thumbnail of the owner's history: one JPEG from KVS GetImages at a moment the timeline listed,
 * through our origin (never a KVS URL in the page), gated by the same access window as playback.
 */
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import type { Actor, Deps } from "../deps.server";
import { archiveFor, awsRefusal, retryQuickly, type VideoServiceRefusal } from "./kvs-calls.server";
import { gateRange, paceStreamPatiently, type PlaybackContext, type RangeRefusal, type VideoRateLimited } from "./playback-access.server";

/** GetImages looks this far past the moment (a gap edge, a late key frame) for a picture. */
const PROBE_MS = 8_000;
/** One sample per this many ms in the probe: GetImages' SamplingInterval (≥ 200 ms). */
const SAMPLING_INTERVAL_MS = 2_000;
/** Thumbnails are drawn 160 px wide (320 for dense screens), 16:9. */
const WIDTH = 320;
const HEIGHT = 180;
/** How long a thumbnail request waits for the stream's pacer (a day view asks for a dozen at once). */
const PACE_PATIENCE_MS = 3_000;

export type ThumbnailResult =
  Ok<{ jpeg: Uint8Array<ArrayBuffer>; takenAt: number }> | RangeRefusal | Refusal<"no_footage"> | VideoRateLimited | VideoServiceRefusal<"thumbnail_error">;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Order: the window (the moment must be one this owner may watch) → pacing → GetImages. */
export async function thumbnailAt(deps: Deps, playback: PlaybackContext, input: { at: number }, actor: Actor): Promise<ThumbnailResult> {
  const now = actor.now ?? Date.now();
  const gate = gateRange(playback, input.at, Math.min(input.at + PROBE_MS, now), now);
  if (!gate.ok) return gate;
  const stream = playback.device.kvsStreamName;
  const paced = await paceStreamPatiently(deps, "GetImages", stream, Date.now() + PACE_PATIENCE_MS);
  if (!paced.ok) return paced;
  try {
    const page = await retryQuickly(() =>
      archiveFor(deps.env).getImages(stream, {
        start: gate.range.start / 1000,
        end: gate.range.end / 1000,
        samplingIntervalMs: SAMPLING_INTERVAL_MS,
        format: "JPEG",
        jpegQuality: 70,
        width: WIDTH,
        height: HEIGHT,
        maxResults: Math.ceil(PROBE_MS / SAMPLING_INTERVAL_MS),
      }),
    );
    const image = page.images.find((i) => !i.Error && i.ImageContent);
    if (!image?.ImageContent) return refuse("no_footage");
    return ok({ jpeg: decodeBase64(image.ImageContent), takenAt: Math.round(image.TimeStamp * 1000) });
  } catch (err) {
    return awsRefusal(err, "thumbnail_error", actor.requestId);
  }
}
