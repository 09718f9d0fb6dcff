import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { getConfig } from "~/lib/config.server";
import { deviceIdParam } from "~/lib/device-params.server";
import { failureResponse, jsonOk, parseBody } from "~/lib/http.server";
import { offerTransfer } from "~/models/devices.server";

export const TransferBody = z.object({
  toEmail: z.email().max(254),
  // JSON booleans, or a checkbox ("on") / "true"/"false" from a form.
  includeSim: z.union([z.boolean(), z.enum(["on", "true", "false"]).transform((v) => v !== "false")]).default(false),
});

// POST /api/devices/:id/transfers {toEmail, includeSim} → an offer with a one-time token (72 h).
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = deviceIdParam(params);
  const body = await parseBody(request, TransferBody);
  const result = await offerTransfer(context.cloudflare.env, id, body, { user, requestId: context.requestId });
  if (!result.ok) return failureResponse(result);
  const origin = new URL(getConfig(context.cloudflare.env).APP_ORIGIN).origin;
  return jsonOk(
    { transfer: result.transfer, token: result.token, acceptUrl: `${origin}/account/devices?transfer=${encodeURIComponent(result.token)}` },
    { status: 201 },
  );
}

export { methodNotAllowed as loader } from "~/lib/api-route.server";
