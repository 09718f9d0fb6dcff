import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { voiceProfile } from "~/models/voice/profile.server";

// GET /api/user/profile → {userId, email, subscriptionTier, subscriptionStatus (Stripe's words),
// recordingsThisMonth, maxRecordings (null = unlimited), resetDate, features (ours and the documented
// clients' names: maxRecordingsPerMonth -1 = unlimited, …), upgradeUrl} (docs/api.md)
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user, requestId }) => ({ ok: true, ...(await voiceProfile(depsOf(context), { user, requestId })) }),
});

export const action = methodNotAllowed;
