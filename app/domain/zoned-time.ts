/**
 * Wall clocks in a time zone, with Intl only (no zone database of our own): the local parts of an
 * instant, and the instant a local date and time names (DST gaps and overlaps resolved the way
 * Temporal's "compatible" does). Pure; used by the time phrases and by the day of a summary.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

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
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAY_INDEX[parts.weekday] ?? 0,
  };
}

/** Local minus UTC at `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(ms / MINUTE) * MINUTE;
}

/**
 * The instant a wall-clock time in `timeZone` names. Days and hours may overflow (day 32, hour 29):
 * they roll over like Date.UTC. In a DST gap the later offset wins; in an overlap, the first.
 */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets half a day either side: one of them holds at the wall time, or both (an overlap).
  const before = wall - offsetAt(wall - 12 * HOUR, timeZone);
  const after = wall - offsetAt(wall + 12 * HOUR, timeZone);
  const holds = (t: number) => t + offsetAt(t, timeZone) === wall;
  if (holds(before) && holds(after)) return Math.min(before, after);
  if (holds(after) && !holds(before)) return after;
  return before; // valid, or a wall time in a DST gap: moved forward by the gap, like Temporal's "compatible"
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

/** Is the zone name one Intl knows? */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
