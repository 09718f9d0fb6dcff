/**
 * The sentences the device forms' zod schemas report per field (./inputs.ts), by catalogue key. The
 * API sends them as they are; a page turns one back into its key to show it in the reader's
 * language (i18n devices.problems.*). No zod here: the pages' browser code imports this.
 */
import { CAMERA_NAME_MAX_CHARS } from "~/domain/camera-name";

export const DEVICE_PROBLEMS = {
  serialShort: "Enter the serial number from the label, e.g. N4K-000001.",
  serialLong: "A serial number has at most 32 characters.",
  serialChars: "A serial number has only letters, digits and dashes.",
  codeShort: "Enter the activation code from the label.",
  codeLong: "An activation code has at most 32 characters.",
  codeChars: "An activation code has only letters, digits, spaces and dashes.",
  email: "Enter the new owner's email address, like name@example.com.",
  nameEmpty: "Enter a name for the camera, like Front door.",
  nameLong: `A camera name has at most ${CAMERA_NAME_MAX_CHARS} characters.`,
  nameChars: "A camera name can't contain line breaks or control characters.",
} as const;

export type DeviceProblem = keyof typeof DEVICE_PROBLEMS;

const BY_SENTENCE = new Map(Object.entries(DEVICE_PROBLEMS).map(([k, v]) => [v as string, k as DeviceProblem]));

/** The key of one of these sentences, or null for any other (the form layer's generic words). */
export function deviceProblemKey(sentence: string): DeviceProblem | null {
  return BY_SENTENCE.get(sentence) ?? null;
}

/** The form layer's own English sentences (http/form-action.server.ts), which a page says in its language. */
const FORM_SENTENCES = {
  invalid: "Please check the form: some fields are missing or invalid.",
  unreadable: "That request could not be read. Please use the form on this page.",
} as const;

export interface ReplyWords {
  /** The sentence for an invalid or unreadable form. */
  invalid: string;
  /** A field problem's sentence by its key. */
  problem: (key: DeviceProblem) => string;
}

/**
 * A form reply in the page's language: refusals and success sentences already are (the action
 * wrote them for the request's language); the form layer's generic sentence and the schema's
 * field problems arrive in English and are said again here.
 */
export function localReply<R extends { message: string; fieldErrors?: Record<string, string> }>(reply: R, words: ReplyWords): R {
  const message = Object.values(FORM_SENTENCES).includes(reply.message as never) ? words.invalid : reply.message;
  const fieldErrors = reply.fieldErrors
    ? Object.fromEntries(
        Object.entries(reply.fieldErrors).map(([field, sentence]) => {
          const key = deviceProblemKey(sentence);
          return [field, key ? words.problem(key) : sentence];
        }),
      )
    : undefined;
  return { ...reply, message, ...(fieldErrors ? { fieldErrors } : {}) };
}
