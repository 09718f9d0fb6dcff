import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { jsonOk } from "~/lib/http.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

// GET /api/auth/session → { user: { id, email, voiceTier } } or 401.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const voiceTier = await voiceTierForUser(getDb(context.cloudflare.env), user.id);
  return jsonOk({ user: { id: user.id, email: user.email, voiceTier } });
}
export { methodNotAllowed as action } from "~/lib/api-route.server";
