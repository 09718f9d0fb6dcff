import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonError, jsonOk, parseBody } from "~/lib/http.server";
import { PresetBody } from "~/lib/voice-params.server";
import { createPreset, listPresets } from "~/models/voice.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

// GET /api/presets → {system: [{id, name, …settings, available}], custom: [...], customPresetsAllowed}
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = getDb(context.cloudflare.env);
  return jsonOk(await listPresets(db, user.id, await voiceTierForUser(db, user.id)));
}

// POST /api/presets {name, stability, similarityBoost, style, speed} → 201 {preset}; Premium only.
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST to create a preset.");
  const db = getDb(context.cloudflare.env);
  const tier = await voiceTierForUser(db, user.id);
  const body = await parseBody(request, PresetBody);
  const result = await createPreset(db, user.id, tier, body);
  if (!result.ok) return failureResponse(result);
  return jsonOk({ preset: result.preset }, { status: 201 });
}
