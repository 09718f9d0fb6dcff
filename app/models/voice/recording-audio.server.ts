/**
 * Playing a recording (GET /api/recordings/:id/audio): owner only (everything else is not found),
 * one byte range at most (app/domain/byte-range). A recording still being stored is waited for
 * briefly. The answer is the object and the range decision; the route turns it into 200/206.
 */
import { decideRange } from "~/domain/byte-range";
import { refuse, type Refusal } from "~/domain/result";
import type { Actor, Deps } from "../deps.server";
import { findRecording, waitForReady } from "./recordings.server";

const READY_WAIT_MS = 10_000;
const NOT_READY_RETRY_SECONDS = 2;

export type RecordingAudio =
  | {
      ok: true;
      body: ReadableStream;
      etag: string;
      contentType: string;
      /** The whole object, or the one satisfiable range of it. */
      range: { kind: "full"; size: number } | { kind: "partial"; start: number; end: number; length: number; contentRange: string };
    }
  | Refusal<"not_found", { subject: "recording" }>
  | Refusal<"not_ready", { retryAfterSeconds: number }>
  | Refusal<"range_not_satisfiable", { size: number }>;

export async function recordingAudio(deps: Deps, input: { id: string; range: string | null }, actor: Actor): Promise<RecordingAudio> {
  const notFound = () => refuse("not_found", { subject: "recording" as const });
  let row = await findRecording(deps, input.id, actor);
  if (!row) return notFound();
  if (row.status === "pending") {
    row = await waitForReady(deps, row.id, READY_WAIT_MS);
    if (!row) return notFound();
    if (row.status === "pending") return refuse("not_ready", { retryAfterSeconds: NOT_READY_RETRY_SECONDS });
  }
  const size = row.size ?? 0;
  const range = decideRange(input.range, size);
  if (range.kind === "unsatisfiable") return refuse("range_not_satisfiable", { size });
  const object = await deps.env.AUDIO.get(row.r2Key, range.kind === "partial" ? { range: { offset: range.start, length: range.length } } : undefined);
  if (!object) return notFound();
  return {
    ok: true,
    body: object.body,
    etag: object.httpEtag,
    contentType: row.contentType,
    range: range.kind === "partial" ? range : { kind: "full", size: object.size },
  };
}
