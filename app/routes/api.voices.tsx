import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonOk } from "~/lib/http.server";
import { listVoices } from "~/models/voice.server";

// GET /api/voices → the provider's shared voices + the caller's own cloned voices (never others').
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const result = await listVoices(context.cloudflare.env, user.id);
  if (!result.ok) return failureResponse(result);
  return jsonOk({ voices: result.voices });
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
