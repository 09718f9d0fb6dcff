/**
 * The timeline of a camera's history (ADR 014). Pure: times in Unix ms, no I/O.
 *
 * Footage is listed from KVS (ListFragments, by server timestamp) one UTC hour at a time, merged
 * into recorded spans with the gaps left as gaps, and clipped to what this viewer may see (the
 * access window of cloud-access-window.ts, which already holds the ownership bound). Time outside
 * the window is "locked" with the reason; finished hours are cached because past footage does not
 * change. A request covers at most TIMELINE_MAX_RANGE_DAYS and is answered in pages, newest first.
 */
import { DAY_MS, MAX_CLIP_SPAN_MS, type TimeWindow } from "./cloud-access-window";

export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The longest range one timeline request may name (a month of the longest plan, plus a day). */
export const TIMELINE_MAX_RANGE_DAYS = 31;
export const TIMELINE_MAX_RANGE_MS = TIMELINE_MAX_RANGE_DAYS * DAY_MS;
/**
 * Fragments closer than this are one span: server timestamps jitter by under a second around the
 * fragment grid, so consecutive fragments rarely touch exactly.
 */
export const SPAN_JOIN_TOLERANCE_MS = 2_000;
/**
 * An hour is final once it ended this long ago: KVS lists a fragment only after it was ingested
 * (its server timestamp plus its length), so by then every fragment of the hour is listed.
 */
export const HOUR_SETTLE_MS = 2 * MINUTE_MS;
/** ListFragments page size (AWS's maximum). */
export const LIST_FRAGMENTS_PAGE_SIZE = 1000;
/** ListFragments pages one timeline request may spend (≈ 2 s at 5 TPS); the rest is the next page. */
export const TIMELINE_CALLS_PER_REQUEST = 10;
/** After this long a timeline request starts no more KVS calls and answers with what it has. */
export const TIMELINE_REQUEST_BUDGET_MS = 4_000;
/** "the output will contain … the first 200 fragments" (GetClipOutput): what one clip can hold. */
export const GETCLIP_MAX_FRAGMENTS = 200;

export interface Span {
  start: number;
  end: number;
}

export type LockReason = "before_ownership" | "plan_limit" | "no_plan";

export interface LockedStretch extends Span {
  reason: LockReason;
}

/** One fragment as the timeline needs it: when KVS received it and how long it is. */
export interface FragmentTimes {
  start: number;
  lengthMs: number;
}

export type TimelineRangeCheck =
  { ok: true; range: TimeWindow } | { ok: false; error: "invalid_range" } | { ok: false; error: "timeline_range_too_long"; maxDays: number };

/**
 * A timeline range as asked: start before end and at most TIMELINE_MAX_RANGE_DAYS long (as asked,
 * before clamping). The future is not an error (a day view runs to midnight): the end is clamped
 * to now, so a range wholly in the future is empty (end = start).
 */
export function checkTimelineRange(start: number, end: number, now: number): TimelineRangeCheck {
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) return { ok: false, error: "invalid_range" };
  if (end - start > TIMELINE_MAX_RANGE_MS) return { ok: false, error: "timeline_range_too_long", maxDays: TIMELINE_MAX_RANGE_DAYS };
  return { ok: true, range: { start, end: Math.max(start, Math.min(end, now)) } };
}

export const hourStartOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** Start times of the UTC hours that overlap [start, end), oldest first. */
export function hoursOverlapping(range: TimeWindow): number[] {
  const out: number[] = [];
  if (!(range.end > range.start)) return out;
  for (let h = hourStartOf(range.start); h < range.end; h += HOUR_MS) out.push(h);
  return out;
}

/** Whether the hour starting at `hourStart` is finished and listed for good (cacheable). */
export function isHourSettled(hourStart: number, now: number): boolean {
  return hourStart + HOUR_MS + HOUR_SETTLE_MS <= now;
}

/** Sorted, merged spans: overlapping or nearly touching (within `tolerance`) pieces become one. */
export function mergeSpans(pieces: readonly Span[], tolerance = SPAN_JOIN_TOLERANCE_MS): Span[] {
  const sorted = pieces.filter((p) => Number.isFinite(p.start) && Number.isFinite(p.end) && p.end > p.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.start <= last.end + tolerance) last.end = Math.max(last.end, p.end);
    else out.push({ start: p.start, end: p.end });
  }
  return out;
}

/** Fragments (in any order, as ListFragments returns them) as recorded spans. */
export function spansFromFragments(fragments: readonly FragmentTimes[], tolerance = SPAN_JOIN_TOLERANCE_MS): Span[] {
  return mergeSpans(
    fragments.map((f) => ({ start: f.start, end: f.start + f.lengthMs })),
    tolerance,
  );
}

