/**
 * One zod schema per cloud-video use case, used by the API routes and the device page alike (the
 * page's clip form posts to the clip route; the page re-reads a refused range with RangeQuery).
 */
import { z } from "zod";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A point in time: epoch milliseconds, or ISO-8601. An ISO time without a zone (what a
 * datetime-local input sends) is UTC, which is how every page shows times.
 */
export const TimeParam = z
  .string()
  .trim()
  .max(40)
  .transform((v, ctx) => {
    let ms = Number.NaN;
    if (/^\d{1,16}$/.test(v)) ms = Number(v);
    else if (ISO_8601.test(v)) ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO-8601 time (e.g. 2026-11-25T10:00:00Z) or Unix milliseconds" });
      return z.NEVER;
    }
    return ms;
  });

export const RangeQuery = z.object({ start: TimeParam, end: TimeParam });

/** GET /api/devices/:id/clip?start&end[&via=page] (via=page: the device page's form). */
export const ClipQuery = RangeQuery.extend({ via: z.literal("page").optional() });

/** GET /api/devices/:id/stream?start&end (on demand, the default) or ?mode=live. */
export const StreamQuery = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("live") }),
  z.object({ mode: z.literal("on_demand"), start: TimeParam, end: TimeParam }),
]);
