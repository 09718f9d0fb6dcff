/**
 * The device page's clip form, server side: its defaults (a valid range whatever second the page
 * loads on), its bounds, and what a refused download came back with (`clip_error` and what was
 * typed, from the clip route's redirect) as a FormReply the Field component shows: the sentence,
 * the field that was wrong and the values as typed. Times are wall times in the viewer's zone.
 */
import { checkRange, CLOCK_SKEW_MS, DAY_MS, splitClipRange, type TimeWindow } from "~/domain/cloud-access-window";
import type { RefusalCode } from "~/domain/result";
import { localInputOf } from "~/domain/time-zone";
import { LONGEST_HISTORY_DAYS } from "~/domain/video-limits";
import type { FormReply } from "~/http/form-action.server";
import { isLanguage, type Language } from "~/domain/language";
import { translatorFor } from "~/i18n/i18n.server";
import { formatDateTime } from "~/lib/format";
import type { ClipResult } from "~/models/video/clip.server";
import { ClipQuery } from "~/models/video/inputs";
import type { PlaybackContext } from "~/models/video/playback-access.server";
import { CLIP_SPAN_HOURS } from "./copy";

const MINUTE_MS = 60_000;
/** The default clip: the last minutes, well inside what one GetClip holds (200 fragments). */
export const CLIP_FORM_DEFAULT_MS = 5 * MINUTE_MS;
/** No plan keeps more than LONGEST_HISTORY_DAYS: a longer "range" in the URL is crafted, never ours. */
const MAX_PARTS_SPAN_MS = (LONGEST_HISTORY_DAYS + 1) * DAY_MS;

/** The refusals the clip route sends back here (`clip_error` in the URL) that have their own sentence. */
const CLIP_ERRORS = [
  "invalid_request",
  "invalid_range",
  "no_cloud_entitlement",
  "time_range_exceeds_entitlement",
  "range_too_long",
  "rate_limited",
  "clip_error",
] as const satisfies readonly (RefusalCode<ClipResult> | "invalid_request")[];
type ClipError = (typeof CLIP_ERRORS)[number];
const isClipError = (code: string): code is ClipError => (CLIP_ERRORS as readonly string[]).includes(code);

type WatchT = ReturnType<typeof translatorFor<"watch">>;

export const clipHref = (deviceId: string, start: number, end: number) =>
  `/api/devices/${deviceId}/clip?${new URLSearchParams({ start: new Date(start).toISOString(), end: new Date(end).toISOString() })}`;

export interface ClipFormState {
  zone: string;
  defaults: { start: string; end: string } | null;
  justStarted: boolean;
  min?: string;
  max?: string;
  /** A refused download, as the form shows it (null on a fresh page). */
  reply: FormReply | null;
  awsCode: string | null;
  parts: { start: number; end: number; href: string }[];
}

const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/**
 * The range a refused download came back with, only when it is one the API would gate as merely
 * too long: parsed like the API's times (in the form's zone), start before end, inside this user's
 * window and no longer than the plan's window. Anything else is ignored, so the parts are always a
 * handful of real, downloadable clips (never a loop over a made-up span).
 */
function partsRange(typed: Record<string, string>, ctx: PlaybackContext, quotaDays: number, now: number): TimeWindow | null {
  const parsed = ClipQuery.safeParse(typed);
  if (!parsed.success) return null;
  const r = checkRange({ entitlements: ctx.entitlements, ownershipStartedAt: ctx.ownershipStartedAt, now, start: parsed.data.start, end: parsed.data.end });
  if (!r.ok) return null;
  return r.range.end - r.range.start <= Math.min(quotaDays * DAY_MS, MAX_PARTS_SPAN_MS) ? r.range : null;
}

/** Which field was wrong, in plain words, for a refusal of what was typed. */
function fieldErrorsFor(t: WatchT, code: string, typed: Record<string, string>, window: TimeWindow | null, now: number, locale: string, zone: string) {
  const out: Record<string, string> = {};
  const parsed = ClipQuery.safeParse(typed);
  if (code === "invalid_request") {
    if (parsed.success) return out;
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (field === "start" || field === "end")
        out[field] = typed[field] ? t("clip.fields.time") : field === "start" ? t("clip.fields.startMissing") : t("clip.fields.endMissing");
    }
    return out;
  }
  if (!parsed.success) return out;
  const { start, end } = parsed.data;
  if (code === "invalid_range") {
    if (start >= end) out.end = t("clip.fields.endBeforeStart");
    else if (end > now + CLOCK_SKEW_MS) out.end = t("clip.fields.endFuture");
  } else if (code === "time_range_exceeds_entitlement" && window) {
    out.start = t("clip.fields.startTooEarly", { since: formatDateTime(window.start, locale, zone) });
  }
  return out;
}

export function clipFormState(input: {
  url: URL;
  playback: PlaybackContext;
  window: TimeWindow | null;
  quotaDays: number;
  now: number;
  zone: string;
  locale: string;
  /** The served language; without it, the one the Intl locale belongs to (ADR 028: zh-CN text ⇔ zh-CN locale). */
  language?: Language;
}): ClipFormState {
  const { url, playback, window, quotaDays, now, zone, locale } = input;
  const language: Language = input.language && isLanguage(input.language) ? input.language : locale.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
  const t = translatorFor(language, "watch");
  const end = floorMinute(now);
  const start = window ? Math.max(ceilMinute(window.start), end - CLIP_FORM_DEFAULT_MS) : end;
  const defaults = window && start < end ? { start: localInputOf(start, zone), end: localInputOf(end, zone) } : null;

  const code = url.searchParams.get("clip_error");
  let reply: FormReply | null = null;
  let parts: ClipFormState["parts"] = [];
  if (code) {
    const typed: Record<string, string> = { start: url.searchParams.get("start") ?? "", end: url.searchParams.get("end") ?? "" };
    const tz = url.searchParams.get("tz");
    if (tz) typed.tz = tz;
    const fieldErrors = fieldErrorsFor(t, code, typed, window, now, locale, zone);
    const known: ClipError = isClipError(code) ? code : "clip_error";
    const message =
      code === "invalid_request" && (typed.start || typed.end)
        ? t("clip.errors.checkTimes")
        : known === "range_too_long"
          ? t("clip.errors.range_too_long", { span: t("clip.span", { hours: CLIP_SPAN_HOURS }) })
          : t(`clip.errors.${known}`);
    reply = {
      intent: "clip",
      ok: false,
      error: code,
      message,
      ...(Object.keys(fieldErrors).length ? { fieldErrors } : {}),
      values: { start: typed.start, end: typed.end },
    };
    const of = code === "range_too_long" ? partsRange(typed, playback, quotaDays, now) : null;
    parts = of ? splitClipRange(of.start, of.end).map((p) => ({ ...p, href: clipHref(playback.device.id, p.start, p.end) })) : [];
  }
  const awsCode = url.searchParams.get("aws_code") ?? "";
  return {
    zone,
    defaults,
    justStarted: !!window && !defaults,
    min: window ? localInputOf(ceilMinute(window.start), zone) : undefined,
    max: window ? localInputOf(end, zone) : undefined,
    reply,
    // Only something shaped like an AWS error name is echoed (the URL is anyone's to craft).
    awsCode: code && /^[A-Za-z]{1,64}$/.test(awsCode) ? awsCode : null,
    parts,
  };
}
