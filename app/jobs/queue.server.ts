import { sql } from "drizzle-orm";
import { z } from "zod";
import { Pacer } from "~/domain/call-pacing";
import { log } from "~/lib/log.server";
import { depsFor } from "~/models/deps.server";
import { reconcileRetention } from "~/models/kvs-retention.server";
import { recordDeadLetters } from "~/models/ops/dead-letters.server";
import { ALL_SWEEPS, type Sweep } from "./sweeps.server";

/**
 * The hourly cron fans its work out through the aovis-sweeps queue (ADR 027). The producer
 * (scheduleSweeps, run by the Worker's scheduled()) sends one message per lifecycle sweep and one
 * per range of RANGE_SIZE cameras for KVS retention; the consumer (handleSweepBatch) runs them,
 * acking each message alone, so a failing one is retried (then dead-lettered) without the others.
 */

export const SWEEP_QUEUE = "aovis-sweeps";
/** Cameras per retention range message: 100 000 cameras → 100 messages an hour. */
export const RANGE_SIZE = 1000;
/** AWS calls one range message may spend before it hands the rest of its range on (a continuation). */
export const CALLS_PER_MESSAGE = 50;
/** KVS control-plane pacing: under the account's 50 TPS (ADR 027) and the stream's 5 TPS. */
export const ACCOUNT_CALLS_PER_SECOND = 40;
export const STREAM_CALLS_PER_SECOND = 5;
/** A stream found in order is checked against KVS again after this long (drift, manual edits). */
export const REVERIFY_MS = 7 * 24 * 3600_000;
/** "100 messages (or 256KB in total)" per sendBatch (Cloudflare Queues limits). */
const SEND_BATCH_MAX = 100;

const sweepMessage = z.object({ v: z.literal(1), kind: z.literal("sweep"), name: z.string().min(1).max(64), now: z.number().int() }).strict();
const rangeMessage = z
  .object({ v: z.literal(1), kind: z.literal("kvs_retention"), after: z.string().max(200), upTo: z.string().max(200).nullable(), now: z.number().int() })
  .strict();
export const sweepQueueMessage = z.discriminatedUnion("kind", [sweepMessage, rangeMessage]);
export type SweepQueueMessage = z.infer<typeof sweepQueueMessage>;

export interface ScheduleReport {
  [k: string]: number | string;
  messages: number;
  ranges: number;
  sendBatches: number;
}

/** Range ends for every RANGE_SIZE-th device id, in one query (not a read of every id). */
async function rangeEnds(env: Env): Promise<string[]> {
  const { db } = depsFor(env);
  const rows = await db.all<{ id: string }>(
    sql`SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM devices) WHERE rn % ${RANGE_SIZE} = 0 ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

/** The producer: what one cron tick enqueues. */
export async function scheduleSweeps(env: Env, cron: string, now = Date.now(), sweeps: readonly Sweep[] = ALL_SWEEPS): Promise<ScheduleReport> {
  const messages: SweepQueueMessage[] = sweeps.filter((s) => s.name !== "kvs_retention").map((s) => ({ v: 1, kind: "sweep", name: s.name, now }));
  let after = "";
  const ends = sweeps.some((s) => s.name === "kvs_retention") ? [...(await rangeEnds(env)), null] : [];
  for (const upTo of ends) {
    messages.push({ v: 1, kind: "kvs_retention", after, upTo, now });
    if (upTo !== null) after = upTo;
  }
  let sendBatches = 0;
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) {
    await env.SWEEPS.sendBatch(messages.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body, contentType: "json" as const })));
    sendBatches++;
  }
  const report = { messages: messages.length, ranges: ends.length, sendBatches };
  log("info", "cron_enqueued", { cron, ...report });
  return report;
}

export interface BatchDeps {
  sweeps?: readonly Sweep[];
  /** The pacing clock; tests may inject one (production: Date.now and setTimeout). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The consumer of aovis-sweeps: one message at a time, one shared pacer for the whole batch. */
export async function handleSweepBatch(batch: MessageBatch<unknown>, env: Env, deps: BatchDeps = {}): Promise<void> {
  const sweeps = deps.sweeps ?? ALL_SWEEPS;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pacer = new Pacer({ perSecond: ACCOUNT_CALLS_PER_SECOND, perResourcePerSecond: STREAM_CALLS_PER_SECOND, now: deps.now ?? Date.now, sleep });
  for (const msg of batch.messages) {
    const parsed = sweepQueueMessage.safeParse(msg.body);
    if (!parsed.success) {
      // Retried like any failure (a newer producer's shape during a deploy may meet an older
      // consumer); after max_retries it lands in the dead-letter queue and in sweep_dead_letters.
      log("error", "sweep_message_malformed", { id: msg.id, attempts: msg.attempts });
      msg.retry();
      continue;
    }
    const body = parsed.data;
    try {
      if (body.kind === "sweep") {
        const sweep = sweeps.find((s) => s.name === body.name);
        if (!sweep) throw new Error(`unknown sweep ${body.name}`);
        const detail = await sweep.run(env, body.now);
        log("info", "cron_sweep", { sweep: sweep.name, ...detail });
      } else {
        const report = await reconcileRetention(depsFor(env), {
          range: { after: body.after, upTo: body.upTo },
          freshAfter: Date.now() - REVERIFY_MS,
          budget: CALLS_PER_MESSAGE,
          pace: (stream) => pacer.take(stream),
        });
        // The budget ran out inside the range: the rest goes on as a new message from where it stopped.
        if (!report.complete) await env.SWEEPS.send({ ...body, after: report.cursor } satisfies SweepQueueMessage, { contentType: "json" });
        log("info", "cron_sweep", { sweep: "kvs_retention", after: body.after, upTo: body.upTo ?? "", ...report });
      }
      msg.ack();
    } catch (err) {
      log("error", "cron_sweep_failed", { id: msg.id, attempts: msg.attempts, kind: body.kind, error: err instanceof Error ? err.message : String(err) });
      msg.retry();
    }
  }
}

/** The Worker's queue(): the main queue's consumer, or the dead-letter queue's. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith("-dlq")) {
    await recordDeadLetters(depsFor(env), batch.messages, Date.now());
    batch.ackAll();
    return;
  }
  await handleSweepBatch(batch, env);
}
