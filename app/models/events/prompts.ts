/**
 * What we ask the models (ADR 016). Text for a model, not for people: the answer is what people
 * read. The detections line and the event lines have a fixed shape, which the Workers AI stand-in
 * reads to answer like a model that saw the picture (standins/workers-ai.mjs).
 *
 * Languages (ADR 028): the instructions stay English (what the models follow best). Descriptions
 * are written in English whoever reads them: they are the search index (Chinese searches are read
 * as English words, app/domain/event-search.ts) and outlive an owner. A day's sentence is for one
 * owner, so it is asked for, and our own sentence written, in the owner's language.
 */
import type { EventType } from "~/domain/camera-events";
import type { Language } from "~/domain/language";

export const DESCRIPTION_SYSTEM =
  "You write captions for a home security camera's event list. Answer with one short factual sentence (at most 15 words) about what happens in the picture. Do not guess who people are. No quotes, no preamble.";

export function descriptionPrompt(e: { type: EventType; confidence: number; labels: readonly string[]; localTime: string }): string {
  const labels = e.labels.length ? `; labels: ${e.labels.join(", ")}` : "";
  return [
    "Describe what happens in this camera picture in one sentence.",
    `Camera detections (may be wrong): ${e.type} ${e.confidence.toFixed(2)}${labels}`,
    `Time: ${e.localTime}`,
  ].join("\n");
}

export const SUMMARY_SYSTEM =
  "You summarise one security camera's day for its owner in a single sentence. Count people and cars, name parcels and animals with their times. Only use the events given. No preamble.";

export function summaryPrompt(d: { label: string; camera: string; lines: readonly string[]; language?: Language }): string {
  return [
    `Write one sentence that starts with "${d.label}:" summarising these events.`,
    ...(d.language === "zh-CN" ? ["Write the sentence in Simplified Chinese (简体中文), with Chinese punctuation; keep the times as they are."] : []),
    `Camera: ${d.camera}`,
    "Events (local time, type, description):",
    ...d.lines,
  ].join("\n");
}

/** "14:02 package (parcel) — A courier leaves a parcel at the door" */
export function eventLine(e: { time: string; type: EventType; extraLabels: readonly string[]; description: string | null }): string {
  const labels = e.extraLabels.length ? ` (${e.extraLabels.join(", ")})` : "";
  return `${e.time} ${e.type}${labels}${e.description ? ` — ${e.description}` : ""}`;
}

/** A model's answer as one clean line (no quotes, no newlines), capped. */
export function cleanAnswer(text: string, max: number): string {
  const line = text
    .replace(/\s+/g, " ")
    .replace(/^["'“”\s]+|["'“”\s]+$/g, "")
    .trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** How the summary's sentence starts: "Today", "Yesterday", else "On Tuesday, November 24" (今天, 昨天, 11月24日星期二). */
export function dayLabel(date: string, today: string, yesterday: string, language: Language = "en"): string {
  if (language === "zh-CN") {
    if (date === today) return "今天";
    if (date === yesterday) return "昨天";
    return new Intl.DateTimeFormat("zh-CN", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
  }
  if (date === today) return "Today";
  if (date === yesterday) return "Yesterday";
  const label = new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
  return `On ${label}`;
}

const NOUNS: Partial<Record<EventType, [string, string]>> = {
  person: ["person", "people"],
  vehicle: ["car", "cars"],
  sound: ["loud sound", "loud sounds"],
  motion: ["movement", "movements"],
};
const counted = (n: number, [one, many]: [string, string]) => (n === 1 ? `a ${one}` : `${n} ${many}`);

/**
 * Our own sentence from the day's facts, when the model can't be asked (budget spent, service
 * down): counts of people and cars, each parcel and animal with its time.
 */
export function factsSummary(
  label: string,
  events: readonly { time: string; type: EventType; cameraLabels: readonly string[] }[],
  language: Language = "en",
): string {
  if (language === "zh-CN") return factsSummaryZh(label, events);
  if (events.length === 0) return `${label}: nothing was recorded.`;
  const parts: string[] = [];
  const count = (type: EventType) => events.filter((e) => e.type === type).length;
  for (const type of ["person", "vehicle"] as const) if (count(type)) parts.push(counted(count(type), NOUNS[type]!));
  for (const e of events.filter((x) => x.type === "package")) parts.push(`a parcel at ${e.time}`);
  for (const e of events.filter((x) => x.type === "animal")) parts.push(`${e.cameraLabels[0] ? `a ${e.cameraLabels[0]}` : "an animal"} at ${e.time}`);
  for (const type of ["sound", "motion"] as const) if (count(type)) parts.push(counted(count(type), NOUNS[type]!));
  return `${label}: ${parts.join(", ")}.`;
}

const ZH_COUNTED: Partial<Record<EventType, string>> = { person: "有人出现", vehicle: "车辆出现", sound: "较大声响", motion: "画面移动" };
const ZH_ANIMALS: Record<string, string> = { cat: "猫", dog: "狗", bird: "鸟", fox: "狐狸", deer: "鹿", squirrel: "松鼠", rabbit: "兔子" };

/** factsSummary in Simplified Chinese: "今天：有人出现 7 次、车辆出现 4 次、00:22 有包裹、02:58 有鸟。" */
function factsSummaryZh(label: string, events: readonly { time: string; type: EventType; cameraLabels: readonly string[] }[]): string {
  if (events.length === 0) return `${label}：没有录到任何动静。`;
  const parts: string[] = [];
  const count = (type: EventType) => events.filter((e) => e.type === type).length;
  for (const type of ["person", "vehicle"] as const) if (count(type)) parts.push(`${ZH_COUNTED[type]} ${count(type)} 次`);
  for (const e of events.filter((x) => x.type === "package")) parts.push(`${e.time} 有包裹`);
  for (const e of events.filter((x) => x.type === "animal")) parts.push(`${e.time} 有${ZH_ANIMALS[e.cameraLabels[0] ?? ""] ?? "动物"}`);
  for (const type of ["sound", "motion"] as const) if (count(type)) parts.push(`${ZH_COUNTED[type]} ${count(type)} 次`);
  return `${label}：${parts.join("、")}。`;
}
