/**
 * Sentences for `invalid_request` refusals that a domain decision or a use case made (not the
 * edge's zod parsing): they carry a `problem` code and its facts, and are worded here. Each area
 * adds its own table.
 */
import { VOICE_REQUEST_PROBLEMS } from "./voice";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry reads its own facts
const REQUEST_PROBLEMS: Record<string, (r: any) => string> = { ...VOICE_REQUEST_PROBLEMS };

export function problemSentence(r: { problem?: string }): string | undefined {
  const sentence = r.problem === undefined || !Object.hasOwn(REQUEST_PROBLEMS, r.problem) ? undefined : REQUEST_PROBLEMS[r.problem];
  return sentence?.(r);
}
