import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { exportAccount } from "~/models/privacy/export.server";

// GET /api/user/export → the signed-in customer's data as a JSON attachment (ADR 026): profile,
// cameras and ownership periods, plans, orders, voice recordings (metadata), clones, presets, and
// the camera events they may see now. Never cached anywhere (private, no-store).
export const loader = apiRoute({
  method: "GET",
  run: async ({ context, user, requestId }) => {
    const data = await exportAccount(depsOf(context), { user, requestId });
    const day = (data.exportedAt ?? "").slice(0, 10);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="aovis-account-${day}.json"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});

export const action = methodNotAllowed;
