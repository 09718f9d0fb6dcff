/** A clip of the owner's history as an MP4 download, streamed from KVS GetClip (ADR 010). */
import type { TimeWindow } from "~/domain/cloud-access-window";
import { ok, type Ok } from "~/domain/result";
import type { ClipResponse } from "~/lib/kvs.server";
import type { Actor, Deps } from "../deps.server";
import { awsRefusal, kvsFor, retryQuickly, type VideoServiceRefusal } from "./kvs-calls.server";
import { gateRange, iso, paceStream, type PlaybackContext, type RangeRefusal, type VideoRateLimited } from "./playback-access.server";

export type ClipResult = Ok<{ clip: ClipResponse; filename: string; range: TimeWindow }> | RangeRefusal | VideoRateLimited | VideoServiceRefusal<"clip_error">;

export function clipFilename(serial: string, range: TimeWindow): string {
  const stamp = (ms: number) =>
    iso(ms)
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
  const safeSerial = serial.replace(/[^A-Za-z0-9-]/g, "") || "camera";
  return `aovis-${safeSerial}-${stamp(range.start)}-${stamp(range.end)}.mp4`;
}

/**
 * Order: the entitlement window → the 24 h cap → per-stream pacing → GetDataEndpoint + GetClip.
 * Nothing refused reaches AWS. The clip's body is handed on as it arrives (never buffered).
 */
export async function openClip(deps: Deps, playback: PlaybackContext, input: { start: number; end: number }, actor: Actor): Promise<ClipResult> {
  const now = actor.now ?? Date.now();
  const gate = gateRange(playback, input.start, input.end, now);
  if (!gate.ok) return gate;
  const stream = playback.device.kvsStreamName;
  const paced = await paceStream(deps, "GetClip", stream, now);
  if (!paced.ok) return paced;
  const kvs = kvsFor(deps.env);
  try {
    const clip = await retryQuickly(() => kvs.getClip(stream, gate.range.start / 1000, gate.range.end / 1000));
    return ok({ clip, filename: clipFilename(playback.device.serial, gate.range), range: gate.range });
  } catch (err) {
    return awsRefusal(err, "clip_error", actor.requestId);
  }
}
