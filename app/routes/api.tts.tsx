import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, parseBody } from "~/lib/http.server";
import { TtsBody } from "~/lib/voice-params.server";
import { generateSpeech } from "~/models/voice-generation.server";

// POST /api/tts {voiceId, text, preset?, customPresetId?, settings?} → audio/mpeg, streamed from
// the provider while the same bytes are written to R2 (ADR 009). X-Recording-Id names the stored
// recording; X-Recording-Source is "history" when an identical earlier request was reused.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (request.method !== "POST") return failureResponse({ ok: false, status: 405, error: "method_not_allowed", message: "Use POST." });
  const body = await parseBody(request, TtsBody);
  const result = await generateSpeech(context.cloudflare.env, user.id, body, { deliver: "stream" });
  if (!result.ok) return failureResponse(result);
  context.cloudflare.ctx.waitUntil(result.stored);
  const headers = new Headers({
    "Content-Type": result.contentType,
    "Cache-Control": "no-store",
    "X-Recording-Id": result.recording.id,
    "X-Recording-Source": result.source,
    "X-Generations-Used": String(result.usage.used),
    "X-Generations-Limit": result.usage.limit === null ? "unlimited" : String(result.usage.limit),
  });
  if (result.size !== null) headers.set("Content-Length", String(result.size));
  return new Response(result.audio, { status: 200, headers });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
