import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { voiceUsage } from "~/models/voice/profile.server";

// GET /api/user/usage → {recordingsUsed, recordingsLimit (null = unlimited), resetDate (Unix ms,
// the first instant of the next UTC month), tier}
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user, requestId }) => {
    const usage = await voiceUsage(depsOf(context), { user, requestId });
    return { ok: true, recordingsUsed: usage.used, recordingsLimit: usage.limit, resetDate: usage.resetDate, tier: usage.tier };
  },
});

export const action = methodNotAllowed;
