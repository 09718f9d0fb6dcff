/**
 * Wall-clock time in a viewer's IANA time zone, with Intl only (pure: no I/O; Intl is part of the
 * language). Pages render dates in the viewer's zone, day navigation runs from local midnight to
 * local midnight (23 or 25 hours on a DST change), and a datetime-local value ("2026-03-29T02:30",
 * no zone) means that wall time in the zone the form was shown in.
 */

export const DEFAULT_TIME_ZONE = "UTC";
/** IANA names are short ("America/Argentina/ComodRivadavia" is among the longest). */
export const TIME_ZONE_MAX_CHARS = 64;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is a time zone this runtime knows (an IANA name such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > TIME_ZONE_MAX_CHARS || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time at instant `ms` in `zone`. */
export function wallTimeOf(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** How far `zone` is ahead of UTC at instant `ms` (ms; negative west of Greenwich). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallTimeOf(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall time in `zone` stands for. A wall time that occurs twice (the hour after a
 * DST change back) is its first occurrence; one that never occurs (skipped forward) is read with
 * the offset before the change, i.e. as if the clock had not been moved yet.
 */
export function instantOf(w: WallTime, zone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const before = zoneOffsetMs(asUtc - 86_400_000, zone);
  const after = zoneOffsetMs(asUtc + 86_400_000, zone);
  const candidates = [...new Set([before, after])].map((o) => asUtc - o).filter((t) => sameWall(wallTimeOf(t, zone), w));
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before;
}

function sameWall(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "YYYY-MM-DD" of the local day holding `ms`. */
export function dayKeyOf(ms: number, zone: string): string {
  const w = wallTimeOf(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "YYYY-MM-DDTHH:mm" (a datetime-local value) of `ms` in `zone`, to the minute (seconds dropped). */
export function localInputOf(ms: number, zone: string): string {
  const w = wallTimeOf(ms, zone);
  return `${dayKeyOf(ms, zone)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

function validWall(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  const probe = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return probe.getUTCDate() === w.day && probe.getUTCMonth() === w.month - 1;
}

/** The instant of local midnight starting day "YYYY-MM-DD" in `zone`, or null for a malformed day. */
export function dayStartOf(dayKey: string, zone: string): number | null {
  const m = DAY_KEY.exec(dayKey);
  if (!m) return null;
  const w = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 };
  return validWall(w) ? instantOf(w, zone) : null;
}

/** The local day "YYYY-MM-DD" after `dayKey` (calendar arithmetic, zone-free). */
export function nextDayKey(dayKey: string): string {
  const [y, m, d] = dayKey.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** [local midnight, next local midnight) of day "YYYY-MM-DD" in `zone`, or null. */
export function dayRangeOf(dayKey: string, zone: string): { start: number; end: number } | null {
  const start = dayStartOf(dayKey, zone);
  const end = dayStartOf(nextDayKey(dayKey), zone);
  return start === null || end === null ? null : { start, end };
}

/** A datetime-local value ("YYYY-MM-DDTHH:mm[:ss]") read as a wall time in `zone`, or null when it isn't one. */
export function instantOfLocalInput(value: string, zone: string): number | null {
  const m = LOCAL_INPUT.exec(value);
  if (!m) return null;
  const w = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) };
  return validWall(w) ? instantOf(w, zone) : null;
}
