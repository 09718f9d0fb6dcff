import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Pacer } from "~/domain/call-pacing";
import { ALL_SWEEPS } from "~/jobs/sweeps.server";
import { depsFor } from "~/models/deps.server";
import { reconcileRetention, type ReconcileReport } from "~/models/kvs-retention.server";

// The kvs_retention sweep against the AWS stand-in. The stand-in is shared by every test file:
// faults are scoped to this file's own streams, and assertions only look at this file's devices
// (whatever else is in D1 is reconciled too, which only costs budget).

type Json = Record<string, any>;
const AWS = env.TEST_STANDIN_URLS.aws;
// The stand-in enforces KVS's 5 TPS per stream and 50 TPS per account (ADR 027), so the sweep is
// paced like the queue consumer paces it (40/s): 400 devices, ~750 calls, ~20 s.
const N = 400;
const BUDGET = 100;
const pacer = () => {
  const p = new Pacer({ perSecond: 40, perResourcePerSecond: 5, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
  return (stream: string) => p.take(stream);
};

async function control(path: string, body: unknown) {
  const res = await fetch(`${AWS}/__standin/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as Json;
}

async function streamState(name: string): Promise<Json> {
  const res = await fetch(`${AWS}/__standin/streams/${name}`);
  return res.status === 200 ? ((await res.json()) as Json) : { missing: true };
}

/** Inserts devices straight into D1 (like the factory would), 250 rows per statement. */
async function insertDevices(rows: { id: string; stream: string }[]) {
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 250) {
    const values = rows
      .slice(i, i + 250)
      .map((r) => `(${[r.id, r.stream, r.stream.toUpperCase(), "NEXA Prime 4K", "0".repeat(64), r.stream, r.stream].map(lit).join(", ")})`)
      .join(",\n");
    stmts.push(env.DB.prepare(`INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name) VALUES ${values}`));
  }
  await env.DB.batch(stmts);
}

describe("kvs_retention sweep", () => {
  it("is registered with the Cron Trigger", () => {
    expect(ALL_SWEEPS.map((s) => s.name)).toContain("kvs_retention");
  });

  it("400 devices with budget 100: all reconciled over several invocations, throttling retried, failures recorded, nothing ever decreased", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const devices = Array.from({ length: N }, (_, i) => ({ id: `rt-${run}-${String(i).padStart(4, "0")}`, stream: `rt-${run}-s${i}` }));
    const ABOVE = 7; // keeps 1000 h: a decrease would be needed, and must not happen
    const MISSING = 13; // no stream in KVS
    const BROKEN = 21; // 5xx on every attempt
    const THROTTLED = Array.from({ length: 10 }, (_, k) => 30 + k * 37); // throttled twice, then fine
    const AT_TARGET = (i: number) => i % 10 === 0;

    await insertDevices(devices);
    await control("streams", {
      streams: devices.map((d, i) => ({ name: d.stream, retentionHours: i === ABOVE ? 1000 : AT_TARGET(i) ? 720 : 24 })).filter((_, i) => i !== MISSING),
    });
    await control("faults", { error5xx: { count: 1000, stream: devices[BROKEN].stream } });
    for (const i of THROTTLED) await control("faults", { throttle: { count: 2, stream: devices[i].stream } });

    const startedAt = Date.now();
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    const reports: ReconcileReport[] = [];
    const mine = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM device_retention WHERE device_id LIKE ?1 AND checked_at >= ?2")
        .bind(`rt-${run}-%`, startedAt)
        .first<{ n: number }>())!.n;
    try {
      while ((await mine()) < N) {
        expect(reports.length, "invocations needed").toBeLessThan(40);
        const report = await reconcileRetention(depsFor(env), { budget: BUDGET, sleep, baseDelayMs: 1, now: Date.now(), pace: pacer() });
        expect(report.subrequests).toBeLessThanOrEqual(BUDGET);
        expect(report.checked).toBeGreaterThan(0);
        reports.push(report);
      }
    } finally {
      await control("faults", { clear: { stream: devices[BROKEN].stream } });
    }

    // ~2 calls per device that needs an increase: far more than one invocation's budget.
    expect(reports.length).toBeGreaterThanOrEqual(5);
    expect(
      reports.some((r) => r.wrapped === 1) ||
        (await env.DB.prepare("SELECT passes FROM cron_cursors WHERE name = 'kvs_retention'").first<{ passes: number }>())!.passes > 0,
    ).toBe(true);
    expect(sleeps.length).toBeGreaterThanOrEqual(THROTTLED.length * 2);

    const rows = (
      await env.DB.prepare(
        "SELECT device_id, status, retention_hours, target_hours, last_error FROM device_retention WHERE device_id LIKE ?1 ORDER BY device_id",
      )
        .bind(`rt-${run}-%`)
        .all<Json>()
    ).results;
    expect(rows).toHaveLength(N);
    const byIndex = (i: number) => rows[i];
    expect(byIndex(ABOVE)).toMatchObject({ status: "decrease_needed", retention_hours: 1000, target_hours: 720 });
    expect(byIndex(ABOVE).last_error).toMatch(/^decrease_needed/);
    expect(byIndex(MISSING)).toMatchObject({ status: "error", retention_hours: null });
    expect(byIndex(MISSING).last_error).toMatch(/^ResourceNotFoundException/);
    expect(byIndex(BROKEN)).toMatchObject({ status: "error" });
    expect(byIndex(BROKEN).last_error).toMatch(/^InternalFailure/);
    for (const i of THROTTLED) expect(byIndex(i), `throttled #${i}`).toMatchObject({ retention_hours: 720, last_error: null });
    // The last check wins: a device raised early in the run and checked again after the wrap is "ok".
    const expected = (i: number) => (i === ABOVE ? "decrease_needed" : i === MISSING || i === BROKEN ? "error" : AT_TARGET(i) ? "ok" : "ok|increased");
    expect(rows.map((r, i) => `${i}:${expected(i).split("|").includes(r.status) ? expected(i) : r.status}`)).toEqual(
      devices.map((_, i) => `${i}:${expected(i)}`),
    );
    expect(rows.filter((r) => r.status === "increased").length).toBeGreaterThan(0);

    // What KVS saw: every stream at 720 h except the one above target, and not a single DECREASE.
    const states: Json[] = [];
    for (let i = 0; i < N; i += 100) states.push(...(await Promise.all(devices.slice(i, i + 100).map((d) => streamState(d.stream)))));
    states.forEach((s, i) => {
      if (i === MISSING) return expect(s.missing).toBe(true);
      expect(s.stats.retentionOps.DECREASE_DATA_RETENTION, `stream #${i}`).toBeUndefined();
      expect(s.DataRetentionInHours, `stream #${i}`).toBe(i === ABOVE ? 1000 : i === BROKEN ? 24 : 720);
      expect(s.retentionChanges.length, `stream #${i}`).toBe(i === ABOVE || AT_TARGET(i) ? 0 : i === BROKEN ? 0 : 1);
    });
  }, 120_000);

  it("a small budget stops before a device it can't finish and the next invocation continues from the cursor", async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const devices = Array.from({ length: 6 }, (_, i) => ({ id: `rs-${run}-${i}`, stream: `rs-${run}-s${i}` }));
    await insertDevices(devices);
    await control("streams", { streams: devices.map((d) => ({ name: d.stream, retentionHours: 24 })) });
    const checked = async () =>
      (
        await env.DB.prepare("SELECT device_id FROM device_retention WHERE device_id LIKE ?1 ORDER BY device_id")
          .bind(`rs-${run}-%`)
          .all<{ device_id: string }>()
      ).results.map((r) => r.device_id);

    // Start just before this test's devices (ids sort together), so the walk reaches them at once.
    await env.DB.prepare(
      "INSERT INTO cron_cursors (name, cursor, passes, updated_at) VALUES ('kvs_retention', ?1, 0, ?2) ON CONFLICT(name) DO UPDATE SET cursor = excluded.cursor",
    )
      .bind(`rs-${run}-`, Date.now())
      .run();
    // Each device needs 2 calls; with a budget of 5 no invocation may start a 3rd device.
    const first = await reconcileRetention(depsFor(env), { budget: 5, sleep: async () => {}, now: Date.now() });
    expect(first).toMatchObject({ checked: 2, increased: 2, subrequests: 4, cursor: `rs-${run}-1` });
    expect(await checked()).toEqual([`rs-${run}-0`, `rs-${run}-1`]);
    let spins = 0;
    while ((await checked()).length < devices.length) {
      expect(++spins).toBeLessThan(2000);
      const r = await reconcileRetention(depsFor(env), { budget: 5, sleep: async () => {}, now: Date.now() });
      expect(r.subrequests).toBeLessThanOrEqual(5);
      expect(r.checked).toBeLessThanOrEqual(2);
    }
    for (const d of devices) expect((await streamState(d.stream)).DataRetentionInHours).toBe(720);
  }, 120_000);
});
