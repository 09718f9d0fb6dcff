// Publishes realistic camera detections for one camera through IoT Core, where the camera events
// rule forwards them to the app (ADR 015): the same path a real camera's messages take after MQTT.
//   npm run devices:simulate -- --device aovis-dev-aovis-n4k-000001 [--events 20] [--minutes 90]
//   npm run devices:simulate -- --device aovis-dev-aovis-n4k-000001 --live [--events 5] [--interval 2]
// Local mode (default): the AWS stand-in plays IoT Core and the rule (delivering to the app that
// `npm start` serves); the script then shows what the app answered for each event and, after a
// few seconds, the descriptions it wrote. --remote publishes to the real IoT Core's data endpoint
// (IOT_DATA_ENDPOINT, e.g. https://xxxx-ats.iot.us-east-1.amazonaws.com, with AWS_* keys allowed
// to iot:Publish on aovis/<thing>/events).
// Events are spread over the last --minutes, oldest first, ending a few minutes ago so the
// footage around each one is already in the stream when its snapshot is taken. With --live each
// is published at its moment, one every --interval seconds, as a camera does (an owner sees only
// events from their ownership on, so a camera activated just now shows live events only).
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { eventMessage, eventTopic, iotPublisher } from "./lib/event-messages.mjs";
import { d1, fail, lit, opsConfig, table, UsageError } from "./lib/ops.mjs";

const USAGE = `usage: npm run devices:simulate -- --device aovis-dev-aovis-n4k-000001 [--events 20] [--minutes 90] [--types person,package] [--live [--interval 2]] [--no-wait]
       [--remote]   (then IOT_DATA_ENDPOINT and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION from the environment)`;
const THING = /^[a-zA-Z0-9:_-]{1,128}$/;
/** The newest simulated event is this old: the stand-in's footage for it is then complete. */
const NEWEST_AGE_MS = 3 * 60_000;

/** What a doorstep camera sees in a day, roughly: people and parcels, cars, animals, noise. */
export const KINDS = [
  { type: "person", weight: 30, labels: [[], ["visitor"], ["courier"]] },
  { type: "package", weight: 12, labels: [["courier"], ["box"], []] },
  { type: "vehicle", weight: 18, labels: [["car"], ["truck"], ["van"]] },
  { type: "animal", weight: 14, labels: [["cat"], ["dog"], ["bird"]] },
  { type: "motion", weight: 18, labels: [[]] },
  { type: "sound", weight: 8, labels: [["noise"]] },
];

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      device: { type: "string" },
      events: { type: "string", default: "20" },
      minutes: { type: "string", default: "90" },
      types: { type: "string" },
      live: { type: "boolean", default: false },
      interval: { type: "string", default: "2" },
      "no-wait": { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const device = values.device ?? "";
  if (!THING.test(device)) throw new UsageError("--device is the camera's IoT thing name, e.g. aovis-dev-aovis-n4k-000001");
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 1 || events > 500) throw new UsageError("--events must be an integer from 1 to 500");
  const minutes = Number(values.minutes);
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 23 * 60) throw new UsageError("--minutes must be an integer from 5 to 1380");
  const interval = Number(values.interval);
  if (!Number.isFinite(interval) || interval < 0 || interval > 600) throw new UsageError("--interval is seconds between live events (0 to 600)");
  const types = values.types ? values.types.split(",").map((t) => t.trim()) : null;
  if (types && (types.length === 0 || types.some((t) => !KINDS.some((k) => k.type === t))))
    throw new UsageError(`--types is a comma-separated list of ${KINDS.map((k) => k.type).join(", ")}`);
  return { device, events, minutes, types, live: values.live, interval, wait: !values["no-wait"], remote: values.remote };
}

