import { z } from "zod";
import { charCount, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { failure, ID_PATTERN, jsonError, type Failure } from "~/lib/http.server";

/** Input shapes of the voice studio API (ADR 009). Ranges of slider values are the domain's job. */

export const TtsText = z
  .string()
  .refine((t) => t.trim().length > 0, "must not be empty")
  .refine((t) => charCount(t) <= MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`);

const setting = z.number().finite();

export const SettingsInput = z
  .object({ stability: setting.optional(), similarityBoost: setting.optional(), style: setting.optional(), speed: setting.optional() })
  .strict();

export const VoiceIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a voice id");

export const TtsBody = z.object({
  voiceId: VoiceIdInput,
  text: TtsText,
  preset: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a preset id").nullish(),
  customPresetId: z.string().regex(ID_PATTERN, "must be a preset id").nullish(),
  settings: SettingsInput.nullish(),
});

export const PresetBody = z.object({
  name: z.string().trim().min(1).max(60),
  stability: z.number().min(0).max(1),
  similarityBoost: z.number().min(0).max(1),
  style: z.number().min(0).max(1),
  speed: z.number().min(0.7).max(1.2),
});

export const FavoriteBody = z.object({ favorite: z.boolean().optional() }).strict();

export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  favoritesOnly: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export const CloneName = z.string().trim().min(1, "must not be empty").max(100);

/** `:id` of a recording or preset; anything not shaped like one of ours is simply not found. */
export function idParam(params: Record<string, string | undefined>, what: string): string {
  const id = params.id ?? "";
  if (!ID_PATTERN.test(id)) throw jsonError(404, "not_found", `No such ${what}.`);
  return id;
}

/** Largest clone upload we read: 5 samples × 10 MB plus multipart overhead. */
export const MAX_CLONE_BODY = 5 * 10 * 1024 * 1024 + 1024 * 1024;

/**
 * `body` passed through unchanged until more than `max` bytes went by; then it errors (and the
 * source is cancelled), so nothing past the cap is ever read or buffered. `exceeded()` says
 * whether that is why it failed.
 */
export function limitBytes(body: ReadableStream<Uint8Array>, max: number): { stream: ReadableStream<Uint8Array>; exceeded: () => boolean } {
  let seen = 0;
  let over = false;
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) {
          over = true;
          controller.error(new RangeError(`body larger than ${max} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return { stream, exceeded: () => over };
}

const tooLarge = () => failure(413, "payload_too_large", "Upload at most 5 samples of 10 MB each.");

/**
 * Reads the clone form (multipart: name, description?, files or files[]). The size checks per file
 * are the domain's (checkCloneSamples); here only what makes the body unreadable or absurd. The
 * cap holds for chunked bodies too (no Content-Length): the body is read through a byte counter.
 */
export async function readCloneForm(
  request: Request,
): Promise<{ ok: true; value: { name: string; description: string | null; files: File[] } } | Failure> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_CLONE_BODY) return tooLarge();
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    return failure(400, "invalid_body", "Send the samples as multipart/form-data.");
  }
  let form: FormData;
  const limited = request.body ? limitBytes(request.body, MAX_CLONE_BODY) : null;
  try {
    form = await new Response(limited?.stream ?? null, { headers: { "Content-Type": type } }).formData();
  } catch {
    if (limited?.exceeded()) return tooLarge();
    return failure(400, "invalid_body", "The upload could not be read as multipart/form-data.");
  }
  const name = CloneName.safeParse(form.get("name") ?? "");
  if (!name.success) return failure(400, "invalid_request", "Give the voice a name (1–100 characters).", { field: "name" });
  const description = form.get("description");
  if (description !== null && (typeof description !== "string" || description.length > 500)) {
    return failure(400, "invalid_request", "The description must be text of at most 500 characters.", { field: "description" });
  }
  const parts = [...form.getAll("files"), ...form.getAll("files[]")];
  if (parts.some((p) => typeof p === "string")) return failure(400, "invalid_request", "Samples must be files.", { field: "files" });
  return { ok: true, value: { name: name.data, description: description || null, files: parts as File[] } };
}
