import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { CameraNameInput } from "~/models/devices/inputs";
import { renameCamera } from "~/models/devices/rename.server";

// POST /api/devices/:id/name {name} → {name}: what the owner calls the camera ("Front door").
// Owner only (anyone else: 404). Empty, only spaces or over 40 characters → 400 invalid_request,
// nothing written. The device page's rename form uses the same schema.
export const loader = methodNotAllowed;

export const action = apiRoute({
  method: ["POST", "PUT"],
  params: { id: "device" },
  body: CameraNameInput,
  maxBodyBytes: 1024,
  run: ({ context, id, user, requestId, body }) => renameCamera(depsOf(context), { deviceId: id, name: body.name }, { user, requestId }),
});
