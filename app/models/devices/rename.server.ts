/** Naming a camera ("Front door"): the name is the current owner's, on their ownership row. */
import { and, eq } from "drizzle-orm";
import { deviceOwnerships } from "~/db/schema";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import type { Actor, Deps } from "../deps.server";

export type RenameResult = Ok<{ name: string }> | Refusal<"not_found", { subject: "device" }>;

/**
 * Sets the name on this user's active ownership of the device, in one guarded UPDATE: someone
 * else's camera, an ended ownership or an unknown id change nothing and are the same not_found.
 * `name` is already checked by CameraNameInput (trimmed, 1–40 characters).
 */
export async function renameCamera({ db }: Deps, input: { deviceId: string; name: string }, actor: Actor): Promise<RenameResult> {
  const [row] = await db
    .update(deviceOwnerships)
    .set({ name: input.name })
    .where(and(eq(deviceOwnerships.deviceId, input.deviceId), eq(deviceOwnerships.userId, actor.user.id), eq(deviceOwnerships.status, "active")))
    .returning({ name: deviceOwnerships.name });
  if (!row) return refuse("not_found", { subject: "device" as const });
  return ok({ name: row.name ?? input.name });
}