/** The parts of `spans` inside `range` (spans sorted; the result too). */
export function clipSpans(spans: readonly Span[], range: TimeWindow): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, range.start);
    const end = Math.min(s.end, range.end);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The shortest fragment length, or null for none. */
export function shortestFragmentMs(fragments: readonly FragmentTimes[]): number | null {
  let min: number | null = null;
  for (const f of fragments) if (f.lengthMs > 0 && (min === null || f.lengthMs < min)) min = f.lengthMs;
  return min;
}

/**
 * Time of `range` this viewer may not see, with the reason: before the ownership ("before you
 * owned this camera", which a bigger plan would not change), older than the plan keeps, or all of
 * it when there is no cloud plan (`window` null). Sorted; nothing for time inside the window.
 */
export function lockedStretches(range: TimeWindow, window: TimeWindow | null, ownershipStartedAt: number): LockedStretch[] {
  if (!(range.end > range.start)) return [];
  if (!window) return [{ start: range.start, end: range.end, reason: "no_plan" }];
  const out: LockedStretch[] = [];
  const lockedEnd = Math.min(range.end, window.start);
  if (lockedEnd <= range.start) return out;
  const ownEnd = Math.min(lockedEnd, ownershipStartedAt);
  if (ownEnd > range.start) out.push({ start: range.start, end: ownEnd, reason: "before_ownership" });
  const planStart = Math.max(range.start, ownershipStartedAt);
  if (lockedEnd > planStart) out.push({ start: planStart, end: lockedEnd, reason: "plan_limit" });
  return out;
}

/**
 * The next page of a timeline asked for `range` when only `covered` (its newest part) is known:
 * the rest, or null when covered reaches the range's start.
 */
export function nextPage(range: TimeWindow, covered: TimeWindow): TimeWindow | null {
  return covered.start > range.start ? { start: range.start, end: covered.start } : null;
}

/** How far apart thumbnails are for a range of this length (the zoom level): ~12 per view. */
export function thumbnailStepMs(rangeMs: number): number {
  if (rangeMs <= HOUR_MS) return 5 * MINUTE_MS;
  if (rangeMs <= 6 * HOUR_MS) return 30 * MINUTE_MS;
  if (rangeMs <= DAY_MS) return 2 * HOUR_MS;
  return DAY_MS;
}

/**
 * One thumbnail moment per step of `stepMs` in `range`, steps counted from `anchor` (the start of
 * the view asked for, so every page of one view agrees and a local day starts at its midnight):
 * the step's start if it was recorded, else the start of the first span that begins within the
 * step; none for a step with no footage. Whole seconds (GetImages samples seconds well).
 */
export function thumbnailMoments(spans: readonly Span[], range: TimeWindow, stepMs: number, anchor = 0): number[] {
  const out: number[] = [];
  if (!(stepMs > 0) || !(range.end > range.start)) return out;
  let i = 0;
  for (let s = anchor + Math.floor((range.start - anchor) / stepMs) * stepMs; s < range.end; s += stepMs) {
    const from = Math.max(s, range.start);
    const to = Math.min(s + stepMs, range.end);
    while (i < spans.length && spans[i].end <= from) i++;
    const span = spans[i];
    if (!span || span.start >= to) continue;
    const at = Math.ceil(Math.max(span.start, from) / 1000) * 1000;
    if (at < Math.min(span.end, to)) out.push(at);
  }
  return out;
}

/**
 * How much footage one GetClip is sure to hold: GETCLIP_MAX_FRAGMENTS fragments of the shortest
 * length seen (two spare for the fragments cut by the ends), never more than the API's 24 h.
 */
export function clipPartMs(shortestFragment: number | null): number {
  const fragment = shortestFragment && shortestFragment > 0 ? shortestFragment : 1000;
  return Math.min(MAX_CLIP_SPAN_MS, Math.max(MINUTE_MS, Math.floor(((GETCLIP_MAX_FRAGMENTS - 2) * fragment) / 1000) * 1000));
}

/** The recorded parts of `selection`, cut into clips of at most `partMs` (gaps are never downloaded). */
export function clipPartsOf(spans: readonly Span[], selection: TimeWindow, partMs: number): Span[] {
  const out: Span[] = [];
  for (const s of clipSpans(spans, selection)) {
    for (let t = s.start; t < s.end; t += partMs) out.push({ start: t, end: Math.min(t + partMs, s.end) });
  }
  return out;
}

/** The span holding `at`, or null (spans sorted). */
export function spanAt(spans: readonly Span[], at: number): Span | null {
  for (const s of spans) {
    if (s.start > at) return null;
    if (at < s.end) return s;
  }
  return null;
}

/** The first span that starts after `at`, or null (spans sorted). */
export function spanAfter(spans: readonly Span[], at: number): Span | null {
  return spans.find((s) => s.start > at) ?? null;
}
