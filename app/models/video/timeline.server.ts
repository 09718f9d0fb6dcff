/**
 * The timeline of a camera's history for its owner (ADR 014): recorded spans from KVS
 * ListFragments, one UTC hour per listing, finished hours cached in D1 (timeline_hours), clipped to
 * this viewer's access window, with the locked time and its reasons, thumbnail moments for the
 * zoom level, and paging: a request spends at most TIMELINE_CALLS_PER_REQUEST KVS calls (paced per
 * stream) and answers its newest part first; `next` is the rest.
 */
import { and, eq, gte, lte } from "drizzle-orm";
import { timelineHours } from "~/db/schema";
import { accessWindow, type TimeWindow } from "~/domain/cloud-access-window";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import {
  checkTimelineRange,
  clipPartMs,
  clipSpans,
  HOUR_MS,
  hoursOverlapping,
  isHourSettled,
  LIST_FRAGMENTS_PAGE_SIZE,
  lockedStretches,
  mergeSpans,
  nextPage,
  shortestFragmentMs,
  spansFromFragments,
  thumbnailMoments,
  thumbnailStepMs,
  TIMELINE_CALLS_PER_REQUEST,
  TIMELINE_REQUEST_BUDGET_MS,
  type LockReason,
  type Span,
} from "~/domain/timeline";
import { getConfig } from "~/lib/config.server";
import { KvsError, type FragmentPage, type KvsFragment } from "~/lib/kvs.server";
import { paths } from "~/lib/paths";
import type { Actor, Deps } from "../deps.server";
import { archiveFor, awsRefusal, retryQuickly, type VideoServiceRefusal } from "./kvs-calls.server";
import { iso, isoWindow, paceStreamPatiently, type IsoWindow, type PlaybackContext, type VideoRateLimited } from "./playback-access.server";

export interface Timeline {
  /** What this viewer may watch, and why it starts where it does. */
  window: IsoWindow & { reason: "before_ownership" | "plan_limit" };
  /** The range asked for (its end clamped to now). */
  range: IsoWindow;
  /** The part of `range` this answer covers: its newest part, up to range.end. */
  covered: IsoWindow;
  complete: boolean;
  /** Ask for this range next (null when complete). */
  next: IsoWindow | null;
  spans: IsoWindow[];
  locked: (IsoWindow & { reason: LockReason })[];
  thumbnails: { at: string; url: string }[];
  /** How long a clip may be and still be whole (GetClip's 200 fragments at the shortest fragment seen). */
  clipPartSeconds: number;
}

export type TimelineResult =
  | Ok<Timeline>
  | Refusal<"invalid_range">
  | Refusal<"timeline_range_too_long", { maxDays: number }>
  | Refusal<"no_cloud_entitlement">
  | VideoRateLimited
  | VideoServiceRefusal<"timeline_error">;

interface HourFacts {
  hourStart: number;
  spans: Span[];
  fragmentCount: number;
  shortestFragmentMs: number | null;
}

/** One hour of a stream from KVS: every page of ListFragments over [hour, hour + 1 h) by server timestamp. */
async function listHour(
  deps: Deps,
  stream: string,
  hourStart: number,
  deadline: number,
  pageSize: number,
): Promise<Ok<{ hour: HourFacts; pages: number }> | VideoRateLimited> {
  const archive = archiveFor(deps.env);
  const fragments: KvsFragment[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    // Once an hour has started it is finished (pages come in no order: half an hour is no answer).
    const paced = await paceStreamPatiently(deps, "ListFragments", stream, token ? deadline + TIMELINE_REQUEST_BUDGET_MS : deadline);
    if (!paced.ok) return paced;
    const after: string | null = token;
    const page: FragmentPage = await retryQuickly(() =>
      archive.listFragments(stream, after ? { nextToken: after } : { start: hourStart / 1000, end: (hourStart + HOUR_MS - 1) / 1000 }, {
        maxResults: pageSize,
      }),
    );
    fragments.push(...page.fragments);
    token = page.nextToken;
    pages++;
  } while (token);
  const times = fragments.map((f) => ({ start: Math.round(f.ServerTimestamp * 1000), lengthMs: f.FragmentLengthInMilliseconds }));
  return ok({ hour: { hourStart, spans: spansFromFragments(times), fragmentCount: fragments.length, shortestFragmentMs: shortestFragmentMs(times) }, pages });
}

