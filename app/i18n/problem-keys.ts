/**
 * A schema's own problem sentence, named by its catalogue key instead of written out: zod schemas
 * live in app/models/<area>/inputs.ts, and their sentences must reach a person in the request's
 * language. `parseInput` (app/http/input.server.ts) says a named sentence in that language, with the
 * issue's `min`/`max`; the API's English answer is the English catalogue's sentence. Pure: no
 * catalogue is imported here, so a schema shared with browser code ships none.
 */
const PREFIX = "i18n:";

/**
 * "devices.problems.serialShort" (and the message's values, where the issue has no min/max of its
 * own, e.g. a refine's) → the message a schema gives zod.
 */
export const catalogueProblem = (key: string, values?: Record<string, number | string>): string => PREFIX + key + (values ? "|" + JSON.stringify(values) : "");

/** The catalogue key and values a problem message names, or null for a message written out. */
export function catalogueKeyOf(message: string): { key: string; values: Record<string, number | string> } | null {
  if (!message.startsWith(PREFIX)) return null;
  const [key, json] = message.slice(PREFIX.length).split("|", 2);
  return { key, values: json ? (JSON.parse(json) as Record<string, number | string>) : {} };
}
