/** The time zone a user reads dates in, chosen in the profile (null: the browser's). */
import { eq } from "drizzle-orm";
import { users } from "~/db/schema";
import { ok, type Ok } from "~/domain/result";
import type { Actor, Deps } from "../deps.server";

/** `timeZone` is already checked by TimeZoneInput (a zone this runtime knows, or null). */
export async function setTimeZone({ db }: Deps, input: { timeZone: string | null }, actor: Actor): Promise<Ok<{ timeZone: string | null }>> {
  await db.update(users).set({ timeZone: input.timeZone }).where(eq(users.id, actor.user.id));
  return ok({ timeZone: input.timeZone });
}
