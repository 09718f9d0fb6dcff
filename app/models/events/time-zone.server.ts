/**
 * The customer's time zone, for reading "yesterday evening" and naming a summary's day: the one
 * chosen in the profile (`users.time_zone`, issue #12), else UTC. The cron has no browser, so the
 * browser's zone (which pages also use, app/lib/time-zone.server.ts) is not consulted here.
 */
import { eq } from "drizzle-orm";
import { users } from "~/db/schema";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "~/domain/language";
import { DEFAULT_TIME_ZONE, isTimeZone } from "~/domain/time-zone";
import type { Deps } from "../deps.server";

export { DEFAULT_TIME_ZONE };

export async function userTimeZone(deps: Deps, userId: string): Promise<string> {
  return (await userDaySettings(deps, userId)).timeZone;
}

/**
 * The zone and the customer's language (`users.locale`: the switcher's choice, else the sign-in's
 * Accept-Language; ADR 028) in one read: a camera's day sentence is written in the owner's language.
 */
export async function userDaySettings({ db }: Deps, userId: string): Promise<{ timeZone: string; language: Language }> {
  const [u] = await db.select({ tz: users.timeZone, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  return { timeZone: u?.tz && isTimeZone(u.tz) ? u.tz : DEFAULT_TIME_ZONE, language: isLanguage(u?.locale) ? u.locale : DEFAULT_LANGUAGE };
}