async function cachedHours({ db }: Deps, stream: string, hours: readonly number[]): Promise<Map<number, HourFacts>> {
  const out = new Map<number, HourFacts>();
  if (hours.length === 0) return out;
  const rows = await db
    .select()
    .from(timelineHours)
    .where(and(eq(timelineHours.streamName, stream), gte(timelineHours.hourStart, Math.min(...hours)), lte(timelineHours.hourStart, Math.max(...hours))));
  for (const r of rows) {
    let pairs: unknown;
    try {
      pairs = JSON.parse(r.spansJson);
    } catch {
      continue; // unreadable row: listed again
    }
    if (!Array.isArray(pairs)) continue;
    const spans = pairs.filter((p): p is [number, number] => Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number");
    out.set(r.hourStart, {
      hourStart: r.hourStart,
      spans: spans.map(([start, end]) => ({ start, end })),
      fragmentCount: r.fragmentCount,
      shortestFragmentMs: r.shortestFragmentMs,
    });
  }
  return out;
}

async function cacheHours({ db }: Deps, stream: string, hours: readonly HourFacts[], now: number): Promise<void> {
  if (hours.length === 0) return;
  const rows = hours.map((h) => ({
    streamName: stream,
    hourStart: h.hourStart,
    spansJson: JSON.stringify(h.spans.map((s) => [s.start, s.end])),
    fragmentCount: h.fragmentCount,
    shortestFragmentMs: h.shortestFragmentMs,
    listedAt: now,
  }));
  // Several rows per statement, within D1's 100 bound parameters (6 per row).
  const statements = [];
  for (let i = 0; i < rows.length; i += 15) {
    statements.push(
      db
        .insert(timelineHours)
        .values(rows.slice(i, i + 15))
        .onConflictDoNothing(),
    );
  }
  await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

/**
 * The timeline of `[start, end]` for the owner in `playback`. Order: the range (400) → the plan
 * (403 without one) → cached hours → KVS for the rest, newest hour first, within this request's
 * budget → one batch writing the finished hours just listed.
 */
export async function deviceTimeline(
  deps: Deps,
  playback: PlaybackContext,
  // listPageSize: ListFragments' MaxResults (AWS's maximum unless a test wants to see NextToken followed).
  input: { start: number; end: number; listPageSize?: number },
  actor: Actor,
): Promise<TimelineResult> {
  const started = Date.now();
  const now = actor.now ?? started;
  const checked = checkTimelineRange(input.start, input.end, now);
  if (!checked.ok) return checked.error === "invalid_range" ? refuse("invalid_range") : refuse("timeline_range_too_long", { maxDays: checked.maxDays });
  const range = checked.range;
  const access = accessWindow({ entitlements: playback.entitlements, ownershipStartedAt: playback.ownershipStartedAt, now });
  if (!access.ok) return refuse("no_cloud_entitlement");
  const window = access.window;
  const stream = playback.device.kvsStreamName;
  // KVS keeps KVS_DATA_RETENTION_HOURS: nothing older exists, whatever the cache says.
  const floor = now - getConfig(deps.env).KVS_DATA_RETENTION_HOURS * HOUR_MS;
  const visible: TimeWindow = { start: Math.max(range.start, window.start, floor), end: range.end };
  const hours = hoursOverlapping(visible).reverse(); // newest first
  const cache = await cachedHours(deps, stream, hours);

  const known: HourFacts[] = [];
  const listedNow: HourFacts[] = [];
  let calls = 0;
  let coveredStart = range.start;
  const deadline = started + TIMELINE_REQUEST_BUDGET_MS;
  for (const h of hours) {
    const cached = cache.get(h);
    if (cached && isHourSettled(h, now)) {
      known.push(cached);
      continue;
    }
    // Every request lists at least one hour, so paging always moves on.
    if (listedNow.length > 0 && (calls >= TIMELINE_CALLS_PER_REQUEST || Date.now() >= deadline)) {
      coveredStart = h + HOUR_MS;
      break;
    }
    let listed;
    try {
      listed = await listHour(deps, stream, h, Math.max(deadline, Date.now() + 1000), input.listPageSize ?? LIST_FRAGMENTS_PAGE_SIZE);
    } catch (err) {
      // What is known so far is still an answer; the next page asks KVS again.
      if (known.length > 0) {
        coveredStart = h + HOUR_MS;
        break;
      }
      // KVS throttled even after the pacer (its window slides, ours is fixed): a retry in a second
      // works, so say that (429, which the page waits out) rather than "the service failed".
      if (err instanceof KvsError && err.code === "ClientLimitExceededException")
        return refuse("rate_limited", { limit: "video" as const, retryAfterSeconds: 1 });
      return awsRefusal(err, "timeline_error", actor.requestId);
    }
    if (!listed.ok) {
      if (known.length === 0) return listed;
      coveredStart = h + HOUR_MS;
      break;
    }
    calls += listed.pages;
    listedNow.push(listed.hour);
    known.push(listed.hour);
  }
  await cacheHours(
    deps,
    stream,
    listedNow.filter((h) => isHourSettled(h.hourStart, now)),
    now,
  );

  const covered: TimeWindow = { start: Math.max(range.start, Math.min(coveredStart, range.end)), end: range.end };
  const spans = mergeSpans(
    clipSpans(
      known.flatMap((h) => h.spans),
      { start: Math.max(covered.start, window.start, floor), end: Math.min(covered.end, now) },
    ),
  );
  const shortest = known.reduce<number | null>((m, h) => (h.shortestFragmentMs && (m === null || h.shortestFragmentMs < m) ? h.shortestFragmentMs : m), null);
  const next = nextPage(range, covered);
  return ok({
    window: { ...isoWindow(window), reason: access.limitedBy === "ownership" ? ("before_ownership" as const) : ("plan_limit" as const) },
    range: isoWindow(range),
    covered: isoWindow(covered),
    complete: next === null,
    next: next ? isoWindow(next) : null,
    spans: spans.map(isoWindow),
    locked: lockedStretches(covered, window, playback.ownershipStartedAt).map((l) => ({ ...isoWindow(l), reason: l.reason })),
    thumbnails: thumbnailMoments(spans, covered, thumbnailStepMs(input.end - input.start), input.start).map((at) => ({
      at: iso(at),
      url: paths.deviceThumbnail(playback.device.id, iso(at)),
    })),
    clipPartSeconds: clipPartMs(shortest) / 1000,
  });
}
