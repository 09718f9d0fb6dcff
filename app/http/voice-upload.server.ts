/**
 * Reading a voice-clone upload (POST /api/ivc and the studio's clone form): multipart only, read
 * through its own byte cap (MAX_CLONE_UPLOAD_BYTES, far above the JSON/form default) that holds
 * for chunked bodies too, then CloneInput. The samples' sizes and types are the domain's check.
 */
import { MAX_CLONE_UPLOAD_BYTES, MAX_FAVORITE_UPLOAD_BYTES } from "~/domain/voice-input";
import type { Ok, Refusal } from "~/domain/result";
import { CloneInput, cloneFields, FavoriteUploadInput, favoriteUploadFields } from "~/models/voice/inputs";
import { readFormData, type BodyRefusal } from "./body.server";
import { fieldErrors, parseInput, type InvalidRequest } from "./input.server";
import { CLONE_UPLOAD_SENTENCES, FAVORITE_UPLOAD_SENTENCES } from "./refusals/voice";

export type CloneUploadRefusal = BodyRefusal | (InvalidRequest & { field: string; sentence: string }) | Refusal<"invalid_body", { expected: string }>;

export async function readCloneUpload(request: Request): Promise<Ok<{ value: CloneInput }> | CloneUploadRefusal> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) {
    // The declared size is checked first, whatever the type (a huge body is refused unread).
    const declared = Number(request.headers.get("Content-Length") ?? "0");
    if (Number.isFinite(declared) && declared > MAX_CLONE_UPLOAD_BYTES) {
      return { ok: false, error: "payload_too_large", maxBytes: MAX_CLONE_UPLOAD_BYTES, sentence: CLONE_UPLOAD_SENTENCES.tooLarge };
    }
    return { ok: false, error: "invalid_body", expected: CLONE_UPLOAD_SENTENCES.notMultipart };
  }
  const read = await readFormData(request, MAX_CLONE_UPLOAD_BYTES, CLONE_UPLOAD_SENTENCES.tooLarge);
  if (!read.ok) return read.error === "invalid_body" ? { ...read, expected: CLONE_UPLOAD_SENTENCES.unreadable } : read;
  const parsed = parseInput(CloneInput, cloneFields(read.form));
  if (!parsed.ok) {
    // One sentence for the first bad field, as the upload has always answered.
    const [field, sentence] = Object.entries(fieldErrors(parsed.issues))[0];
    return { ...parsed, field: field.split(".")[0], sentence };
  }
  return { ok: true, value: parsed.value };
}

/**
 * Reading a favourite upload (POST /api/recordings): multipart only, through its own byte cap
 * (MAX_FAVORITE_UPLOAD_BYTES: one file of a clone sample's size plus the fields), then
 * FavoriteUploadInput. The audio's size and type are the domain's check, as for clone samples.
 */
export async function readFavoriteUpload(request: Request): Promise<Ok<{ value: FavoriteUploadInput }> | CloneUploadRefusal> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) return { ok: false, error: "invalid_body", expected: FAVORITE_UPLOAD_SENTENCES.notMultipart };
  const read = await readFormData(request, MAX_FAVORITE_UPLOAD_BYTES, FAVORITE_UPLOAD_SENTENCES.tooLarge);
  if (!read.ok) return read.error === "invalid_body" ? { ...read, expected: CLONE_UPLOAD_SENTENCES.unreadable } : read;
  const parsed = parseInput(FavoriteUploadInput, favoriteUploadFields(read.form));
  if (!parsed.ok) {
    const [field, sentence] = Object.entries(fieldErrors(parsed.issues))[0];
    return { ...parsed, field: field.split(".")[0], sentence };
  }
  return { ok: true, value: parsed.value };
}
