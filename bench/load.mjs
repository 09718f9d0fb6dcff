// `npm run bench:load`: the product under concurrent load on this machine (wrangler dev, local D1/KV,
// its own state in .wrangler/bench-load-state), loopback only and bounded in time:
// 1. autocannon on GET /store and on a signed-in GET /account/devices (BENCH_LOAD_CONNECTIONS, default
//    200, for BENCH_LOAD_SECONDS, default 60): req/s, p50/p99, errors and timeouts (10 s); first on a
//    static asset, which no code of ours serves, for the dev server's own ceiling on this machine;
// 2. a mixed workload through the API (BENCH_MIXED_USERS customers, default 40, for BENCH_MIXED_SECONDS,
//    default 30, on BENCH_MIXED_DEVICES cameras, default 12): activations, unbinds, transfer offers and
//    acceptances racing each other. That flow crosses users (one offers, another accepts), which
//    autocannon's per-connection request loop can't express, so it is a small fetch driver;
// 3. then, with the server stopped, the invariants read from the local D1: one active owner, one
//    trial and one open offer per camera, and no lost write (every 2xx has its rows, counts agree).
// Exits 1 when a target of issue #11 is missed: errors or timeouts, or a broken invariant.
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { hashActivationCode } from "../app/domain/activation-code.ts";
import { parseDotenv } from "../scripts/lib/dotenv.mjs";
import { prepareLocalDb } from "../scripts/local-db.mjs";
import { runTool } from "../scripts/lib/run.mjs";
import { api, BASE, customerIp, demoCamera, loadAverage, ROOT, signIn, startProduct, waitDown } from "./lib.mjs";

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const CONNECTIONS = num("BENCH_LOAD_CONNECTIONS", 200);
const SECONDS = num("BENCH_LOAD_SECONDS", 60);
const MIXED_USERS = num("BENCH_MIXED_USERS", 40);
const MIXED_SECONDS = num("BENCH_MIXED_SECONDS", 30);
const MIXED_DEVICES = num("BENCH_MIXED_DEVICES", 12);
const TIMEOUT_S = 10;

const persistDir = path.join(ROOT, ".wrangler", "bench-load-state");
const d1Args = ["--local", "--persist-to", persistDir];
const lit = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

/** Runs SQL (one or more statements) against the bench's local D1; one row list per statement. */
async function d1(sql) {
  const { stdout } = await runTool("wrangler", ["d1", "execute", "DB", ...d1Args, "--json", "--command", sql], { capture: true });
  const parsed = JSON.parse(stdout);
  return (Array.isArray(parsed) ? parsed : [parsed]).map((r) => {
    if (!r.success) throw new Error(`D1: ${JSON.stringify(r).slice(0, 300)}`);
    return r.results ?? [];
  });
}

const failures = [];
const report = (label, r, { target = true } = {}) => {
  const line = `${label.padEnd(34)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${String(Math.round(r.p50)).padStart(5)} ms  p99 ${String(Math.round(r.p99)).padStart(5)} ms  errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}  (${r.total} requests)`;
  console.log(line);
  if (target && (r.errors > 0 || r.timeouts > 0)) failures.push(`${label}: ${r.errors} errors, ${r.timeouts} timeouts`);
};

