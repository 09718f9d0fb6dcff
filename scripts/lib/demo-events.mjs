// `npm start`'s day of camera events: for every demo camera whose owner holds AI summaries (a paid
// cloud plan; on a fresh machine the demo account's "Front door"), detections of the last day,
// inside the ownership, published through IoT Core → the camera events rule → /api/iot/events,
// the path a real camera's messages take (so each gets its snapshot from the footage and its
// description from the Workers AI stand-in, as live ones do). Idempotent: the events fall on a
// fixed grid with ids from their slot, and slots already in D1 are not sent again, so a restart
// only adds the hours since the last one.
import { demoDevices, DEMO_OWNER_DEVICE } from "../../app/db/seed.ts";
import { KINDS } from "../simulate-devices.mjs";
import { eventMessage, iotPublisher } from "./event-messages.mjs";
import { d1, lit } from "./ops.mjs";

/** One event per slot; a day holds 36. */
const SLOT_MS = 40 * 60_000;
/** The rule refuses events older than a day (MAX_EVENT_DELAY_MS); keep clear of it. */
const SPAN_MS = 23 * 3600_000;
/** Newest event this old: its footage is complete in the stand-in, so its snapshot can be taken. */
const NEWEST_AGE_MS = 3 * 60_000;

/** A number from 0 to 1 fixed by the text (FNV-1a). */
function unit(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

/** The grid's events for `thing` in [from, to]: the same slot always gives the same event. */
export function demoEvents(thing, from, to) {
  const total = KINDS.reduce((n, k) => n + k.weight, 0);
  const out = [];
  for (let slot = Math.ceil(from / SLOT_MS); slot * SLOT_MS <= to; slot++) {
    const at = slot * SLOT_MS + Math.floor(unit(`${thing}:${slot}:at`) * (SLOT_MS - 60_000));
    if (at < from || at > to) continue;
    let r = unit(`${thing}:${slot}:kind`) * total;
    const kind = KINDS.find((k) => (r -= k.weight) < 0) ?? KINDS[0];
    const labels = kind.labels[Math.floor(unit(`${thing}:${slot}:labels`) * kind.labels.length)];
    const confidence = Math.round((0.7 + unit(`${thing}:${slot}:conf`) * 0.28) * 100) / 100;
    out.push(
      eventMessage({ eventId: `demo-${thing}-${slot.toString(36)}`, thing, type: kind.type, at, confidence, labels, box: { x: 0.3, y: 0.25, w: 0.3, h: 0.5 } }),
    );
  }
  return out;
}

/**
 * Publishes what is missing of the demo cameras' last day. `config` is opsConfig() (local D1),
 * `iotEndpoint` the AWS stand-in that plays IoT Core and the rule. Resolves with a one-line summary.
 */
export async function seedDemoEvents(config, iotEndpoint, now = Date.now()) {
  const ids = [...demoDevices(), DEMO_OWNER_DEVICE].map((d) => lit(d.id)).join(", ");
  const cameras = await d1(
    config,
    `SELECT d.id AS id, d.iot_thing_name AS thing, o.started_at AS since FROM devices d
     JOIN device_ownerships o ON o.device_id = d.id AND o.status = 'active'
     WHERE d.id IN (${ids}) AND EXISTS (SELECT 1 FROM entitlements e WHERE e.device_id = d.id AND e.user_id = o.user_id
       AND e.key = 'ai_summary' AND e.status = 'ACTIVE' AND e.starts_at <= ${now} AND (e.expires_at IS NULL OR e.expires_at > ${now}))`,
  );
  if (!cameras.length) return "demo events: no demo camera has a paid plan";
  const to = now - NEWEST_AGE_MS;
  const wanted = cameras.flatMap((c) => demoEvents(c.thing, Math.max(now - SPAN_MS, c.since + 60_000), to));
  if (!wanted.length) return `demo events: none due for ${cameras.length} camera(s)`;
  const have = new Set((await d1(config, `SELECT id FROM camera_events WHERE id IN (${wanted.map((e) => lit(e.eventId)).join(", ")})`)).map((r) => r.id));
  const missing = wanted.filter((e) => !have.has(e.eventId));
  const publish = iotPublisher(config.aws, iotEndpoint);
  for (const ev of missing) await publish(ev);
  const names = cameras.map((c) => c.thing).join(", ");
  return `demo events: ${missing.length} published for ${names} (${wanted.length - missing.length} already there; a day of them, through the IoT rule)`;
}
