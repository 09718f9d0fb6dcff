/**
 * Smart search (ADR 015): the caller's words over their cameras' events, newest first, only inside
 * each camera's window (this ownership ∩ plan history) and only on cameras with `smart_search`.
 * One FTS5 query: the words (or none, for "everything yesterday") AND one of the caller's
 * device tokens, rowid (= time order) walked downwards inside each camera's bounds, so a page
 * is read without sorting and nothing outside a window is ever read.
 */
import { and, desc, eq, gte, lte, or, sql } from "drizzle-orm";
import { cameraEventsFts } from "~/db/fts";
import { cameraEvents } from "~/db/schema";
import { seqRange } from "~/domain/camera-events";
import { encodeCursor, ftsExpression, parseSearchQuery, SEARCH_PAGE_SIZE } from "~/domain/event-search";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { paths } from "~/lib/paths";
import type { Db } from "~/db/client.server";
import type { Actor, Deps } from "../deps.server";
import { iso, isoWindow, type IsoWindow } from "../video/playback-access.server";
import { camerasOf, featureNotInPlan, type CameraAccess, type FeatureNotInPlan } from "./access.server";
import type { EventSearchQuery } from "./inputs";
import { userTimeZone } from "./time-zone.server";

export interface SearchResult {
  eventId: string;
  deviceId: string;
  deviceName: string;
  at: string;
  type: string;
  description: string | null;
  /** The event's snapshot (owner only), or null when there is no picture. */
  thumbnailUrl: string | null;
  /** The device page's player at the event's moment. */
  playUrl: string;
}

/** Why a first page is empty, for the page to say so. */
export type EmptyReason = "no_events" | "no_match" | "outside_window" | "not_yet";

export type SearchOutcome =
  | Ok<{
      results: SearchResult[];
      nextCursor: string | null;
      query: { terms: string[]; phrases: string[]; range: IsoWindow | null; timeZone: string };
      /** Where history can be searched: from the earliest window's start to now. */
      searchable: IsoWindow | null;
      empty: EmptyReason | null;
    }>
  | Refusal<"not_found", { subject: "device" }>
  | FeatureNotInPlan;

interface Bounds {
  deviceId: string;
  lo: number;
  hi: number;
}

/** Each searchable camera's seq bounds: its window ∩ the asked range ∩ below the cursor. */
function boundsOf(cams: readonly CameraAccess[], range: { start: number; end: number } | null, below: number | undefined): Bounds[] {
  const out: Bounds[] = [];
  for (const c of cams) {
    if (!c.window) continue;
    const start = Math.max(c.window.start, range?.start ?? -Infinity);
    const end = Math.min(c.window.end, range ? range.end - 1 : Infinity);
    if (end < start) continue;
    const { lo, hi } = seqRange(start, end);
    const top = below === undefined ? hi : Math.min(hi, below - 1);
    if (top >= lo) out.push({ deviceId: c.device.id, lo, hi: top });
  }
  return out;
}

/** Newest-first rows of the FTS index inside `bounds` (a MATCH on `terms`, or only on the devices). */
export function searchRows(db: Db, terms: readonly string[], bounds: readonly Bounds[], limit: number) {
  const expr = ftsExpression(terms, [...new Set(bounds.map((b) => b.deviceId))]);
  const rowid = cameraEventsFts.rowid;
  return db
    .select({
      seq: cameraEvents.seq,
      id: cameraEvents.id,
      deviceId: cameraEvents.deviceId,
      type: cameraEvents.type,
      at: cameraEvents.at,
      description: cameraEvents.description,
      snapshotStatus: cameraEvents.snapshotStatus,
    })
    .from(cameraEventsFts)
    .innerJoin(cameraEvents, eq(cameraEvents.seq, rowid))
    .where(
      and(
        // FTS5's MATCH has no drizzle operator.
        sql`${cameraEventsFts} MATCH ${expr}`,
        gte(rowid, Math.min(...bounds.map((b) => b.lo))),
        lte(rowid, Math.max(...bounds.map((b) => b.hi))),
        or(...bounds.map((b) => and(eq(cameraEvents.deviceId, b.deviceId), gte(rowid, b.lo), lte(rowid, b.hi)))),
      ),
    )
    .orderBy(desc(rowid))
    .limit(limit);
}

export async function searchEvents(deps: Deps, input: EventSearchQuery, actor: Actor): Promise<SearchOutcome> {
  const now = actor.now ?? Date.now();
  const timeZone = await userTimeZone(deps, actor.user.id);
  const cams = await camerasOf(deps, actor.user.id, now, input.deviceId);
  if (input.deviceId && cams.length === 0) return refuse("not_found", { subject: "device" as const });
  const searchable = cams.filter((c) => c.smartSearch && c.window);
  if (searchable.length === 0) return featureNotInPlan("smart_search", input.deviceId ? "camera" : "all");

  const q = parseSearchQuery(input.q, { timeZone, now });
  const query = { terms: q.terms, phrases: q.phrases, range: q.range ? isoWindow(q.range) : null, timeZone };
  const earliest = Math.min(...searchable.map((c) => c.window!.start));
  const searchableWindow = isoWindow({ start: earliest, end: now });
  const bounds = boundsOf(searchable, q.range, input.cursor);
  const empty = (reason: EmptyReason) => ok({ results: [], nextCursor: null, query, searchable: searchableWindow, empty: input.cursor ? null : reason });
  if (bounds.length === 0) {
    if (q.range && q.range.start >= q.range.end) return empty("not_yet");
    return empty(q.range ? "outside_window" : "no_events");
  }

  const rows = await searchRows(deps.db, q.terms, bounds, SEARCH_PAGE_SIZE + 1);
  const page = rows.slice(0, SEARCH_PAGE_SIZE);
  const names = new Map(searchable.map((c) => [c.device.id, c.name]));
  const results: SearchResult[] = page.map((r) => ({
    eventId: r.id,
    deviceId: r.deviceId,
    deviceName: names.get(r.deviceId) ?? "",
    at: iso(r.at),
    type: r.type,
    description: r.description,
    thumbnailUrl: r.snapshotStatus === "ready" ? paths.eventThumbnail(r.id) : null,
    playUrl: paths.deviceAt(r.deviceId, r.at),
  }));
  const nextCursor = rows.length > SEARCH_PAGE_SIZE ? encodeCursor(page[page.length - 1].seq) : null;
  let reason: EmptyReason | null = null;
  if (results.length === 0 && !input.cursor) {
    // Words found nothing: were there any events at all in the windows?
    const any = q.terms.length ? (await searchRows(deps.db, [], bounds, 1)).length > 0 : false;
    reason = any ? "no_match" : q.range && bounds.length < searchable.length ? "outside_window" : "no_events";
  }
  return ok({ results, nextCursor, query, searchable: searchableWindow, empty: reason });
}
