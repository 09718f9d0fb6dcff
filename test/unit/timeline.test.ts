import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/domain/cloud-access-window";
import { cameraLabel, CAMERA_NAME_MAX_CHARS } from "~/domain/camera-name";
import {
  checkTimelineRange,
  clipPartMs,
  clipPartsOf,
  clipSpans,
  HOUR_MS,
  hoursOverlapping,
  isHourSettled,
  lockedStretches,
  mergeSpans,
  nextPage,
  spanAfter,
  spanAt,
  spansFromFragments,
  thumbnailMoments,
  thumbnailStepMs,
  TIMELINE_MAX_RANGE_DAYS,
} from "~/domain/timeline";
import { dayRangeOf, instantOfLocalInput, isTimeZone, localInputOf, zoneOffsetMs } from "~/domain/time-zone";

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const MIN = 60_000;
const frag = (startSec: number, lengthMs = 4000) => ({ start: T0 + startSec * 1000, lengthMs });

describe("timeline: spans from fragments", () => {
  it("back-to-back fragments (with server-timestamp jitter) are one span; a missing stretch is a gap", () => {
    // 4 s fragments at 0..16 s with 0.2–0.7 s of jitter, then nothing until 60 s, then 60..68 s.
    const fragments = [frag(0.3), frag(4.6), frag(8.2), frag(12.7), frag(60.4), frag(64.5)];
    const spans = spansFromFragments([...fragments].reverse()); // ListFragments returns no order
    expect(spans).toEqual([
      { start: T0 + 300, end: T0 + 16_700 },
      { start: T0 + 60_400, end: T0 + 68_500 },
    ]);
  });

  it("mergeSpans joins overlapping and nearly touching pieces, drops empty and non-finite ones, sorts", () => {
    expect(
      mergeSpans([
        { start: 50, end: 60 },
        { start: 0, end: 10 },
        { start: 11_000, end: 12_000 },
        { start: 5, end: 20 },
        { start: 30, end: 30 },
        { start: Number.NaN, end: 5 },
      ]),
    ).toEqual([
      { start: 0, end: 60 },
      { start: 11_000, end: 12_000 },
    ]);
  });

  it("clipSpans keeps only what lies inside the range", () => {
    const spans = [
      { start: 0, end: 100 },
      { start: 200, end: 300 },
      { start: 400, end: 500 },
    ];
    expect(clipSpans(spans, { start: 50, end: 250 })).toEqual([
      { start: 50, end: 100 },
      { start: 200, end: 250 },
    ]);
    expect(clipSpans(spans, { start: 100, end: 200 })).toEqual([]);
  });

  it("spanAt / spanAfter find the span under a moment and the next one", () => {
    const spans = [
      { start: 0, end: 100 },
      { start: 200, end: 300 },
    ];
    expect(spanAt(spans, 50)).toEqual(spans[0]);
    expect(spanAt(spans, 150)).toBeNull();
    expect(spanAt(spans, 100)).toBeNull(); // ends are exclusive
    expect(spanAfter(spans, 150)).toEqual(spans[1]);
    expect(spanAfter(spans, 250)).toBeNull();
  });
});

describe("timeline: ranges, hours and paging", () => {
  it("a reversed or empty range is invalid_range; longer than 31 days is timeline_range_too_long; the end is clamped to now", () => {
    expect(checkTimelineRange(T0, T0 - 1, T0)).toEqual({ ok: false, error: "invalid_range" });
    expect(checkTimelineRange(T0, T0, T0)).toEqual({ ok: false, error: "invalid_range" });
    expect(checkTimelineRange(Number.NaN, T0, T0)).toEqual({ ok: false, error: "invalid_range" });
    expect(checkTimelineRange(T0, T0 + TIMELINE_MAX_RANGE_DAYS * DAY_MS + 1, T0 + 40 * DAY_MS)).toEqual({
      ok: false,
      error: "timeline_range_too_long",
      maxDays: TIMELINE_MAX_RANGE_DAYS,
    });
    expect(checkTimelineRange(T0 - DAY_MS, T0 + DAY_MS, T0)).toEqual({ ok: true, range: { start: T0 - DAY_MS, end: T0 } });
    // Wholly in the future: empty, not an error (a day view runs to midnight).
    expect(checkTimelineRange(T0 + HOUR_MS, T0 + 2 * HOUR_MS, T0)).toEqual({ ok: true, range: { start: T0 + HOUR_MS, end: T0 + HOUR_MS } });
  });

  it("hoursOverlapping lists the UTC hours a range touches; an hour is settled a little after it ends", () => {
    expect(hoursOverlapping({ start: T0 + 30 * MIN, end: T0 + 2 * HOUR_MS + 1 })).toEqual([T0, T0 + HOUR_MS, T0 + 2 * HOUR_MS]);
    expect(hoursOverlapping({ start: T0, end: T0 })).toEqual([]);
    expect(isHourSettled(T0, T0 + HOUR_MS)).toBe(false);
    expect(isHourSettled(T0, T0 + HOUR_MS + 2 * MIN)).toBe(true);
  });

  it("nextPage is the older rest of the range, or null once the answer reaches its start", () => {
    expect(nextPage({ start: 0, end: 100 }, { start: 40, end: 100 })).toEqual({ start: 0, end: 40 });
    expect(nextPage({ start: 0, end: 100 }, { start: 0, end: 100 })).toBeNull();
  });
});

