import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { jsonOk } from "~/lib/http.server";
import { voiceProfile } from "~/models/voice.server";

// GET /api/user/profile → {userId, email, subscriptionTier, subscriptionStatus, recordingsThisMonth,
// maxRecordings (null = unlimited), resetDate, features, upgradeUrl}
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return jsonOk(await voiceProfile(context.cloudflare.env, user));
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
