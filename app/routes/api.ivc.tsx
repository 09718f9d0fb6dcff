import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonError, jsonOk } from "~/lib/http.server";
import { readCloneForm } from "~/lib/voice-params.server";
import { cloneVoice, cloningLocked } from "~/models/voice.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

// POST /api/ivc multipart {name, description?, files (1–5 audio samples, ≤ 10 MB each)} → 201
// {voice, requiresVerification}. Basic and Premium only (ADR 009); Free → 403 feature_locked
// before the upload is even read.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST.");
  const env = context.cloudflare.env;
  const tier = await voiceTierForUser(getDb(env), user.id);
  if (tier === "FREE") return failureResponse(cloningLocked(tier));
  const form = await readCloneForm(request);
  if (!form.ok) return failureResponse(form);
  const result = await cloneVoice(env, user.id, tier, form.value);
  if (!result.ok) return failureResponse(result);
  return jsonOk({ voice: result.voice, requiresVerification: result.requiresVerification }, { status: 201 });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
