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
