import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { jsonOk, parseParams } from "~/lib/http.server";
import { ListQuery } from "~/lib/voice-params.server";
import { listRecordings } from "~/models/voice-recordings.server";

// GET /api/recordings?page=1&limit=20&favoritesOnly=false → the caller's live recordings, newest first.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const query = parseParams(Object.fromEntries(new URL(request.url).searchParams), ListQuery);
  return jsonOk(await listRecordings(context.cloudflare.env, user.id, query));
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
