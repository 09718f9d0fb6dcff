import { apiRoute } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { PresetInput } from "~/models/voice/inputs";
import { createPreset, listPresets } from "~/models/voice/presets.server";
import { voiceTier } from "~/models/voice/tier.server";

// GET /api/presets → {system: [{id, name, …settings, available}], custom: [...], customPresetsAllowed}
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user }) => {
    const deps = depsOf(context);
    return { ok: true, ...(await listPresets(deps, user.id, await voiceTier(deps, user.id))) };
  },
});

// POST /api/presets {name, stability, similarityBoost, style, speed} → 201 {preset}; Premium only.
export const action = apiRoute({
  method: "POST",
  body: PresetInput,
  okStatus: 201,
  run: ({ context, body, user, requestId }) => createPreset(depsOf(context), body, { user, requestId }),
});
