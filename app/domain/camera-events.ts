/**
 * Camera events (ADR 015): what a camera may report, how an event is keyed and ordered, and the
 * limits of ingestion. Pure: no I/O. Times are Unix ms.
 *
 * An event belongs to the DEVICE, not to a user: who may see it is decided at read time by the
 * viewer's ownership period ∩ plan window (cloud-access-window.ts), so a transfer never moves or
 * copies events and nobody ever sees a moment from before they owned the camera.
 */

export const EVENT_TYPES = ["motion", "person", "vehicle", "package", "animal", "sound"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The rule forwards one small JSON message; anything bigger is not a camera event. */
export const MAX_EVENT_BODY_BYTES = 16 * 1024;
/** How far the rule's receive time may be from our clock (a replayed or queued-for-hours message is refused). */
export const MAX_RECEIVE_SKEW_MS = 5 * 60 * 1000;
/** How far after the rule received it an event may claim to have happened (camera clocks drift a little). */
export const MAX_EVENT_AHEAD_MS = 60 * 1000;
/** How long a camera may hold an event before sending it (offline buffering); older is refused. */
export const MAX_EVENT_DELAY_MS = 24 * 60 * 60 * 1000;
export const MAX_LABELS = 8;
export const MAX_BOXES = 16;

/** The MQTT topic a camera publishes its events on (one per IoT thing; the device policy allows only its own). */
export const eventTopic = (thingName: string) => `aovis/${thingName}/events`;
const TOPIC = /^aovis\/([a-zA-Z0-9:_-]{1,128})\/events$/;

/** The thing a topic belongs to, or null when it isn't an events topic. */
export function thingOfTopic(topic: string): string | null {
  return TOPIC.exec(topic)?.[1] ?? null;
}

/**
 * Events are ordered by `seq` = at·1024 + a hash of the id: time order, with a tie-break, in one
 * integer that is also the row's rowid and the FTS5 rowid. So "newest first inside this window" is
 * a rowid range walked backwards, which FTS5 and the primary key both do without sorting.
 * at·1024 stays below 2^53 until the year 2248.
 */
export const SEQ_PER_MS = 1024;

export function eventSeq(at: number, eventId: string): number {
  let h = 2166136261;
  for (let i = 0; i < eventId.length; i++) h = Math.imul(h ^ eventId.charCodeAt(i), 16777619) >>> 0;
  return at * SEQ_PER_MS + (h % SEQ_PER_MS);
}

/** The seq bounds of [start, end] (ms, inclusive). */
export const seqRange = (start: number, end: number) => ({ lo: start * SEQ_PER_MS, hi: end * SEQ_PER_MS + (SEQ_PER_MS - 1) });
export const atOfSeq = (seq: number) => Math.floor(seq / SEQ_PER_MS);

/**
 * Words indexed with each type, so "car", "parcel" or "people" find what the camera calls vehicle,
 * package and person. Camera labels (e.g. "cat") are indexed too.
 */
export const TYPE_SYNONYMS: Record<EventType, readonly string[]> = {
  motion: ["motion", "movement", "moving"],
  person: ["person", "people", "human", "someone", "visitor"],
  vehicle: ["vehicle", "car", "truck", "van", "motorbike"],
  package: ["package", "parcel", "delivery", "box", "courier"],
  animal: ["animal", "pet", "wildlife"],
  sound: ["sound", "noise", "audio"],
};

/** The labels column of the search index: the type's words and the camera's own labels. */
export function indexedLabels(type: EventType, labels: readonly string[]): string {
  return [...new Set([...TYPE_SYNONYMS[type], ...labels.map((l) => l.toLowerCase())])].join(" ");
}

/** The token naming a device in the search index (ids have dashes, which the tokenizer splits on). */
export const deviceToken = (deviceId: string) => `dev${deviceId.toLowerCase().replace(/[^a-z0-9]/g, "")}`;

export type IngestRefusal =
  | { ok: false; error: "message_stale"; receivedAt: number }
  | { ok: false; error: "event_time_out_of_range"; at: number }
  | { ok: false; error: "device_mismatch" };

/**
 * Whether a message the rule forwarded can be an event: the rule's receive time near our clock,
 * the body's device the topic's thing, the event's time shortly before (or just after) the receipt.
 */
export function checkIngest(input: { now: number; receivedAt: number; topicThing: string; bodyDevice: string; at: number }): { ok: true } | IngestRefusal {
  const { now, receivedAt, topicThing, bodyDevice, at } = input;
  if (!Number.isFinite(receivedAt) || Math.abs(now - receivedAt) > MAX_RECEIVE_SKEW_MS) return { ok: false, error: "message_stale", receivedAt };
  if (bodyDevice !== topicThing) return { ok: false, error: "device_mismatch" };
  if (!Number.isFinite(at) || at > receivedAt + MAX_EVENT_AHEAD_MS || at < receivedAt - MAX_EVENT_DELAY_MS) {
    return { ok: false, error: "event_time_out_of_range", at };
  }
  return { ok: true };
}

/** The R2 key of an event's snapshot: by device, then event (so a device's snapshots list and age out together). */
export const snapshotKey = (deviceId: string, eventId: string) => `events/${deviceId}/${eventId}.jpg`;

/** Snapshot attempts (request + cron) before an event is left without a picture. */
export const MAX_SNAPSHOT_ATTEMPTS = 4;
/** Description attempts before an event is left without one. */
export const MAX_DESCRIPTION_ATTEMPTS = 3;
/** A claimed event is someone's for this long; after that the cron may take it over (the worker died). */
export const ENRICH_LEASE_MS = 2 * 60 * 1000;
/**
 * KVS makes a fragment readable only after it is complete (a few seconds after its start). An event
 * younger than this with no picture yet is retried; older with NO_MEDIA means nothing was recorded.
 */
export const FOOTAGE_SETTLE_MS = 2 * 60 * 1000;
