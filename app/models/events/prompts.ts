/**
 * What we ask the models (ADR 016). Text for a model, not for people: the answer is what people
 * read. The detections line and the event lines have a fixed shape, which the Workers AI stand-in
 * reads to answer like a model that saw the picture (standins/workers-ai.mjs).
 */
import type { EventType } from "~/domain/camera-events";

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

export function summaryPrompt(d: { label: string; camera: string; lines: readonly string[] }): string {
  return [
    `Write one sentence that starts with "${d.label}:" summarising these events.`,
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

/** How the summary's sentence starts: "Today", "Yesterday", else "On Tuesday, November 24". */
export function dayLabel(date: string, today: string, yesterday: string): string {
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
export function factsSummary(label: string, events: readonly { time: string; type: EventType; cameraLabels: readonly string[] }[]): string {
  if (events.length === 0) return `${label}: nothing was recorded.`;
  const parts: string[] = [];
  const count = (type: EventType) => events.filter((e) => e.type === type).length;
  for (const type of ["person", "vehicle"] as const) if (count(type)) parts.push(counted(count(type), NOUNS[type]!));
  for (const e of events.filter((x) => x.type === "package")) parts.push(`a parcel at ${e.time}`);
  for (const e of events.filter((x) => x.type === "animal")) parts.push(`${e.cameraLabels[0] ? `a ${e.cameraLabels[0]}` : "an animal"} at ${e.time}`);
  for (const type of ["sound", "motion"] as const) if (count(type)) parts.push(counted(count(type), NOUNS[type]!));
  return `${label}: ${parts.join(", ")}.`;
}
