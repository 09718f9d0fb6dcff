import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { jsonError, jsonOk } from "~/lib/http.server";
import { idParam } from "~/lib/voice-params.server";
import { deletePreset } from "~/models/voice.server";

// DELETE /api/presets/:id → {deleted: true}; someone else's or unknown → 404.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = idParam(params, "preset");
  if (request.method !== "DELETE") return jsonError(405, "method_not_allowed", "Use DELETE.");
  if (!(await deletePreset(getDb(context.cloudflare.env), user.id, id))) return jsonError(404, "not_found", "No such preset.");
  return jsonOk({ deleted: true, id });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
