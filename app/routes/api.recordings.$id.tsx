import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { jsonError, jsonOk, parseParams } from "~/lib/http.server";
import { FavoriteBody, idParam } from "~/lib/voice-params.server";
import { deleteRecording, getRecordingRow, setFavorite, toRecordingView } from "~/models/voice-recordings.server";

// GET /api/recordings/:id → {recording}. Someone else's id, a made-up one and an expired one are
// the same 404 on every method.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = idParam(params, "recording");
  const row = await getRecordingRow(context.cloudflare.env, user.id, id);
  if (!row) return jsonError(404, "not_found", "No such recording.");
  return jsonOk({ recording: toRecordingView(row) });
}

// PATCH {favorite?: boolean} → sets (or, without a body, toggles) favorite. DELETE → removes the
// audio object, then the row.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = idParam(params, "recording");
  const env = context.cloudflare.env;
  if (request.method === "PATCH") {
    // An empty body toggles; otherwise {favorite: boolean}.
    const text = await request.text();
    let raw: unknown = {};
    if (text.trim()) {
      try {
        raw = JSON.parse(text);
      } catch {
        return jsonError(400, "invalid_body", "The request body could not be read as JSON.");
      }
    }
    const body = parseParams(raw, FavoriteBody);
    const recording = await setFavorite(env, user.id, id, body.favorite);
    if (!recording) return jsonError(404, "not_found", "No such recording.");
    return jsonOk({ recording });
  }
  if (request.method === "DELETE") {
    if (!(await deleteRecording(env, user.id, id))) return jsonError(404, "not_found", "No such recording.");
    return jsonOk({ deleted: true, id });
  }
  return jsonError(405, "method_not_allowed", "This endpoint accepts GET, PATCH and DELETE.");
}
