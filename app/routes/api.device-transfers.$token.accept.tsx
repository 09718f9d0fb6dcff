import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonError, jsonOk } from "~/lib/http.server";
import { acceptTransfer } from "~/models/devices.server";

// POST /api/device-transfers/:token/accept → the signed-in recipient (email must match) becomes owner.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const token = params.token ?? "";
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return jsonError(404, "transfer_not_found", "This transfer link is not valid.");
  const result = await acceptTransfer(context.cloudflare.env, { token }, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return jsonOk({ accepted: true, deviceId: result.deviceId, simTransferred: result.simTransferred });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
