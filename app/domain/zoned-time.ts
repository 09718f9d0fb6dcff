/**
 * Local dates for the time phrases and a summary's day, on top of ./time-zone.ts (the one place
 * wall-clock arithmetic is done with Intl): the local parts of an instant with its weekday, and the
 * instant a local date and time names, where days and hours may overflow like Date.UTC. DST gaps
 * and overlaps are resolved as time-zone.ts's `instantOf` does (Temporal's "compatible"). Pure.
 */
import { instantOf, wallTimeOf } from "./time-zone";

export { isTimeZone } from "./time-zone";

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall clock of `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const w = wallTimeOf(ms, timeZone);
  return { year: w.year, month: w.month, day: w.day, hour: w.hour % 24, minute: w.minute, weekday: new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() };
}

/** The instant a wall-clock time in `timeZone` names. Days and hours may overflow (day 32, hour 29): they roll over like Date.UTC. */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const t = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return instantOf(
    { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: 0 },
    timeZone,
  );
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function shiftDate(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The instant of `hour:minute` on local date `d`. */
export const at = (tz: string, d: LocalDate, hour: number, minute = 0) => zonedTime(tz, d.year, d.month, d.day, hour, minute);
