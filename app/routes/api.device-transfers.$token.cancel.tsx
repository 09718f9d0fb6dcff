import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonError, jsonOk } from "~/lib/http.server";
import { cancelTransfer } from "~/models/devices.server";

// POST /api/device-transfers/:token/cancel → the sender withdraws the offer.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const token = params.token ?? "";
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return jsonError(404, "transfer_not_found", "No such transfer offer.");
  const result = await cancelTransfer(context.cloudflare.env, { token }, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return jsonOk({ cancelled: true });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
