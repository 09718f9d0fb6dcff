import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { requireUser } from "~/lib/auth.server";
import { deviceIdParam } from "~/lib/device-params.server";
import { failureResponse, jsonOk } from "~/lib/http.server";
import { unbindDevice } from "~/models/devices.server";

// POST /api/devices/:id/unbind → 200, 403 forbidden (not the owner), 409 active paid plan.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = deviceIdParam(params);
  const result = await unbindDevice(context.cloudflare.env, id, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return jsonOk({ unbound: true, deviceId: id });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
