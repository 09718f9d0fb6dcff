/**
 * One zod schema per camera-events use case: the IoT rule's message (ingestion), the search (API
 * and the /account/search form), a device's events for a range (timeline markers) and a day's summary.
 */
import { z } from "zod";
import { EVENT_TYPES, MAX_BOXES, MAX_LABELS } from "~/domain/camera-events";
import { decodeCursor, MAX_QUERY_CHARS } from "~/domain/event-search";
import { TimeParam } from "../video/inputs";

const fraction = z.number().min(0).max(1);
const Label = z.string().regex(/^[a-z][a-z-]{0,23}$/, "Labels are lower-case words.");

/**
 * What a camera publishes on aovis/<thing>/events (the rule forwards it as is). `at` is the
 * detection time (ISO-8601 or Unix ms); boxes are fractions of the picture. Unknown fields are
 * ignored, so newer firmware can add some.
 */
export const CameraEventMessage = z.object({
  eventId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "An event id has 8 to 64 letters, digits, - or _."),
  device: z.string().regex(/^[a-zA-Z0-9:_-]{1,128}$/, "The device is the camera's IoT thing name."),
  type: z.enum(EVENT_TYPES),
  at: z.union([z.number().int().positive(), TimeParam]),
  confidence: fraction,
  labels: z.array(Label).max(MAX_LABELS).default([]),
  boxes: z
    .array(z.object({ label: Label, confidence: fraction, x: fraction, y: fraction, w: fraction, h: fraction }))
    .max(MAX_BOXES)
    .optional(),
});
export type CameraEventMessage = z.infer<typeof CameraEventMessage>;

/** GET /api/events/search and the search page's GET form. */
export const EventSearchQuery = z.object({
  q: z.string().trim().min(1, "Type what you are looking for.").max(MAX_QUERY_CHARS, `Use at most ${MAX_QUERY_CHARS} characters.`),
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Where the previous page ended (an opaque `s…` token), as the seq to continue below. */
  cursor: z
    .string()
    .transform((v, ctx) => {
      const seq = decodeCursor(v);
      if (seq === null) {
        ctx.addIssue({ code: "custom", message: "This isn't a page of these results. Start the search again." });
        return z.NEVER;
      }
      return seq;
    })
    .optional(),
});
export type EventSearchQuery = z.infer<typeof EventSearchQuery>;

const isCalendarDate = (v: string) => {
  const t = Date.parse(`${v}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === v;
};

/** GET /api/devices/:id/summary?date=YYYY-MM-DD (a day in the owner's time zone). */
export const SummaryQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the day as YYYY-MM-DD.")
    .refine(isCalendarDate, "That day doesn't exist."),
});

/** GET /api/devices/:id/events?start&end: the events of one camera in a range (timeline markers). */
export const DeviceEventsQuery = z.object({ start: TimeParam, end: TimeParam });
