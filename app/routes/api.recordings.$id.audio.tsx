import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/voice-params.server";
import { recordingAudioResponse } from "~/models/voice-recordings.server";

// GET /api/recordings/:id/audio → the MP3 from R2, owner only, with Range support for seeking
// (206 + Content-Range; 416 when the range is outside the file).
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = idParam(params, "recording");
  return recordingAudioResponse(context.cloudflare.env, user.id, id, request.headers.get("Range"));
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
