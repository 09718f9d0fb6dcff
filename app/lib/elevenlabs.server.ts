/**
 * ElevenLabs API client (plain fetch, no SDK). Shapes: /work/shared/API-SHAPES.md §4.
 * Text-to-speech hands back the provider's body stream untouched so the caller can tee it to R2 and
 * the browser without holding the audio in memory.
 */

export const ELEVENLABS_DEFAULT_BASE = "https://api.elevenlabs.io";
export const DEFAULT_MODEL_ID = "eleven_multilingual_v2";
export const DEFAULT_OUTPUT_FORMAT = "mp3_44100_128";

export type Mp3OutputFormat = "mp3_22050_32" | "mp3_24000_48" | "mp3_44100_32" | "mp3_44100_64" | "mp3_44100_96" | "mp3_44100_128" | "mp3_44100_192";

/** Our camelCase voice settings; every field optional (the provider applies its defaults). */
export interface TtsSettings {
  stability?: number;
  similarityBoost?: number;
  style?: number;
  speed?: number;
  useSpeakerBoost?: boolean;
}

export interface ElevenLabsVoice {
  voiceId: string;
  name: string;
  category: string;
  labels: Record<string, string>;
  description: string | null;
  previewUrl: string | null;
}

export interface TtsResult {
  /** The provider's response body, unread. Empty (never null) when the provider sent no bytes. */
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** Content-Length when the provider sent one (streamed responses usually do not). */
  contentLength: number | null;
  requestId: string | null;
}

export interface ElevenLabsClient {
  listVoices(opts?: { signal?: AbortSignal }): Promise<ElevenLabsVoice[]>;
  textToSpeech(req: {
    voiceId: string;
    text: string;
    settings?: TtsSettings;
    modelId?: string;
    outputFormat?: Mp3OutputFormat;
    signal?: AbortSignal;
  }): Promise<TtsResult>;
  addVoice(req: {
    name: string;
    files: File[];
    description?: string;
    labels?: Record<string, string>;
    signal?: AbortSignal;
  }): Promise<{ voiceId: string; requiresVerification: boolean }>;
  /** DELETE /v1/voices/{voice_id}; a voice already gone (404) counts as deleted (ADR 026). */
  deleteVoice(voiceId: string, opts?: { signal?: AbortSignal }): Promise<void>;
}

export class ElevenLabsError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** detail.status from the provider, "validation_error" for 422 lists, or one of ours. */
    readonly code: string,
    readonly retryable: boolean,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = "ElevenLabsError";
  }
}

/** Worth retrying later: overload, concurrency limits, provider failures. Never quota or auth. */
function isRetryable(status: number, code: string): boolean {
  if (code === "system_busy" || code === "too_many_concurrent_requests") return true;
  return status === 408 || status === 429 || status >= 500;
}

async function errorFromResponse(res: Response, what: string): Promise<ElevenLabsError> {
  const raw = await res.text().catch(() => "");
  let detail: unknown;
  try {
    detail = (JSON.parse(raw) as { detail?: unknown }).detail;
  } catch {
    detail = undefined;
  }
  let code = `http_${res.status}`;
  let message = `${what} failed with HTTP ${res.status}`;
  if (Array.isArray(detail)) {
    code = "validation_error";
    const first = detail[0] as { loc?: unknown[]; msg?: string } | undefined;
    if (first?.msg) message = `${what}: ${(first.loc ?? []).join(".")} ${first.msg}`;
  } else if (detail && typeof detail === "object") {
    const d = detail as { status?: unknown; message?: unknown };
    if (typeof d.status === "string") code = d.status;
    if (typeof d.message === "string") message = `${what}: ${d.message}`;
  } else if (typeof detail === "string") {
    message = `${what}: ${detail}`;
  }
  return new ElevenLabsError(message, res.status, code, isRetryable(res.status, code), detail ?? (raw.slice(0, 500) || undefined));
}

