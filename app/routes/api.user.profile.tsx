import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { voiceProfile } from "~/models/voice/profile.server";

// GET /api/user/profile → {userId, email, subscriptionTier, subscriptionStatus, recordingsThisMonth,
// maxRecordings (null = unlimited), resetDate, features, upgradeUrl}
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user, requestId }) => ({ ok: true, ...(await voiceProfile(depsOf(context), { user, requestId })) }),
});

export const action = methodNotAllowed;