describe("timeline: locked time", () => {
  const window = { start: T0, end: T0 + DAY_MS };
  it("before the ownership and older than the plan are told apart; no plan locks everything", () => {
    const range = { start: T0 - 2 * DAY_MS, end: T0 + HOUR_MS };
    // Owned since T0 - 1 day, plan window from T0: a day before ownership, a day beyond the plan.
    expect(lockedStretches(range, window, T0 - DAY_MS)).toEqual([
      { start: T0 - 2 * DAY_MS, end: T0 - DAY_MS, reason: "before_ownership" },
      { start: T0 - DAY_MS, end: T0, reason: "plan_limit" },
    ]);
    // The window starts at the ownership: everything before it is before_ownership.
    expect(lockedStretches(range, window, T0)).toEqual([{ start: T0 - 2 * DAY_MS, end: T0, reason: "before_ownership" }]);
    expect(lockedStretches(range, null, T0)).toEqual([{ ...range, reason: "no_plan" }]);
    expect(lockedStretches({ start: T0 + 1, end: T0 + 2 }, window, T0)).toEqual([]);
  });
});

describe("timeline: thumbnails and clip parts", () => {
  it("the thumbnail step follows the zoom level", () => {
    expect(thumbnailStepMs(HOUR_MS)).toBe(5 * MIN);
    expect(thumbnailStepMs(6 * HOUR_MS)).toBe(30 * MIN);
    expect(thumbnailStepMs(DAY_MS)).toBe(2 * HOUR_MS);
    expect(thumbnailStepMs(7 * DAY_MS)).toBe(DAY_MS);
  });

  it("one moment per step that has footage (the step's start, or the first recording in it), none for an empty step", () => {
    const spans = [
      { start: T0, end: T0 + 20 * MIN },
      { start: T0 + 47 * MIN + 500, end: T0 + 60 * MIN },
    ];
    const at = thumbnailMoments(spans, { start: T0, end: T0 + HOUR_MS }, 10 * MIN, T0);
    // Steps 0, 10 recorded; 20, 30 empty; 40 → the span at 47:00.5, rounded up to a whole second; 50 recorded.
    expect(at).toEqual([T0, T0 + 10 * MIN, T0 + 47 * MIN + 1000, T0 + 50 * MIN]);
  });

  it("a clip part holds at most 198 of the shortest fragments; the parts of a selection skip gaps", () => {
    expect(clipPartMs(4000)).toBe(792_000);
    expect(clipPartMs(null)).toBe(198_000); // unknown length: assume one-second fragments
    const spans = [
      { start: 0, end: 1000 },
      { start: 5000, end: 9000 },
    ];
    expect(clipPartsOf(spans, { start: 500, end: 8000 }, 2000)).toEqual([
      { start: 500, end: 1000 },
      { start: 5000, end: 7000 },
      { start: 7000, end: 8000 },
    ]);
  });
});

describe("time zones", () => {
  it("knows IANA names and refuses anything else", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("Europe/Berlin; drop")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("a local day is midnight to midnight in the zone: 23 hours on the spring DST change, 25 in autumn", () => {
    const spring = dayRangeOf("2026-03-29", "Europe/Berlin")!;
    expect(spring.start).toBe(Date.UTC(2026, 2, 28, 23));
    expect(spring.end - spring.start).toBe(23 * HOUR_MS);
    const autumn = dayRangeOf("2026-10-25", "Europe/Berlin")!;
    expect(autumn.end - autumn.start).toBe(25 * HOUR_MS);
    expect(dayRangeOf("2026-02-30", "UTC")).toBeNull();
  });

  it("datetime-local values are wall times in the zone, both ways", () => {
    const ms = instantOfLocalInput("2026-12-01T10:15", "America/New_York")!;
    expect(ms).toBe(Date.UTC(2026, 11, 1, 15, 15));
    expect(localInputOf(ms, "America/New_York")).toBe("2026-12-01T10:15");
    expect(zoneOffsetMs(ms, "Asia/Kolkata")).toBe(5.5 * HOUR_MS);
    expect(instantOfLocalInput("2026-12-01 10:15", "UTC")).toBeNull();
    expect(instantOfLocalInput("2026-13-01T10:15", "UTC")).toBeNull();
    // A wall time skipped by DST is read with the offset before the change.
    expect(instantOfLocalInput("2026-03-29T02:30", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });
});

describe("camera names", () => {
  it("the label is the name beside the model, or the model alone", () => {
    expect(cameraLabel({ name: "Front door", model: "NEXA Prime 4K" })).toBe("Front door · NEXA Prime 4K");
    expect(cameraLabel({ name: null, model: "NEXA Prime 4K" })).toBe("NEXA Prime 4K");
    expect(CAMERA_NAME_MAX_CHARS).toBe(40);
  });
});
