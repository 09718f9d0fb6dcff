// `npm run bench`: request latency of the app's main pages on the real local Worker (wrangler dev,
// local D1/KV), printed as ratios against a bare Remix page measured in the same run: /dev/bare
// renders the root layout through Remix on the same Worker with no session, no D1 and no content
// (local/test mode only). Ratios, not milliseconds, are comparable across machines and loads; the
// paths are measured in interleaved rounds so a busy neighbour slows them all alike. Bounded: a fixed
// number of sequential requests to 127.0.0.1 only. BENCH_N sets the rounds (default 200).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { api, BASE, customerIp, demoCamera, loadAverage, ROOT, signIn, startProduct } from "./lib.mjs";
import fs from "node:fs";
import { runTool } from "../scripts/lib/run.mjs";

const N = Number(process.env.BENCH_N ?? 200);
const TARGET = 1.5; // issue #11: signed-in /account/devices at most 1.5× the bare page

const loadBefore = loadAverage();
const persistDir = path.join(ROOT, ".wrangler", "bench-state");
/** Smart search is measured over this many events of one customer (issue #13). */
const SEARCH_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const { stop } = await startProduct(persistDir);

/**
 * The timeline of a 30-day window (ADR 014) on demo camera 1 (720 h of footage), followed page by
 * page as the device page does: cold, every finished hour is listed from KVS once (paced at 5 TPS
 * per stream, 10 calls a page); warm, finished hours come from D1 and one page answers.
 */
