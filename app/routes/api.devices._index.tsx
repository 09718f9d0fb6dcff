import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getDb } from "~/db/client.server";
import { requireUser } from "~/lib/auth.server";
import { jsonOk } from "~/lib/http.server";
import { listMyDevices } from "~/models/devices.server";

// GET /api/devices → the signed-in user's devices only.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return jsonOk({ devices: await listMyDevices(getDb(context.cloudflare.env), user.id) });
}

export { methodNotAllowed as action } from "~/lib/api-route.server";
