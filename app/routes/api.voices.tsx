import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { listVoices } from "~/models/voice/voices.server";

// GET /api/voices → the provider's shared voices + the caller's own cloned voices (never others').
export const loader = apiRoute({
  method: "GET",
  run: ({ context, user }) => listVoices(depsOf(context), user.id),
});

export const action = methodNotAllowed;
