/**
 * Reading a voice-clone upload (POST /api/ivc and the studio's clone form): multipart only, read
 * through its own byte cap (MAX_CLONE_UPLOAD_BYTES, far above the JSON/form default) that holds
 * for chunked bodies too, then CloneInput. The samples' sizes and types are the domain's check.
 */
import type { z } from "zod";
import { MAX_CLONE_UPLOAD_BYTES, MAX_FAVORITE_UPLOAD_BYTES } from "~/domain/voice-input";
import type { Ok, Refusal } from "~/domain/result";
import { CloneInput, cloneFields, FavoriteUploadInput, favoriteUploadFields } from "~/models/voice/inputs";
import { readFormData, type BodyRefusal } from "./body.server";
import { fieldErrors, parseInput, type InvalidRequest } from "./input.server";
import { CLONE_UPLOAD_SENTENCES, FAVORITE_UPLOAD_SENTENCES } from "./refusals/voice";
import { requestLanguage } from "~/i18n/i18n.server";

export type CloneUploadRefusal = BodyRefusal | (InvalidRequest & { field: string; sentence: string }) | Refusal<"invalid_body", { expected: string }>;

type UploadSentences = { tooLarge: string; notMultipart: string; unreadable: string };

/**
 * One multipart upload read through `maxBytes` (declared size first, whatever the type: a huge body
 * is refused unread), then `schema` over `fields(form)`, answering with the first bad field's sentence.
 */
async function readUpload<S extends z.ZodType>(
  request: Request,
  { maxBytes, sentences, schema, fields }: { maxBytes: number; sentences: UploadSentences; schema: S; fields: (form: FormData) => unknown },
): Promise<Ok<{ value: z.infer<S> }> | CloneUploadRefusal> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) {
    const declared = Number(request.headers.get("Content-Length") ?? "0");
    if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, error: "payload_too_large", maxBytes, sentence: sentences.tooLarge };
    return { ok: false, error: "invalid_body", expected: sentences.notMultipart };
  }
  const read = await readFormData(request, maxBytes, sentences.tooLarge);
  if (!read.ok) return read.error === "invalid_body" ? { ...read, expected: sentences.unreadable } : read;
  const parsed = parseInput(schema, fields(read.form), requestLanguage(request));
  if (!parsed.ok) {
    // One sentence for the first bad field, as the upload has always answered.
    const [field, sentence] = Object.entries(fieldErrors(parsed.issues))[0];
    return { ...parsed, field: field.split(".")[0], sentence };
  }
  return { ok: true, value: parsed.value };
}

export function readCloneUpload(request: Request): Promise<Ok<{ value: CloneInput }> | CloneUploadRefusal> {
  return readUpload(request, { maxBytes: MAX_CLONE_UPLOAD_BYTES, sentences: CLONE_UPLOAD_SENTENCES, schema: CloneInput, fields: cloneFields });
}

/**
 * Reading a favourite upload (POST /api/recordings): multipart only, through its own byte cap
 * (MAX_FAVORITE_UPLOAD_BYTES: one file of a clone sample's size plus the fields), then
 * FavoriteUploadInput. The audio's size and type are the domain's check, as for clone samples.
 */
export function readFavoriteUpload(request: Request): Promise<Ok<{ value: FavoriteUploadInput }> | CloneUploadRefusal> {
  return readUpload(request, {
    maxBytes: MAX_FAVORITE_UPLOAD_BYTES,
    sentences: { ...FAVORITE_UPLOAD_SENTENCES, unreadable: CLONE_UPLOAD_SENTENCES.unreadable },
    schema: FavoriteUploadInput,
    fields: favoriteUploadFields,
  });
}
