/**
 * A schema's own problem sentence, named by its catalogue key instead of written out: zod schemas
 * live in app/models/<area>/inputs.ts, and their sentences must reach a person in the request's
 * language. `parseInput` (app/http/input.server.ts) says a named sentence in that language, with the
 * issue's `min`/`max`; the API's English answer is the English catalogue's sentence. Pure: no
 * catalogue is imported here, so a schema shared with browser code ships none.
 */
const PREFIX = "i18n:";

/** "devices.problems.serialShort" → the message a schema gives zod. */
export const catalogueProblem = (key: string): string => PREFIX + key;

/** The catalogue key a problem message names, or null for a message written out. */
export const catalogueKeyOf = (message: string): string | null => (message.startsWith(PREFIX) ? message.slice(PREFIX.length) : null);