/** A small deterministic generator, so a run can be told apart by its seed in the ids. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function simulatedEvents(thing, { count, minutes, types = null, now = Date.now(), seed = now }) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const kinds = types ? KINDS.filter((k) => types.includes(k.type)) : KINDS;
  const total = kinds.reduce((n, k) => n + k.weight, 0);
  const kind = () => {
    let r = rand() * total;
    for (const k of kinds) if ((r -= k.weight) < 0) return k;
    return kinds[0];
  };
  const newest = now - NEWEST_AGE_MS;
  const span = minutes * 60_000 - NEWEST_AGE_MS;
  const times = Array.from({ length: count }, () => newest - Math.floor(rand() * span)).sort((a, b) => a - b);
  const run = seed.toString(36);
  return times.map((at, i) => {
    const k = kind();
    const labels = pick(k.labels);
    const confidence = Math.round((0.62 + rand() * 0.36) * 100) / 100;
    const w = Math.round((0.1 + rand() * 0.3) * 100) / 100;
    const h = Math.round((0.15 + rand() * 0.5) * 100) / 100;
    const box = { x: Math.round(rand() * (1 - w) * 100) / 100, y: Math.round(rand() * (1 - h) * 100) / 100, w, h };
    return eventMessage({ eventId: `sim-${run}-${String(i + 1).padStart(3, "0")}`, thing, type: k.type, at, confidence, labels, box });
  });
}

async function main() {
  const args = parse(process.argv.slice(2));
  const config = opsConfig({ remote: args.remote });
  const endpoint = args.remote ? process.env.IOT_DATA_ENDPOINT : config.aws.iotEndpoint;
  if (!endpoint) throw new UsageError("--remote needs IOT_DATA_ENDPOINT (aws iot describe-endpoint --endpoint-type iot:Data-ATS)");
  const { accessKeyId, secretAccessKey, sessionToken, region } = config.aws;
  const publish = iotPublisher({ accessKeyId, secretAccessKey, sessionToken, region }, endpoint);
  const events = simulatedEvents(args.device, { count: args.events, minutes: args.minutes, types: args.types });
  const topic = eventTopic(args.device);
  const when = args.live ? `live, one every ${args.interval} s` : `over the last ${args.minutes} minutes`;
  console.log(`${config.mode} mode · IoT ${endpoint} · topic ${topic} · ${events.length} events ${when}`);

  for (const [i, ev] of events.entries()) {
    if (args.live) {
      if (i > 0) await sleep(args.interval * 1000);
      ev.at = new Date().toISOString();
    }
    await publish(ev);
  }
  console.log(`published ${events.length} messages`);
  if (args.remote) return;

  // Local: what the rule got back from the app for each message.
  const deadline = Date.now() + 20_000;
  let delivered = [];
  while (Date.now() < deadline) {
    const r = await fetch(`${endpoint.replace(/\/+$/, "")}/__standin/iot/deliveries`);
    const all = (await r.json()).deliveries;
    delivered = events.map((e) => all.find((d) => d.eventId === e.eventId && (d.status !== null || d.error)));
    if (delivered.every(Boolean)) break;
    await sleep(300);
  }
  const refused = delivered.filter((d) => !d || d.status !== 202);
  console.log(
    table(
      ["event", "at", "type", "labels", "rule → app"],
      events.map((e, i) => [
        e.eventId,
        e.at.slice(11, 19),
        e.type,
        e.labels.join(" "),
        delivered[i] ? (delivered[i].status ?? delivered[i].error) : "no answer",
      ]),
    ),
  );
  if (refused.length) {
    const first = refused.find(Boolean);
    console.log(`\n${refused.length} not recorded${first?.body?.message ? `: ${first.body.message}` : ""}${first?.error ? `: ${first.error}` : ""}`);
    if (refused.length === events.length) process.exitCode = 1;
  }
  if (!args.wait || refused.length === events.length) return;

  // Snapshots and descriptions follow each recorded event within seconds (a camera whose owner
  // has AI summaries gets descriptions; others keep their labels).
  await sleep(4000);
  const rows = await d1(
    config,
    `SELECT id, snapshot_status, description_status, description FROM camera_events WHERE id IN (${events.map((e) => lit(e.eventId)).join(", ")}) ORDER BY at`,
  );
  console.log(
    `\n${table(
      ["event", "snapshot", "description"],
      rows.map((r) => [r.id, r.snapshot_status, r.description ?? `(${r.description_status})`]),
    )}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((err) => fail(err, USAGE));
