import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { generateSpeech } from "~/models/voice/generation.server";
import { GenerateInput } from "~/models/voice/inputs";

// POST /api/tts {voiceId, text, preset?, customPresetId?, settings?} → audio/mpeg, streamed from
// the provider while the same bytes are written to R2 (ADR 009). X-Recording-Id names the stored
// recording; X-Recording-Source is "history" when an identical earlier request was reused.
export const action = apiRoute({
  method: "POST",
  body: GenerateInput,
  // 5 000 characters, each at worst a 12-byte JSON escape (a surrogate pair), and the other fields.
  maxBodyBytes: 128 * 1024,
  run: async ({ context, ctx, body, user, requestId }) => {
    const r = await generateSpeech(depsOf(context), body, { user, requestId }, { deliver: "stream" });
    if (!r.ok) return r;
    ctx.waitUntil(r.stored);
    const headers = new Headers({
      "Content-Type": r.contentType,
      "Cache-Control": "no-store",
      "X-Recording-Id": r.recording.id,
      "X-Recording-Source": r.source,
      "X-Generations-Used": String(r.usage.used),
      "X-Generations-Limit": r.usage.limit === null ? "unlimited" : String(r.usage.limit),
    });
    if (r.size !== null) headers.set("Content-Length", String(r.size));
    return new Response(r.audio, { status: 200, headers });
  },
});

export const loader = methodNotAllowed;
