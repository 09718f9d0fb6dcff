/**
 * A camera's events for the device page (ADR 015): the markers of a range on the timeline, and
 * one event's snapshot. Both only for the camera's current owner and only inside their window
 * (this ownership ∩ plan history); anything else is the same not_found, so ids reveal nothing.
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { cameraEvents } from "~/db/schema";
import { CLOCK_SKEW_MS, type TimeWindow } from "~/domain/cloud-access-window";
import { snapshotKey } from "~/domain/camera-events";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { paths } from "~/lib/paths";
import type { Actor, Deps } from "../deps.server";
import { iso, isoWindow, type IsoWindow } from "../video/playback-access.server";
import { camerasOf } from "./access.server";

/** Markers one answer carries; a busier range says `truncated` (ask for a shorter one). */
export const MAX_MARKERS = 500;

export interface TimelineEvent {
  eventId: string;
  at: string;
  type: string;
  confidence: number;
  /** Only with AI summaries on the plan. */
  description: string | null;
  thumbnailUrl: string | null;
  playUrl: string;
}

export type DeviceEventsOutcome =
  | Ok<{ events: TimelineEvent[]; window: IsoWindow; range: IsoWindow | null; truncated: boolean }>
  | Refusal<"not_found", { subject: "device" }>
  | Refusal<"no_cloud_entitlement">
  | Refusal<"invalid_range">;

export async function deviceEvents(deps: Deps, deviceId: string, asked: TimeWindow, actor: Actor): Promise<DeviceEventsOutcome> {
  const now = actor.now ?? Date.now();
  const [cam] = await camerasOf(deps, actor.user.id, now, deviceId);
  if (!cam) return refuse("not_found", { subject: "device" as const });
  if (!cam.window) return refuse("no_cloud_entitlement");
  if (!(asked.start < asked.end) || asked.end > now + CLOCK_SKEW_MS) return refuse("invalid_range");
  // Markers show what this owner may see of the range: the rest of it simply has none.
  const from = Math.max(asked.start, cam.window.start);
  const to = Math.min(asked.end, now);
  const window = isoWindow(cam.window);
  if (to <= from) return ok({ events: [], window, range: null, truncated: false });
  const rows = await deps.db
    .select({
      id: cameraEvents.id,
      at: cameraEvents.at,
      type: cameraEvents.type,
      confidence: cameraEvents.confidence,
      description: cameraEvents.description,
      snapshotStatus: cameraEvents.snapshotStatus,
    })
    .from(cameraEvents)
    .where(and(eq(cameraEvents.deviceId, deviceId), gte(cameraEvents.at, from), lt(cameraEvents.at, to)))
    .orderBy(asc(cameraEvents.at))
    .limit(MAX_MARKERS + 1);
  const events = rows.slice(0, MAX_MARKERS).map((r) => ({
    eventId: r.id,
    at: iso(r.at),
    type: r.type,
    confidence: r.confidence,
    description: cam.aiSummary ? r.description : null,
    thumbnailUrl: r.snapshotStatus === "ready" ? paths.eventThumbnail(r.id) : null,
    playUrl: paths.deviceAt(deviceId, r.at),
  }));
  return ok({ events, window, range: isoWindow({ start: from, end: to }), truncated: rows.length > MAX_MARKERS });
}

export type SnapshotOutcome = Ok<{ object: R2ObjectBody }> | Refusal<"not_found", { subject: "event" }>;

/** An event's snapshot, for the owner whose window holds the event's moment. */
export async function eventSnapshot(deps: Deps, eventId: string, actor: Actor): Promise<SnapshotOutcome> {
  const none = refuse("not_found", { subject: "event" as const });
  const now = actor.now ?? Date.now();
  const [ev] = await deps.db
    .select({ id: cameraEvents.id, deviceId: cameraEvents.deviceId, at: cameraEvents.at, snapshotStatus: cameraEvents.snapshotStatus })
    .from(cameraEvents)
    .where(eq(cameraEvents.id, eventId))
    .limit(1);
  if (!ev || ev.snapshotStatus !== "ready") return none;
  const [cam] = await camerasOf(deps, actor.user.id, now, ev.deviceId);
  if (!cam?.window || ev.at < cam.window.start || ev.at > cam.window.end) return none;
  const object = await deps.env.EVENT_SNAPSHOTS.get(snapshotKey(ev.deviceId, ev.id));
  return object ? ok({ object }) : none;
}
