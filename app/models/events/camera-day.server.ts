/**
 * "Today on this camera" for the device page: the day's newest events inside the owner's window
 * and, with AI summaries on the plan, the day's sentence (computed once and stored, ADR 016).
 * The day is the owner's (their time zone). For the camera's owner only: callers have already
 * opened the device for them (ownedPlayback), and every read here checks ownership again.
 */
import { ok, type Ok } from "~/domain/result";
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

export interface CameraBrief {
  deviceId: string;
  name: string;
  serial: string;
  summary: string;
  /** Events the sentence covers (0: nothing detected yet today). */
  events: number;
}

export interface CamerasToday {
  date: string;
  timeZone: string;
  briefs: CameraBrief[];
  /** Cameras whose plan has no AI summaries (Local, the trial): the page offers the plans. */
  withoutAi: number;
}

/**
 * "Today on your cameras" for the devices page (loaded after it renders, so the page itself stays
 * at its two D1 round trips): one sentence per camera whose plan has AI summaries, through the
 * same daySummary as GET /api/devices/:id/summary (stored once, re-asked only on new events).
 */
export async function camerasToday(deps: Deps, actor: Actor): Promise<Ok<CamerasToday>> {
  const now = actor.now ?? Date.now();
  const timeZone = await userTimeZone(deps, actor.user.id);
  const p = localParts(now, timeZone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const cams = await camerasOf(deps, actor.user.id, now);
  const withAi = cams.filter((c) => c.aiSummary && c.window);
  const answers = await Promise.all(withAi.map((c) => daySummary(deps, c.device.id, date, { ...actor, now })));
  const briefs: CameraBrief[] = [];
  answers.forEach((a, i) => {
    const c = withAi[i];
    if (a.ok) briefs.push({ deviceId: c.device.id, name: c.name, serial: c.device.serial, summary: a.summary, events: a.events });
  });
  return ok({ date, timeZone, briefs, withoutAi: cams.length - withAi.length });
}
