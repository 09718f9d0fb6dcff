import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/app";
import { listDeadLetters } from "~/models/ops/dead-letters.server";
import { getDb } from "~/db/client.server";

// ADR 027: the cron enqueues, the queue consumer reconciles KVS retention range by range, paced
// under KVS's 5 TPS per stream and 50 TPS per account, through the real queue bindings (miniflare
// delivers the batches to the Worker's queue()). 50 000 cameras: most are in order per D1 (a
// fresh check), so only the new ones and the ones due for re-verification reach AWS — spread over
// the whole id range, so a range that is skipped leaves cameras unchecked and fails the test.

type Json = Record<string, any>;
const AWS = env.TEST_STANDIN_URLS.aws;
const N = 50_000;
const NEW_EVERY = 200; // i % 200 === 0: no retention row yet, stream at 24 h → Describe + Update
const STALE_AT = 100; // i % 200 === 100: checked 8 days ago, stream at 720 h → Describe only

const lit = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`);

async function seed(run: string, now: number) {
  const id = (i: number) => `q5-${run}-${String(i).padStart(5, "0")}`;
  const stream = (i: number) => `q5-${run}-s${i}`;
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < N; i += 500) {
    const devices: string[] = [];
    const retention: string[] = [];
    for (let k = i; k < Math.min(N, i + 500); k++) {
      devices.push(`(${[id(k), stream(k), stream(k).toUpperCase(), "NEXA Prime 4K", "0".repeat(64), stream(k), stream(k)].map(lit).join(",")})`);
      if (k % NEW_EVERY === 0) continue;
      const checkedAt = k % NEW_EVERY === STALE_AT ? now - 8 * 86400_000 : now - 3600_000;
      retention.push(`(${[id(k), stream(k), 720, 720, "ok", checkedAt, null, checkedAt].map(lit).join(",")})`);
    }
    stmts.push(
      env.DB.prepare(`INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name) VALUES ${devices.join(",")}`),
    );
    stmts.push(
      env.DB.prepare(
        `INSERT INTO device_retention (device_id, stream_name, retention_hours, target_hours, status, checked_at, last_error, last_ok_at) VALUES ${retention.join(",")}`,
      ),
    );
  }
  await env.DB.batch(stmts);
  const inKvs = Array.from({ length: N / NEW_EVERY }, (_, j) => [j * NEW_EVERY, j * NEW_EVERY + STALE_AT]).flat();
  const res = await fetch(`${AWS}/__standin/streams`, {
    method: "POST",
    body: JSON.stringify({ streams: inKvs.map((i) => ({ name: stream(i), retentionHours: i % NEW_EVERY === 0 ? 24 : 720 })) }),
  });
  expect(res.status).toBe(200);
  return { id, stream, inKvs };
}

describe("sweeps through the queue", () => {
  it("50 000 cameras: every one covered within 5 TPS per stream and 50 per account; a poisoned message ends in sweep_dead_letters while the rest complete", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const now = Date.now();
    const { id, inKvs } = await seed(run, now);
    const startedAt = Date.now();

    // The poisoned message: a body no consumer version understands (after must be a string).
    await env.SWEEPS.send({ v: 1, kind: "kvs_retention", after: 42, upTo: null, now, poison: run });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: startedAt, cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    const due = inKvs.map(id);
    const checked = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM device_retention WHERE device_id LIKE ?1 AND checked_at >= ?2 AND status IN ('ok', 'increased')")
        .bind(`q5-${run}-%`, startedAt)
        .first<{ n: number }>())!.n;
    const dead = async () => (await listDeadLetters(getDb(env), { status: "dead" })).filter((d) => d.body.includes(run));
    const until = Date.now() + 150_000;
    while ((await checked()) < due.length || (await dead()).length === 0) {
      if (Date.now() > until) throw new Error(`timed out: ${await checked()} of ${due.length} checked, ${(await dead()).length} dead letters`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // Every camera: the due ones were checked now (new ones raised to 720 h), the rest still in order.
    const rows = (
      await env.DB.prepare(
        "SELECT status, COUNT(*) AS n, SUM(checked_at >= ?2) AS now_checked, MIN(target_hours) AS lo, MAX(target_hours) AS hi FROM device_retention WHERE device_id LIKE ?1 GROUP BY status",
      )
        .bind(`q5-${run}-%`, startedAt)
        .all<Json>()
    ).results;
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r]));
    expect(byStatus.increased).toMatchObject({ n: N / NEW_EVERY, now_checked: N / NEW_EVERY, lo: 720, hi: 720 });
    expect(byStatus.ok).toMatchObject({ n: N - N / NEW_EVERY, now_checked: N / NEW_EVERY, lo: 720, hi: 720 });
    expect(Object.keys(byStatus).sort()).toEqual(["increased", "ok"]);

    // What AWS saw (the stand-in's counts): only the due streams, once each, never throttled, and
    // never above the limits in any one-second window.
    const rates = (await (await fetch(`${AWS}/__standin/rates?prefix=q5-${run}-`)).json()) as Json;
    expect(rates.streams).toBe(due.length);
    // Describe each, Update the new ones. Other test files share the stand-in's account limit, so a
    // call of ours may be throttled by their traffic and retried: at least that many, a few more at
    // most. Broken pacing shows in the per-second maxima below (arrivals are logged before the
    // limit check, refused ones too).
    expect(rates.calls).toBeGreaterThanOrEqual(due.length + N / NEW_EVERY);
    expect(rates.calls).toBeLessThanOrEqual(due.length + N / NEW_EVERY + 25);
    expect(rates.streamMaxPerSecond).toBeLessThanOrEqual(5);
    expect(rates.accountMaxPerSecond.DescribeStream).toBeLessThanOrEqual(50);
    expect(rates.accountMaxPerSecond.UpdateDataRetention).toBeLessThanOrEqual(50);

    const [letter] = await dead();
    expect(letter).toMatchObject({ kind: "kvs_retention", status: "dead" });
    expect(JSON.parse(letter.body)).toMatchObject({ after: 42, poison: run });
  }, 180_000);
});
