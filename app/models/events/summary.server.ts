/**
 * A camera's day in one sentence (ADR 016), for owners with `ai_summary`: the day is the owner's
 * (their time zone), cut to their window. Computed once per (camera, ownership, day, zone) and
 * stored; asked again only when the events it covered changed (a day still running got new
 * events, or some fell out of the window). When the model can't be asked (budget spent, service
 * down) the answer is our own sentence from the same facts, and nothing is stored.
 */
import { and, count, desc, eq, gte, lt, max } from "drizzle-orm";
import { cameraEvents, eventSummaries } from "~/db/schema";
import type { TimeWindow } from "~/domain/cloud-access-window";
import { SUMMARY_MAX_EVENTS, SUMMARY_MAX_TOKENS } from "~/domain/event-features";
import type { Language } from "~/domain/language";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { localParts, zonedTime } from "~/domain/zoned-time";
import { getConfig } from "~/lib/config.server";
import { log } from "~/lib/log.server";
import { workersAiFor } from "~/lib/workers-ai.server";
import type { Actor, Deps } from "../deps.server";
import { isoWindow, type IsoWindow } from "../video/playback-access.server";
import { camerasOf, featureNotInPlan, type FeatureNotInPlan } from "./access.server";
import { refundAi, reserveAi } from "./ai-budget.server";
import { cleanAnswer, dayLabel, eventLine, factsSummary, SUMMARY_SYSTEM, summaryPrompt } from "./prompts";
import { userDaySettings } from "./time-zone.server";

export type SummaryOutcome =
  | Ok<{ date: string; summary: string; events: number; source: "ai" | "facts"; timeZone: string }>
  | Refusal<"not_found", { subject: "device" }>
  | FeatureNotInPlan
  | Refusal<"no_cloud_entitlement">
  | Refusal<"date_not_started">
  | Refusal<"time_range_exceeds_entitlement", { window: IsoWindow; reason: "plan_limit" | "before_ownership" }>;

const pad = (n: number) => String(n).padStart(2, "0");
const hhmm = (ms: number, tz: string) => {
  const p = localParts(ms, tz);
  return `${pad(p.hour)}:${pad(p.minute)}`;
};
const dateOf = (ms: number, tz: string) => {
  const p = localParts(ms, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
};

/** The day [start, end) of `date` in `tz`. */
function dayBounds(date: string, tz: string): TimeWindow {
  const [y, m, d] = date.split("-").map(Number);
  return { start: zonedTime(tz, y, m, d), end: zonedTime(tz, y, m, d + 1) };
}

const HAN = /[\u3400-\u9fff]/;

/**
 * Whether a stored sentence is in `language` (the summaries' key has no language): Chinese has Han
 * characters, English none — in both cases outside the camera's own name, which may be Chinese
 * ("前门") in an English sentence.
 */
function writtenIn(summary: string, language: Language, cameraName: string): boolean {
  const own = cameraName ? summary.split(cameraName).join("") : summary;
  return language === "zh-CN" ? HAN.test(own) : !HAN.test(own);
}

export async function daySummary(deps: Deps, deviceId: string, date: string, actor: Actor): Promise<SummaryOutcome> {
  const { db, env } = deps;
  const now = actor.now ?? Date.now();
  const { timeZone, language } = await userDaySettings(deps, actor.user.id);
  const [cam] = await camerasOf(deps, actor.user.id, now, deviceId);
  if (!cam) return refuse("not_found", { subject: "device" as const });
  if (!cam.aiSummary) return featureNotInPlan("ai_summary", "camera");
  if (!cam.window) return refuse("no_cloud_entitlement");
  const day = dayBounds(date, timeZone);
  if (day.start > now) return refuse("date_not_started");
  const from = Math.max(day.start, cam.window.start);
  const to = Math.min(day.end, now);
  if (to <= from) {
    const reason = day.end <= cam.ownershipStartedAt ? ("before_ownership" as const) : ("plan_limit" as const);
    return refuse("time_range_exceeds_entitlement", { window: isoWindow(cam.window), reason });
  }

  const inDay = and(eq(cameraEvents.deviceId, deviceId), gte(cameraEvents.at, from), lt(cameraEvents.at, to));
  const key = and(
    eq(eventSummaries.deviceId, deviceId),
    eq(eventSummaries.ownershipId, cam.ownershipId),
    eq(eventSummaries.date, date),
    eq(eventSummaries.timeZone, timeZone),
  );
  const [[facts], [stored]] = await db.batch([
    db
      .select({ n: count(), last: max(cameraEvents.seq) })
      .from(cameraEvents)
      .where(inDay),
    db.select().from(eventSummaries).where(key).limit(1),
  ]);
  const n = facts?.n ?? 0;
  const last = facts?.last ?? 0;
  const answer = (summary: string, source: "ai" | "facts") => ok({ date, summary, events: n, source, timeZone });
  // A stored sentence in another language (the owner switched) is asked again, like a changed day.
  if (stored && stored.eventCount === n && stored.throughSeq === last && writtenIn(stored.summary, language, cam.name))
    return answer(stored.summary, stored.source);

  const label = dayLabel(date, dateOf(now, timeZone), dateOf(now - 86_400_000, timeZone), language);
  if (n === 0) return answer(factsSummary(label, [], language), "facts");
  // The newest events of the day, told in order.
  const rows = (
    await db
      .select({ at: cameraEvents.at, type: cameraEvents.type, cameraLabels: cameraEvents.cameraLabels, description: cameraEvents.description })
      .from(cameraEvents)
      .where(inDay)
      .orderBy(desc(cameraEvents.at))
      .limit(SUMMARY_MAX_EVENTS)
  ).reverse();
  const events = rows.map((r) => ({
    time: hhmm(r.at, timeZone),
    type: r.type,
    cameraLabels: r.cameraLabels.split(" ").filter(Boolean),
    description: r.description,
  }));
  const fallback = () => answer(factsSummary(label, events, language), "facts");

  const reservation = await reserveAi(deps, deviceId, "summary", now);
  if (!reservation) return fallback();
  let summary: string;
  try {
    const text = await workersAiFor(env).generate(getConfig(env).WORKERS_AI_TEXT_MODEL, {
      system: SUMMARY_SYSTEM,
      prompt: summaryPrompt({ label, camera: cam.name, language, lines: events.map((e) => eventLine({ ...e, extraLabels: e.cameraLabels })) }),
      maxTokens: SUMMARY_MAX_TOKENS,
    });
    summary = cleanAnswer(text, 400);
    if (!summary) throw new Error("empty summary");
  } catch (err) {
    await refundAi(deps, reservation, now);
    log("warn", "event_summary_failed", { requestId: actor.requestId, deviceId, error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    return fallback();
  }
  const row = { summary, eventCount: n, throughSeq: last, fromAt: from, source: "ai" as const, computedAt: now };
  await db
    .insert(eventSummaries)
    .values({ deviceId, ownershipId: cam.ownershipId, date, timeZone, ...row })
    .onConflictDoUpdate({ target: [eventSummaries.deviceId, eventSummaries.ownershipId, eventSummaries.date, eventSummaries.timeZone], set: row });
  return answer(summary, "ai");
}
