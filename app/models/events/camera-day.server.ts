/**
 * "Today on this camera" for the device page: the day's newest events inside the owner's window
 * and, with AI summaries on the plan, the day's sentence (computed once and stored, ADR 016).
 * The day is the owner's (their time zone). For the camera's owner only: callers have already
 * opened the device for them (ownedPlayback), and every read here checks ownership again.
 */
import { localParts, zonedTime } from "~/domain/zoned-time";
import type { Actor, Deps } from "../deps.server";
import { camerasOf } from "./access.server";
import { daySummary } from "./summary.server";
import { deviceEvents, type TimelineEvent } from "./timeline.server";
import { userTimeZone } from "./time-zone.server";

/** Events the brief lists (the newest); the search page has the rest. */
export const BRIEF_EVENTS = 6;

export interface CameraDay {
  date: string;
  timeZone: string;
  events: TimelineEvent[];
  total: number;
  summary: string | null;
  /** No history (Local) or no AI summaries (trial): what the page offers instead. */
  upgrade: "cloud" | "ai" | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

export async function cameraDay(deps: Deps, deviceId: string, actor: Actor): Promise<CameraDay | null> {
  const now = actor.now ?? Date.now();
  const timeZone = await userTimeZone(deps, actor.user.id);
  const p = localParts(now, timeZone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const [cam] = await camerasOf(deps, actor.user.id, now, deviceId);
  if (!cam) return null;
  const base = { date, timeZone, events: [], total: 0, summary: null };
  if (!cam.window) return { ...base, upgrade: "cloud" };
  const start = zonedTime(timeZone, p.year, p.month, p.day);
  const [events, summary] = await Promise.all([
    deviceEvents(deps, deviceId, { start, end: now }, { ...actor, now }),
    cam.aiSummary ? daySummary(deps, deviceId, date, { ...actor, now }) : null,
  ]);
  if (!events.ok) return { ...base, upgrade: null };
  return {
    date,
    timeZone,
    events: events.events.slice(-BRIEF_EVENTS).reverse(),
    total: events.events.length,
    summary: summary?.ok ? summary.summary : null,
    upgrade: cam.aiSummary ? null : "ai",
  };
}
