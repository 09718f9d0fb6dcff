/**
 * Camera events arriving from the IoT rule (ADR 015): the rule's token, then the facts the rule
 * itself wrote (topic, receive time) against the camera's claims (device, time), then one insert
 * keyed by the event id. Every refusal leaves D1 as it was.
 */
import { eq } from "drizzle-orm";
import { isUniqueViolation } from "~/db/d1.server";
import { cameraEvents, devices } from "~/db/schema";
import { checkIngest, eventSeq, indexedLabels, thingOfTopic } from "~/domain/camera-events";
import { ok, refuse, type Ok, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import type { Deps } from "../deps.server";
import type { CameraEventMessage } from "./inputs";

export type RuleAuthRefusal = Refusal<"rule_unauthenticated", { reason: "missing" | "invalid" }>;

async function digest(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
}

/** Equal digests, compared in constant time (workerd's timingSafeEqual, else a plain loop over equal lengths). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBuffer, b: ArrayBuffer) => boolean };
  if (subtle.timingSafeEqual) return subtle.timingSafeEqual(a, b);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/** The rule's token (x-aovis-rule-token) against IOT_RULE_TOKEN, or the next one while it is rolled out. */
export async function verifyRuleToken({ env }: Deps, token: string | null): Promise<Ok | RuleAuthRefusal> {
  if (!token) return refuse("rule_unauthenticated", { reason: "missing" as const });
  const cfg = getConfig(env);
  for (const expected of [cfg.IOT_RULE_TOKEN, cfg.IOT_RULE_TOKEN_NEXT]) {
    if (expected && (await sameSecret(token, expected))) return ok();
  }
  return refuse("rule_unauthenticated", { reason: "invalid" as const });
}

export type IngestResult =
  | Ok<{ eventId: string; deviceId: string }>
  | Refusal<"invalid_topic">
  | Refusal<"message_stale">
  | Refusal<"device_mismatch">
  | Refusal<"event_time_out_of_range">
  | Refusal<"not_found", { subject: "device" }>
  | Refusal<"event_duplicate">;

/** What the rule added to the message (headers it writes itself; a camera can't set them). */
export interface RuleFacts {
  /** ${topic()} */
  topic: string | null;
  /** ${timestamp()}: Unix ms when IoT Core received the message. */
  receivedAt: string | null;
}

const toMs = (at: number | string) => (typeof at === "number" ? at : Number(at));

/** Records one event; a repeat of its id (or a collision of its seq, retried) is no second row. */
export async function ingestCameraEvent(deps: Deps, rule: RuleFacts, message: CameraEventMessage, now = Date.now()): Promise<IngestResult> {
  const thing = rule.topic ? thingOfTopic(rule.topic) : null;
  if (!thing) return refuse("invalid_topic");
  const receivedAt = rule.receivedAt && /^\d{1,16}$/.test(rule.receivedAt) ? Number(rule.receivedAt) : Number.NaN;
  const at = toMs(message.at);
  const check = checkIngest({ now, receivedAt, topicThing: thing, bodyDevice: message.device, at });
  if (!check.ok) return refuse(check.error);

  const { db } = deps;
  const [device] = await db.select({ id: devices.id }).from(devices).where(eq(devices.iotThingName, thing)).limit(1);
  if (!device) return refuse("not_found", { subject: "device" as const });

  const row = {
    id: message.eventId,
    deviceId: device.id,
    type: message.type,
    at,
    receivedAt,
    confidence: message.confidence,
    labels: indexedLabels(message.type, message.labels),
    cameraLabels: message.labels.join(" "),
    boxesJson: message.boxes?.length ? JSON.stringify(message.boxes) : null,
  };
  // Two events in the same millisecond with the same hash bucket would share a seq: take the next.
  for (let bump = 0; bump < 4; bump++) {
    try {
      const inserted = await db
        .insert(cameraEvents)
        .values({ ...row, seq: eventSeq(at, message.eventId) + bump })
        .onConflictDoNothing({ target: cameraEvents.id })
        .returning({ seq: cameraEvents.seq });
      if (inserted.length === 0) return refuse("event_duplicate");
      return ok({ eventId: message.eventId, deviceId: device.id });
    } catch (err) {
      if (!isUniqueViolation(err, "camera_events.seq")) throw err;
    }
  }
  throw new Error(`no free seq for event ${message.eventId}`);
}
