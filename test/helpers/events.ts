import { env } from "cloudflare:test";
import { expect } from "vitest";
import { applySubscription } from "~/models/billing/subscription-sync.server";
import { depsFor } from "~/models/deps.server";
import { appFetch } from "./app";
import { signIn, userIdOf } from "./auth";
import { activate, provisionTestDevice } from "./devices";
import { standinControl } from "./standins";

type Json = Record<string, any>;
export const AWS = env.TEST_STANDIN_URLS.aws;
export const AI = env.TEST_STANDIN_URLS.workersAi;
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

let n = 0;
/** A fresh camera event id (the camera's own, 8..64 url-safe characters). */
export const newEventId = () => `evt-${Date.now().toString(36)}-${++n}-${crypto.randomUUID().slice(0, 8)}`;

/** A message as a camera publishes it on aovis/<thing>/events. */
export function eventMessage(thing: string, over: Json = {}): Json {
  return {
    eventId: newEventId(),
    device: thing,
    type: "package",
    at: new Date(Date.now() - 30_000).toISOString(),
    confidence: 0.91,
    labels: ["courier"],
    ...over,
  };
}

/** POST /api/iot/events as the IoT rule sends it: its token, topic and receive time in headers. */
export function postEvent(
  message: Json | string,
  opts: { thing?: string; token?: string | null; topic?: string | null; receivedAt?: string | number | null; headers?: Record<string, string> } = {},
) {
  const thing = opts.thing ?? (typeof message === "string" ? "x" : message.device);
  const headers: Record<string, string> = { "Content-Type": "application/json", ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? env.IOT_RULE_TOKEN : opts.token;
  if (token !== null) headers["x-aovis-rule-token"] = token;
  const topic = opts.topic === undefined ? `aovis/${thing}/events` : opts.topic;
  if (topic !== null) headers["x-aovis-topic"] = topic;
  const receivedAt = opts.receivedAt === undefined ? Date.now() : opts.receivedAt;
  if (receivedAt !== null) headers["x-aovis-received-at"] = String(receivedAt);
  return appFetch("/api/iot/events", { method: "POST", headers, body: typeof message === "string" ? message : JSON.stringify(message) });
}

export async function eventCount(deviceId?: string): Promise<number> {
  const q = deviceId
    ? env.DB.prepare("SELECT COUNT(*) AS n FROM camera_events WHERE device_id = ?1").bind(deviceId)
    : env.DB.prepare("SELECT COUNT(*) AS n FROM camera_events");
  return (await q.first<{ n: number }>())!.n;
}

export async function eventRow(eventId: string) {
  return env.DB.prepare("SELECT * FROM camera_events WHERE id = ?1").bind(eventId).first<Json>();
}

/** Polls until `check` holds for the event's row (the snapshot and description follow the response). */
export async function waitForEvent(eventId: string, check: (row: Json) => boolean, timeoutMs = 20_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await eventRow(eventId);
    if (row && check(row)) return row;
    if (Date.now() > deadline) throw new Error(`event ${eventId} never got there: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A stand-in control call (test/helpers/standins.ts). */
export const standin = standinControl;

/** A provisioned camera activated by `email` (trial granted), with its own stream in the AWS stand-in. */
export async function ownedCamera(email: string, opts: { ownedForDays?: number; plan?: "standard" | "starter" | null } = {}) {
  const cookie = await signIn(email);
  const userId = await userIdOf(cookie);
  const device = await provisionTestDevice({ iccid: null });
  await standin(AWS, "streams", { streams: [{ name: device.aovisId, retentionHours: 720 }] });
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  if (opts.ownedForDays) {
    await env.DB.prepare("UPDATE device_ownerships SET started_at = ?1 WHERE device_id = ?2 AND status = 'active'")
      .bind(Date.now() - opts.ownedForDays * DAY, device.id)
      .run();
  }
  if (opts.plan) await subscribe(userId, device.id, opts.plan);
  return { cookie, userId, device };
}

/** A paid cloud plan applied through the real billing code (as the webhook would); returns the subscription id. */
export async function subscribe(
  userId: string,
  deviceId: string,
  plan: "standard" | "starter" = "standard",
  status: "active" | "canceled" = "active",
  id?: string,
) {
  const nowSec = Math.floor(Date.now() / 1000);
  const price = plan === "standard" ? env.STRIPE_PRICE_CLOUD_STANDARD : env.STRIPE_PRICE_CLOUD_STARTER;
  const subId = id ?? `sub_ev_${crypto.randomUUID().replace(/-/g, "")}`;
  const result = await applySubscription(
    depsFor(env),
    {
      id: subId,
      status,
      customer: null,
      metadata: { user_id: userId, device_id: deviceId, plan_code: plan },
      items: { data: [{ price, current_period_start: nowSec - 86400, current_period_end: nowSec + 29 * 86400 }] },
      ...(status === "canceled" ? { canceled_at: nowSec - 1, ended_at: nowSec - 1 } : {}),
    },
    { eventType: "test.camera_events" },
  );
  expect(result).toMatchObject({ outcome: "applied" });
  return subId;
}

/** Writes an event row directly (for times the ingestion would refuse, e.g. weeks old). */
export async function insertEvent(
  deviceId: string,
  over: { id?: string; at: number; type?: string; labels?: string; cameraLabels?: string; description?: string | null; snapshot?: string },
) {
  const id = over.id ?? newEventId();
  const { eventSeq } = await import("~/domain/camera-events");
  await env.DB.prepare(
    `INSERT INTO camera_events (seq, id, device_id, type, at, received_at, confidence, labels, camera_labels, snapshot_status, description, description_status)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0.9, ?6, ?10, ?7, ?8, ?9)`,
  )
    .bind(
      eventSeq(over.at, id),
      id,
      deviceId,
      over.type ?? "package",
      over.at,
      over.labels ?? "package parcel delivery box courier",
      over.snapshot ?? "missing",
      over.description ?? null,
      over.description ? "ready" : "skipped",
      over.cameraLabels ?? "",
    )
    .run();
  return id;
}
