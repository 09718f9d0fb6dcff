/**
 * The customer's time zone, for reading "yesterday evening" and naming a summary's day: the one
 * chosen in the profile (`users.time_zone`, issue #12), else UTC. The cron has no browser, so the
 * browser's zone (which pages also use, app/lib/time-zone.server.ts) is not consulted here.
 */
import { eq } from "drizzle-orm";
import { users } from "~/db/schema";
import { DEFAULT_TIME_ZONE, isTimeZone } from "~/domain/time-zone";
import type { Deps } from "../deps.server";

export { DEFAULT_TIME_ZONE };

export async function userTimeZone({ db }: Deps, userId: string): Promise<string> {
  const [u] = await db.select({ tz: users.timeZone }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.tz && isTimeZone(u.tz) ? u.tz : DEFAULT_TIME_ZONE;
}
