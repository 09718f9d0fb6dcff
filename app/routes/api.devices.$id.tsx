import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { deviceIdParam } from "~/lib/device-params.server";
import { jsonError, jsonOk } from "~/lib/http.server";
import { describeDevice, getOwnedDevice } from "~/models/devices.server";

// GET /api/devices/:id → the device if it is the caller's; anything else (someone else's, an
// ownership id, a made-up id) is 404, so ids reveal nothing.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = deviceIdParam(params);
  const db = getDb(context.cloudflare.env);
  const owned = await getOwnedDevice(db, id, user.id);
  if (!owned) return jsonError(404, "not_found", "No such device.");
  return jsonOk({ device: await describeDevice(db, owned.device, owned.ownership) });
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
