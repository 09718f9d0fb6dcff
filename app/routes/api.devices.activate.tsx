import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { failureResponse, jsonOk, parseBody } from "~/lib/http.server";
import { activateDevice } from "~/models/devices.server";

export const ActivateBody = z.object({
  serial: z.string().trim().min(3).max(32).regex(/^[A-Za-z0-9-]+$/, "letters, digits and dashes only"),
  activationCode: z.string().trim().min(4).max(32).regex(/^[A-Za-z0-9 -]+$/, "letters, digits, spaces and dashes only"),
});

// POST /api/devices/activate {serial, activationCode} → {device, trial}
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const body = await parseBody(request, ActivateBody);
  const result = await activateDevice(context.cloudflare.env, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  return jsonOk({ device: result.device, trial: result.trial });
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
