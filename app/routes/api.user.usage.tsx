import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { jsonOk } from "~/lib/http.server";
import { getUsage } from "~/models/voice.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

// GET /api/user/usage → {recordingsUsed, recordingsLimit (null = unlimited), resetDate (Unix ms,
// the first instant of the next UTC month), tier}
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const env = context.cloudflare.env;
  const now = Date.now();
  const usage = await getUsage(env, user.id, await voiceTierForUser(getDb(env), user.id, now), now);
  return jsonOk({ recordingsUsed: usage.used, recordingsLimit: usage.limit, resetDate: usage.resetDate, tier: usage.tier });
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