function toVoiceSettings(s: TtsSettings): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  if (s.stability !== undefined) out.stability = s.stability;
  if (s.similarityBoost !== undefined) out.similarity_boost = s.similarityBoost;
  if (s.style !== undefined) out.style = s.style;
  if (s.speed !== undefined) out.speed = s.speed;
  if (s.useSpeakerBoost !== undefined) out.use_speaker_boost = s.useSpeakerBoost;
  return out;
}

interface RawVoice {
  voice_id: string;
  name?: string | null;
  category?: string | null;
  labels?: Record<string, string> | null;
  description?: string | null;
  preview_url?: string | null;
}

export function createElevenLabsClient(opts: { apiKey: string; baseUrl?: string; fetch?: typeof fetch }): ElevenLabsClient {
  const base = (opts.baseUrl ?? ELEVENLABS_DEFAULT_BASE).replace(/\/+$/, "");
  // Bound, so a caller-supplied fetch is never invoked with a foreign `this`.
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => fetch(input, init));

  async function call(path: string, init: RequestInit, what: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("xi-api-key", opts.apiKey);
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === "AbortError") throw err; // the caller cancelled: not a provider failure
      if (name === "TimeoutError") throw new ElevenLabsError(`${what}: timed out`, 0, "timeout", true);
      throw new ElevenLabsError(`${what}: network error (${String((err as Error)?.message ?? err)})`, 0, "network_error", true);
    }
    if (!res.ok) throw await errorFromResponse(res, what);
    return res;
  }

  return {
    async listVoices({ signal } = {}) {
      const res = await call("/v1/voices", { method: "GET", signal }, "List voices");
      const data = (await res.json()) as { voices?: RawVoice[] };
      return (data.voices ?? []).map((v) => ({
        voiceId: v.voice_id,
        name: v.name ?? v.voice_id,
        category: v.category ?? "premade",
        labels: v.labels ?? {},
        description: v.description ?? null,
        previewUrl: v.preview_url ?? null,
      }));
    },

    async textToSpeech({ voiceId, text, settings, modelId, outputFormat, signal }) {
      if (!voiceId) throw new ElevenLabsError("Text to speech: voiceId is required", 0, "invalid_request", false);
      const body: Record<string, unknown> = { text, model_id: modelId ?? DEFAULT_MODEL_ID };
      if (settings) body.voice_settings = toVoiceSettings(settings);
      const query = new URLSearchParams({ output_format: outputFormat ?? DEFAULT_OUTPUT_FORMAT });
      const res = await call(
        `/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream?${query}`,
        { method: "POST", headers: { "Content-Type": "application/json", Accept: "audio/mpeg" }, body: JSON.stringify(body), signal },
        "Text to speech",
      );
      const contentType = res.headers.get("content-type") ?? "";
      if (!contentType.startsWith("audio/")) {
        await res.body?.cancel();
        throw new ElevenLabsError(`Text to speech: expected audio, got "${contentType}"`, res.status, "unexpected_response", true);
      }
      const length = res.headers.get("content-length");
      return {
        body: res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
        contentType,
        contentLength: length === null ? null : Number(length),
        requestId: res.headers.get("request-id"),
      };
    },

    async addVoice({ name, files, description, labels, signal }) {
      const form = new FormData();
      form.append("name", name);
      for (const file of files) form.append("files", file, file.name);
      if (description) form.append("description", description);
      if (labels && Object.keys(labels).length) form.append("labels", JSON.stringify(labels));
      const res = await call("/v1/voices/add", { method: "POST", body: form, signal }, "Add voice");
      const data = (await res.json()) as { voice_id: string; requires_verification?: boolean };
      return { voiceId: data.voice_id, requiresVerification: data.requires_verification ?? false };
    },

    async deleteVoice(voiceId, { signal } = {}) {
      try {
        const res = await call(`/v1/voices/${encodeURIComponent(voiceId)}`, { method: "DELETE", signal }, "Delete voice");
        await res.body?.cancel();
      } catch (err) {
        if (err instanceof ElevenLabsError && err.status === 404) return;
        throw err;
      }
    },
  };
}