async function cannon(urlPath, headers = {}) {
  await settle();
  const r = await autocannon({ url: `${BASE}${urlPath}`, connections: CONNECTIONS, duration: SECONDS, timeout: TIMEOUT_S, headers });
  return {
    rps: r.requests.total / SECONDS,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors - r.timeouts,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

/** Waits (up to 60 s) until the server answers a static asset within a second: requests a timed-out client left behind are done. */
async function settle() {
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const ok = await fetch(`${BASE}/favicon.svg`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.arrayBuffer().then(() => r.ok),
      () => false,
    );
    if (ok && performance.now() - t < 1000) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ── Local state: migrations, demo data, and the mixed workload's cameras (before the server opens the D1) ──
fs.rmSync(persistDir, { recursive: true, force: true });
process.env.AOVIS_PERSIST_DIR = persistDir;
if (!fs.existsSync(path.join(ROOT, ".dev.vars"))) fs.copyFileSync(path.join(ROOT, ".dev.vars.example"), path.join(ROOT, ".dev.vars"));
await prepareLocalDb();
const pepper = parseDotenv(fs.readFileSync(path.join(ROOT, ".dev.vars"), "utf8")).ACTIVATION_CODE_PEPPER;
const pool = [3, 4, 5].map(demoCamera);
/** The demo cameras' ids are app/db/seed.ts's; the bench's own carry theirs. */
const deviceIdOf = (c) => c.id ?? `d0000000-0000-4000-8000-${c.serial.slice(4).padStart(12, "0")}`;
for (let n = 1; pool.length < MIXED_DEVICES; n++) {
  const six = String(n).padStart(6, "0");
  pool.push({ serial: `BNC-${six}`, activationCode: `LOAD-${six}`, id: `b0000000-0000-4000-8000-${String(n).padStart(12, "0")}` });
}
const inserts = [];
for (const c of pool.filter((c) => c.id)) {
  const aovisId = `aovis-bnc-${c.serial.slice(4)}`;
  inserts.push(
    `INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name, iccid) VALUES (${[
      c.id,
      aovisId,
      c.serial,
      "NEXA Prime 4K",
      await hashActivationCode(pepper, c.activationCode),
      aovisId,
      aovisId,
      `8901990000000${c.serial.slice(4)}`,
    ]
      .map(lit)
      .join(", ")});`,
  );
}
if (inserts.length) await d1(inserts.join("\n"));

const loadBefore = loadAverage();
const started = await startProduct(persistDir, { fresh: false });
let mixed;
try {
  console.log(`${CONNECTIONS} connections × ${SECONDS} s per page · load average before: ${loadBefore}`);
  // What the local dev server itself serves at this concurrency (wrangler's proxy and asset worker,
  // no Worker code of ours): the ceiling the pages below are measured against, not a target.
  report("static /favicon.svg (dev server)", await cannon("/favicon.svg"), { target: false });
  report("GET /store", await cannon("/store"));

  // The signed-in page as the bench user sees it: two cameras (trial, history) and an open offer.
  const bench = await signIn("bench@example.com", customerIp(0));
  for (const n of [1, 2]) {
    const r = await api(bench.cookie, "POST", "/api/devices/activate", demoCamera(n));
    if (r.status !== 200) throw new Error(`activate ${n}: ${r.status}`);
  }
  const own = (await api(bench.cookie, "GET", "/api/devices")).json.devices;
  await api(bench.cookie, "POST", `/api/devices/${own[0].id}/transfers`, { toEmail: "friend@example.com", includeSim: false });
  report("signed-in GET /account/devices", await cannon("/account/devices", { Cookie: bench.cookie }));

  await settle();
  mixed = await mixedWorkload();
  report(`mixed API workload (${MIXED_USERS} users)`, mixed.stats);
  console.log(
    `  2xx: ${mixed.ok.activate.length} activations, ${mixed.ok.unbind.length} unbinds, ${mixed.ok.offer.length} offers, ${mixed.ok.accept.length} acceptances; ${mixed.refused} refused (4xx: owned, raced, not open)`,
  );
} finally {
  started.stop();
}
await waitDown();
// What the clients saw, next to the D1 they saw it change, for looking into a broken invariant.
if (mixed) fs.writeFileSync(path.join(persistDir, "mixed-responses.json"), JSON.stringify(mixed.ok, null, 1));
const broken = await checkInvariants(mixed);
console.log(broken.length === 0 ? "invariants: all hold" : `invariants BROKEN:\n  ${broken.join("\n  ")}`);
failures.push(...broken);
console.log(`load average after: ${loadAverage()}`);
if (failures.length) {
  console.log(`targets missed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}

// ── The mixed workload ──
async function mixedWorkload() {
  const users = [];
  for (let i = 0; i < MIXED_USERS; i++) {
    const email = `mixed-${i}@example.com`;
    const ip = customerIp(i + 1);
    const { cookie, user } = await signIn(email, ip);
    users.push({ i, email, ip, cookie, id: user.id, mine: new Set() });
  }
  const offersFor = new Map(users.map((u) => [u.email, []])); // recipient → open offers we know of
  const ok = { activate: [], unbind: [], offer: [], accept: [] };
  const latencies = [];
  let errors = 0;
  let timeouts = 0;
  let refused = 0;
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

  const call = async (u, method, urlPath, body) => {
    const t = performance.now();
    try {
      const r = await fetch(`${BASE}${urlPath}`, {
        method,
        headers: { Cookie: u.cookie, Origin: "http://localhost:8787", "CF-Connecting-IP": u.ip, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_S * 1000),
      });
      const json = await r.json().catch(() => null);
      latencies.push(performance.now() - t);
      if (r.status >= 500) errors++;
      else if (r.status >= 400) refused++;
      return { status: r.status, json };
    } catch (err) {
      latencies.push(performance.now() - t);
      if (err?.name === "TimeoutError") timeouts++;
      else errors++;
      return { status: 0, json: null };
    }
  };

  const step = async (u) => {
    const offers = offersFor.get(u.email);
    if (offers.length > 0 && Math.random() < 0.8) {
      const offer = offers.splice(Math.floor(Math.random() * offers.length), 1)[0];
      const r = await call(u, "POST", `/api/device-transfers/${encodeURIComponent(offer.token)}/accept`);
      if (r.status === 200) {
        ok.accept.push({ userId: u.id, deviceId: r.json.deviceId, transferId: offer.transferId, fromUserId: offer.fromUserId });
        u.mine.add(r.json.deviceId);
        users.find((x) => x.id === offer.fromUserId)?.mine.delete(r.json.deviceId);
      }
      return;
    }
    const mine = [...u.mine];
    const roll = Math.random();
    if (mine.length === 0 || roll < 0.45) {
      const cam = pick(pool);
      // Only this user's own calls and acceptances make a camera theirs, so `mine` is right here.
      const had = u.mine.has(deviceIdOf(cam));
      const r = await call(u, "POST", "/api/devices/activate", { serial: cam.serial, activationCode: cam.activationCode });
      if (r.status === 200) {
        // The API doesn't say "repeated"; a repeat answers with the ownership it already had, which
        // may have begun with an activation or with an accepted transfer (then no device_activated row).
        const at = r.json.device.ownedSince;
        const repeated = had || ok.activate.some((a) => a.userId === u.id && a.deviceId === r.json.device.id && a.at === at);
        ok.activate.push({ userId: u.id, deviceId: r.json.device.id, repeated, trial: r.json.trial, at });
        u.mine.add(r.json.device.id);
      }
    } else if (roll < 0.7) {
      const deviceId = pick(mine);
      const r = await call(u, "POST", `/api/devices/${deviceId}/unbind`);
      if (r.status === 200) ok.unbind.push({ userId: u.id, deviceId });
      if (r.status === 200 || r.status === 403 || r.status === 404) u.mine.delete(deviceId); // removed, or it was no longer ours
    } else {
      const deviceId = pick(mine);
      const to = pick(users.filter((x) => x !== u));
      const r = await call(u, "POST", `/api/devices/${deviceId}/transfers`, { toEmail: to.email, includeSim: Math.random() < 0.5 });
      if (r.status === 201) {
        ok.offer.push({ userId: u.id, deviceId, transferId: r.json.transfer.id });
        offersFor.get(to.email).push({ token: r.json.token, transferId: r.json.transfer.id, fromUserId: u.id, deviceId });
      } else if (r.status === 403 || r.status === 404) u.mine.delete(deviceId);
    }
  };

  const t0 = performance.now();
  const deadline = t0 + MIXED_SECONDS * 1000;
  await Promise.all(
    users.map(async (u) => {
      while (performance.now() < deadline) await step(u);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    ok,
    refused,
    stats: { rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors, timeouts, non2xx: refused + errors, total: latencies.length },
  };
}

// ── Invariants, from the local D1 with the server stopped ──
async function checkInvariants(m) {
  const broken = [];
  const ids = pool.map(deviceIdOf);
  const inPool = `(${ids.map(lit).join(", ")})`;
  const [twoOwners, twoTrials, twoTrialSubs, twoOffers, ownerships, audits, transfers, trials] = await d1(
    [
      `SELECT device_id, COUNT(*) AS n FROM device_ownerships WHERE status = 'active' GROUP BY device_id HAVING n > 1`,
      `SELECT device_id, COUNT(*) AS n FROM audit_log WHERE event = 'trial_granted' GROUP BY device_id HAVING n > 1`,
      `SELECT device_id, COUNT(*) AS n FROM subscriptions WHERE source = 'trial' GROUP BY device_id HAVING n > 1`,
      `SELECT device_id, COUNT(*) AS n FROM device_transfers WHERE status = 'offered' GROUP BY device_id HAVING n > 1`,
      `SELECT id, device_id, user_id, status, started_at, end_reason FROM device_ownerships WHERE device_id IN ${inPool}`,
      `SELECT event, actor_user_id, device_id, subject_id, at FROM audit_log WHERE device_id IN ${inPool} AND event IN ('device_activated', 'trial_granted', 'device_unbound', 'transfer_offered', 'transfer_accepted')`,
      `SELECT id, device_id, from_user_id, status, accepted_by_user_id FROM device_transfers WHERE device_id IN ${inPool}`,
      `SELECT device_id, user_id FROM device_trials WHERE device_id IN ${inPool}`,
    ].join(";\n"),
  );
  if (twoOwners.length) broken.push(`devices with more than one active owner: ${JSON.stringify(twoOwners)}`);
  if (twoTrials.length || twoTrialSubs.length) broken.push(`devices with more than one trial: ${JSON.stringify([...twoTrials, ...twoTrialSubs])}`);
  if (twoOffers.length) broken.push(`devices with more than one open offer: ${JSON.stringify(twoOffers)}`);
  if (!m) return [...broken, "the mixed workload did not run"];

  // Every 2xx has its rows; with no errors or timeouts every row has its 2xx too (counts agree).
  const exact = m.stats.errors === 0 && m.stats.timeouts === 0;
  const count = (event) => audits.filter((a) => a.event === event).length;
  const agree = (what, responses, rows) => {
    if (exact ? responses !== rows : responses > rows) broken.push(`${what}: ${responses} 2xx responses but ${rows} rows`);
  };
  const activations = m.ok.activate.filter((a) => !a.repeated);
  for (const a of activations) {
    if (!ownerships.some((o) => o.device_id === a.deviceId && o.user_id === a.userId && o.started_at === a.at))
      broken.push(`lost write: activation of ${a.deviceId} by ${a.userId} at ${a.at} has no ownership row`);
    if (!audits.some((x) => x.event === "device_activated" && x.device_id === a.deviceId && x.actor_user_id === a.userId && x.at === a.at))
      broken.push(`lost write: activation of ${a.deviceId} by ${a.userId} has no device_activated audit row`);
  }
  agree("activations / device_activated rows", activations.length, count("device_activated"));
  agree("granted trials / trial_granted rows", m.ok.activate.filter((a) => a.trial === "granted" && !a.repeated).length, count("trial_granted"));
  agree("granted trials / device_trials rows", m.ok.activate.filter((a) => a.trial === "granted" && !a.repeated).length, trials.length);
  for (const u of m.ok.unbind) {
    if (!ownerships.some((o) => o.device_id === u.deviceId && o.user_id === u.userId && o.end_reason === "unbound"))
      broken.push(`lost write: unbind of ${u.deviceId} by ${u.userId} left no ended ownership`);
  }
  agree("unbinds / device_unbound rows", m.ok.unbind.length, count("device_unbound"));
  for (const o of m.ok.offer) {
    if (!transfers.some((t) => t.id === o.transferId && t.device_id === o.deviceId && t.from_user_id === o.userId))
      broken.push(`lost write: offer ${o.transferId} has no transfer row`);
  }
  agree("offers / transfer_offered rows", m.ok.offer.length, count("transfer_offered"));
  agree("offers / transfer rows", m.ok.offer.length, transfers.length);
  for (const a of m.ok.accept) {
    if (!transfers.some((t) => t.id === a.transferId && t.status === "accepted" && t.accepted_by_user_id === a.userId))
      broken.push(`lost write: acceptance of ${a.transferId} by ${a.userId} is not recorded on the offer`);
    if (!ownerships.some((o) => o.device_id === a.deviceId && o.user_id === a.userId))
      broken.push(`lost write: acceptance of ${a.transferId} gave ${a.userId} no ownership row`);
  }
  agree("acceptances / transfer_accepted rows", m.ok.accept.length, count("transfer_accepted"));
  agree("activations + acceptances / ownership rows", activations.length + m.ok.accept.length, ownerships.length);
  return broken;
}