async function timelineBench(cookie, device, persistDir) {
  // A 30-day history: owned for 31 days, the trial's entitlement widened to the longest plan's.
  execFileSync(
    "npx",
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      persistDir,
      "--command",
      `UPDATE device_ownerships SET started_at = started_at - ${31 * 86400_000} WHERE device_id = '${device.id}'; UPDATE entitlements SET quota = 30 WHERE device_id = '${device.id}'`,
    ],
    { cwd: ROOT, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  const end = Date.now();
  const all = async () => {
    let next = { start: new Date(end - 30 * 86400_000).toISOString(), end: new Date(end).toISOString() };
    let pages = 0;
    while (next) {
      const res = await fetch(`${BASE}/api/devices/${device.id}/timeline?start=${next.start}&end=${next.end}`, { headers: { Cookie: cookie } });
      if (res.status === 429) {
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!res.ok) throw new Error(`timeline: ${res.status} ${await res.text()}`);
      next = (await res.json()).next;
      pages++;
    }
    return pages;
  };
  const t0 = performance.now();
  const coldPages = await all();
  const cold = { ms: performance.now() - t0, pages: coldPages };
  const xs = [];
  let warmPages = 0;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    warmPages = await all();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { cold, warm: { pages: warmPages, p50: xs[10], p95: xs[18] } };
}

/**
 * One customer with a Standard plan on a demo camera owned for 8 days and SEARCH_EVENTS events
 * over the last 7 (every type, a description on each person), written straight into local D1 (the
 * FTS5 triggers index them as ingestion would).
 */
async function searchFixture(cookie) {
  const headers = { Cookie: cookie, "Content-Type": "application/json", Origin: "http://localhost:8787" };
  const act = await fetch(`${BASE}/api/devices/activate`, {
    method: "POST",
    headers,
    body: JSON.stringify(demoCamera(3)),
  });
  if (!act.ok) throw new Error(`activate: ${act.status} ${await act.text()}`);
  const { device } = await act.json();
  const { user } = await (await fetch(`${BASE}/api/auth/session`, { headers: { Cookie: cookie } })).json();
  const now = Date.now();
  const day = 86_400_000;
  const step = Math.floor((7 * day) / SEARCH_EVENTS);
  const q = (v) => `'${String(v).replace(/'/g, "''")}'`;
  const ent = (key, quota) =>
    `INSERT INTO entitlements (id, external_id, subscription_id, source, user_id, device_id, key, quota, sku, status, starts_at, expires_at, updated_at) VALUES (${[
      `bench-${key}`,
      `bench:${key}`,
      "sub_bench",
      "stripe",
      user.id,
      device.id,
      key,
    ]
      .map(q)
      .join(", ")}, ${quota ?? "NULL"}, 'aovis-cloud-storage-standard', 'ACTIVE', ${now - 8 * day}, ${now + 30 * day}, ${now});`;
  const sql = [
    `UPDATE device_ownerships SET started_at = ${now - 8 * day} WHERE device_id = ${q(device.id)} AND status = 'active';`,
    ent("cloud_playback", 7),
    ent("ai_summary", null),
    ent("smart_search", null),
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SEARCH_EVENTS})
     INSERT INTO camera_events (seq, id, device_id, type, at, received_at, confidence, labels, camera_labels, snapshot_status, description, description_status)
     SELECT (${now} - i * ${step}) * 1024 + (i % 1024), 'bench-' || i, ${q(device.id)},
       CASE i % 6 WHEN 0 THEN 'person' WHEN 1 THEN 'package' WHEN 2 THEN 'vehicle' WHEN 3 THEN 'animal' WHEN 4 THEN 'motion' ELSE 'sound' END,
       ${now} - i * ${step}, ${now} - i * ${step}, 0.9,
       CASE i % 6 WHEN 0 THEN 'person people human someone visitor' WHEN 1 THEN 'package parcel delivery box courier'
         WHEN 2 THEN 'vehicle car truck van motorbike' WHEN 3 THEN 'animal pet wildlife cat' WHEN 4 THEN 'motion movement moving' ELSE 'sound noise audio' END,
       CASE i % 6 WHEN 3 THEN 'cat' ELSE '' END, 'missing',
       CASE WHEN i % 6 = 0 THEN 'A person walks up to the front door' ELSE NULL END,
       CASE WHEN i % 6 = 0 THEN 'ready' ELSE 'skipped' END
     FROM n;`,
  ];
  const file = path.join(persistDir, "bench-events.sql");
  fs.writeFileSync(file, sql.join("\n"));
  await runTool("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", persistDir, `--file=${file}`], { capture: true });
  // The fixture is searchable: a full first page and a next one.
  const first = await (await fetch(`${BASE}/api/events/search?q=package`, { headers: { Cookie: cookie } })).json();
  if (first.results?.length !== 20 || !first.nextCursor) throw new Error(`search fixture not searchable: ${JSON.stringify(first).slice(0, 300)}`);
  return device.id;
}

try {
  // A customer with something on the page: two cameras (trial, history) and one open transfer offer.
  const { cookie } = await signIn("bench@example.com", customerIp(0));
  for (const n of [1, 2]) {
    const r = await api(cookie, "POST", "/api/devices/activate", demoCamera(n));
    if (r.status !== 200) throw new Error(`activate ${n}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const devices = (await api(cookie, "GET", "/api/devices")).json.devices;
  const offer = await api(cookie, "POST", `/api/devices/${devices[0].id}/transfers`, { toEmail: "friend@example.com", includeSim: false });
  if (offer.status !== 201) throw new Error(`offer: ${offer.status}`);

  const signedIn = { headers: { Cookie: cookie } };
  const paths = [
    { label: "bare Remix page /dev/bare (baseline)", url: "/dev/bare" },
    { label: "static asset /favicon.svg (no Worker code)", url: "/favicon.svg" },
    { label: "GET /store (D1 + SSR)", url: "/store" },
    { label: "GET /api/auth/session (session check)", url: "/api/auth/session", init: signedIn },
    { label: "signed-in GET /account/devices", url: "/account/devices", init: signedIn, target: true },
    { label: "signed-in GET /voice", url: "/voice", init: signedIn },
  ];
  const once = async (p) => {
    const t = performance.now();
    const res = await fetch(`${BASE}${p.url}`, { ...p.init, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p.url}: ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i++) for (const p of paths) await once(p); // warm-up
  const samples = paths.map(() => []);
  for (let i = 0; i < N; i++) for (const [k, p] of paths.entries()) samples[k].push(await once(p));
  const stats = samples.map((xs) => {
    xs.sort((a, b) => a - b);
    return { p50: xs[Math.floor(xs.length / 2)], p95: xs[Math.floor(xs.length * 0.95)] };
  });
  const base = stats[0].p50;
  console.log(`rounds: ${N} (each path once per round) · load average before: ${loadBefore}`);
  for (const [k, p] of paths.entries()) {
    const s = stats[k];
    console.log(`${p.label.padEnd(46)} p50 ×${(s.p50 / base).toFixed(2)}  p95 ×${(s.p95 / base).toFixed(2)}   (p50 ${s.p50.toFixed(1)} ms on this machine)`);
  }
  const devicesRatio = stats[paths.findIndex((p) => p.target)].p50 / base;
  console.log(`target: signed-in /account/devices p50 ≤ ${TARGET}× the bare page: ${devicesRatio <= TARGET ? "met" : "MISSED"} (×${devicesRatio.toFixed(2)})`);
  console.log(`load average after: ${loadAverage()}`);
  // Smart search (issue #13): a second customer with SEARCH_EVENTS events, as ratios to the bare
  // /account/search page (target ≤ 2×).
  const searcher = await signIn("bench-search@example.com", customerIp(1));
  const deviceId = await searchFixture(searcher.cookie);
  const searchInit = { headers: { Cookie: searcher.cookie } };
  const searchPaths = [
    { label: "GET /account/search (the bare page)", url: "/account/search", init: searchInit },
    { label: `GET /api/events/search?q=package (${SEARCH_EVENTS} events)`, url: "/api/events/search?q=package", init: searchInit },
    { label: "GET /api/events/search?q=person yesterday", url: `/api/events/search?${new URLSearchParams({ q: "person yesterday" })}`, init: searchInit },
    { label: "GET /api/events/search?q=cat&deviceId (one camera)", url: `/api/events/search?${new URLSearchParams({ q: "cat", deviceId })}`, init: searchInit },
    { label: "GET /account/search?q=package (page with results)", url: "/account/search?q=package", init: searchInit },
  ];
  for (let i = 0; i < 10; i++) for (const p of searchPaths) await once(p); // warm-up
  const searchSamples = searchPaths.map(() => []);
  for (let i = 0; i < N; i++) for (const [k, p] of searchPaths.entries()) searchSamples[k].push(await once(p));
  const searchStats = searchSamples.map((xs) => {
    xs.sort((a, b) => a - b);
    return { p50: xs[Math.floor(xs.length / 2)], p95: xs[Math.floor(xs.length * 0.95)] };
  });
  const bareSearch = searchStats[0].p50;
  console.log(`smart search as a ratio to the bare /account/search page (target ≤ 2×):`);
  for (const [k, p] of [...searchPaths.entries()].slice(1)) {
    const st = searchStats[k];
    console.log(`${p.label.padEnd(56)} p50 ×${(st.p50 / bareSearch).toFixed(2)}  p95 ×${(st.p95 / bareSearch).toFixed(2)}`);
  }
  // Open problem (issue #12 report): the cold pass has failed here with the Worker closing the
  // connection mid-way; the other paths are still measured and the failure is shown, not hidden.
  try {
    const tl = await timelineBench(cookie, devices[0], persistDir);
    console.log(`timeline, 30-day window, cold (${tl.cold.pages} pages)`.padEnd(48) + ` total ×${(tl.cold.ms / base).toFixed(1)}`);
    console.log(
      `timeline, 30-day window, warm (${tl.warm.pages} page(s))`.padEnd(48) +
        ` p50 ×${(tl.warm.p50 / base).toFixed(2)}  p95 ×${(tl.warm.p95 / base).toFixed(2)}`,
    );
  } catch (err) {
    console.log(`timeline, 30-day window: not measured (${err?.cause?.message ?? err?.message ?? err})`);
    process.exitCode = 1;
  }
} finally {
  stop();
}
