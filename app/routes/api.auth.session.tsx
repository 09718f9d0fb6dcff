import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { voiceTier } from "~/models/voice/tier.server";

// GET /api/auth/session → { user: { id, email, voiceTier } } or 401.
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user }) => ({ ok: true, user: { id: user.id, email: user.email, voiceTier: await voiceTier(depsOf(context), user.id) } }),
});

export const action = methodNotAllowed;
