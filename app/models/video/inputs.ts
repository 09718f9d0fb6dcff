/**
 * One zod schema per cloud-video use case, used by the API routes and the device page alike (the
 * page's clip form sends to the clip route; the page re-reads a refused range with ClipQuery).
 */
import { z } from "zod";
import { DEFAULT_TIME_ZONE, instantOfLocalInput, isTimeZone, TIME_ZONE_MAX_CHARS } from "~/domain/time-zone";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const ZONED = /(Z|[+-]\d{2}:\d{2})$/;
const TIME_HINT = "must be an ISO-8601 time (e.g. 2026-11-25T10:00:00Z) or Unix milliseconds";

/**
 * A point in time from text: epoch milliseconds, or ISO-8601. An ISO time without a zone (what a
 * datetime-local input sends) is a wall time in `zone` (UTC unless the form names its zone).
 */
export function timeFromText(v: string, zone: string = DEFAULT_TIME_ZONE): number | null {
  let ms = Number.NaN;
  if (/^\d{1,16}$/.test(v)) ms = Number(v);
  else if (ISO_8601.test(v)) ms = ZONED.test(v) ? Date.parse(v) : (instantOfLocalInput(v, zone) ?? Number.NaN);
  return Number.isFinite(ms) ? ms : null;
}

const TimeText = z.string().trim().max(40);

/** A point in time (see timeFromText; zone-less ISO is UTC here). */
export const TimeParam = TimeText.transform((v, ctx) => {
  const ms = timeFromText(v);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: TIME_HINT });
    return z.NEVER;
  }
  return ms;
});

/** An IANA time zone this runtime knows ("Europe/Berlin"). */
export const TimeZoneParam = z.string().trim().max(TIME_ZONE_MAX_CHARS).refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Berlin");

export const RangeQuery = z.object({ start: TimeParam, end: TimeParam });

/**
 * GET /api/devices/:id/clip?start&end[&via=page][&tz] (via=page: the device page's form, which
 * sends its datetime-local values with the zone they were shown in as `tz`).
 */
export const ClipQuery = z.object({ start: TimeText, end: TimeText, via: z.literal("page").optional(), tz: TimeZoneParam.optional() }).transform((v, ctx) => {
  const start = timeFromText(v.start, v.tz);
  const end = timeFromText(v.end, v.tz);
  if (start === null) ctx.addIssue({ code: "custom", message: TIME_HINT, path: ["start"] });
  if (end === null) ctx.addIssue({ code: "custom", message: TIME_HINT, path: ["end"] });
  if (start === null || end === null) return z.NEVER;
  return { start, end, via: v.via, tz: v.tz };
});

/** GET /api/devices/:id/stream?start&end (on demand, the default) or ?mode=live. */
export const StreamQuery = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("live") }),
  z.object({ mode: z.literal("on_demand"), start: TimeParam, end: TimeParam }),
]);

/** GET /api/devices/:id/timeline?start&end (at most 31 days; the device page asks a day or less). */
export const TimelineQuery = RangeQuery;

/** GET /api/devices/:id/thumbnails?at (a moment the timeline listed). */
export const ThumbnailQuery = z.object({ at: TimeParam });
