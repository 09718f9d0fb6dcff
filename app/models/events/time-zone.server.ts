/**
 * The customer's time zone, for reading "yesterday evening" and naming a summary's day. The one
 * place it is read: until users have a profile time zone (the "Watch" work adds `users.time_zone`)
 * every customer is on UTC, like the rest of the account pages. Then this becomes one query:
 *   const [u] = await db.select({ tz: users.timeZone }).from(users).where(eq(users.id, userId));
 *   return u?.tz && isTimeZone(u.tz) ? u.tz : DEFAULT_TIME_ZONE;
 */
import type { Deps } from "../deps.server";

export const DEFAULT_TIME_ZONE = "UTC";

export async function userTimeZone(_deps: Deps, _userId: string): Promise<string> {
  return DEFAULT_TIME_ZONE;
}
