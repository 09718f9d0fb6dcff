/**
 * Reading request bodies with a byte cap: the one reader every route uses (issue #11). Nothing is
 * parsed before the cap is known to hold: a declared Content-Length over the cap is refused at
 * once, and a chunked body is counted as it streams, so a 20 MB body costs us at most `maxBytes`
 * of reading. Every route action carries its cap (`BodyCapped`: apiRoute, formAction and
 * cappedAction set it), and a test posts past it to every action of the build; eslint forbids
 * reading `request` any other way.
 */
import { refuse, type Ok, type Refusal } from "~/domain/result";

/** JSON and form posts of our own pages and API are a few KB; uploads set their own cap. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type BodyRefusal = Refusal<"payload_too_large", { maxBytes: number; sentence?: string }> | Refusal<"invalid_body", { expected?: string }>;

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

/** The largest body a route action reads (bytes); a body over it is 413 payload_too_large, unread. */
export interface BodyCapped {
  maxBodyBytes: number;
}

/** `fn` marked with its body cap (the route-table test reads it off the build's actions). */
export function withBodyCap<F extends (...args: never[]) => unknown>(fn: F, maxBodyBytes: number): F & BodyCapped {
  return Object.assign(fn, { maxBodyBytes });
}

export const tooLarge = (maxBytes: number, sentence?: string): BodyRefusal => refuse("payload_too_large", { maxBytes, ...(sentence ? { sentence } : {}) });

/** The request carries a body at all (GET and HEAD never do). */
export function hasBody(request: Request): boolean {
  return request.body !== null && !["GET", "HEAD"].includes(request.method.toUpperCase());
}

/** The declared Content-Length is over the cap: refuse before reading a byte (or looking anything up). */
export function declaredTooLarge(request: Request, maxBytes: number): boolean {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  return Number.isFinite(declared) && declared > maxBytes;
}

/**
 * A body the route has no use for (a button's POST), read through the cap and dropped, so a chunked
 * body past the cap is a 413 like a declared one. A body that breaks off is not ours to refuse.
 */
export async function discardBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Ok<object> | BodyRefusal> {
  if (declaredTooLarge(request, maxBytes)) return tooLarge(maxBytes);
  const r = await readText(request, maxBytes);
  return r.ok || r.error !== "payload_too_large" ? { ok: true } : r;
}

/** The body as text, at most `maxBytes` (UTF-8 bytes). */
export async function readText(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES, sentence?: string): Promise<Ok<{ text: string }> | BodyRefusal> {
  if (declaredTooLarge(request, maxBytes)) return tooLarge(maxBytes, sentence);
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return refuse("invalid_body", {});
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(maxBytes, sentence);
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return { ok: true, text: text + decoder.decode() };
}

/** The body as FormData (urlencoded or multipart), read through the byte cap. */
export async function readFormData(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES, sentence?: string): Promise<Ok<{ form: FormData }> | BodyRefusal> {
  if (declaredTooLarge(request, maxBytes)) return tooLarge(maxBytes, sentence);
  const type = request.headers.get("Content-Type") ?? "";
  const limited = request.body ? limitBytes(request.body, maxBytes) : null;
  try {
    const form = await new Response(limited?.stream ?? null, { headers: { "Content-Type": type } }).formData();
    return { ok: true, form };
  } catch {
    if (limited?.exceeded()) return tooLarge(maxBytes, sentence);
    return refuse("invalid_body", {});
  }
}

const isForm = (type: string) => type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data");

/**
 * A JSON or form body as a plain object for zod: JSON by Content-Type (or when the type says
 * nothing), form fields as strings (files as File). Empty bodies are `{}`.
 */
export async function readBodyFields(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Ok<{ raw: unknown; kind: "json" | "form" }> | BodyRefusal> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (isForm(type)) {
    const r = await readFormData(request, maxBytes);
    return r.ok ? { ok: true, raw: Object.fromEntries(r.form), kind: "form" } : r;
  }
  const r = await readText(request, maxBytes);
  if (!r.ok) return r;
  if (!r.text.trim()) return { ok: true, raw: {}, kind: "json" };
  try {
    return { ok: true, raw: JSON.parse(r.text), kind: "json" };
  } catch {
    return refuse("invalid_body", {});
  }
}
