/** One zod schema per profile use case, used by the API route and the /account form alike. */
import { z } from "zod";
import { isTimeZone, TIME_ZONE_MAX_CHARS } from "~/domain/time-zone";

/** The profile's time zone: an IANA name ("Europe/Berlin"), or empty for "my browser's". */
export const TimeZoneInput = z.object({
  timeZone: z
    .string()
    .trim()
    .max(TIME_ZONE_MAX_CHARS, "Choose a time zone from the list.")
    .refine((v) => v === "" || isTimeZone(v), "Choose a time zone from the list.")
    .transform((v) => (v === "" ? null : v)),
});
