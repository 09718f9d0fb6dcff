// `npm run bench`: request latency of the app's main pages on the real local Worker (wrangler dev,
// local D1/KV), printed as ratios against a bare Remix page measured in the same run: /dev/bare
// renders the root layout through Remix on the same Worker with no session, no D1 and no content
// (local/test mode only). Ratios, not milliseconds, are comparable across machines and loads; the
// paths are measured in interleaved rounds so a busy neighbour slows them all alike. Bounded: a fixed
// number of sequential requests to 127.0.0.1 only. BENCH_N sets the rounds (default 200).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { api, BASE, customerIp, demoCamera, loadAverage, ROOT, signIn, startProduct } from "./lib.mjs";

const N = Number(process.env.BENCH_N ?? 200);
const TARGET = 1.5; // issue #11: signed-in /account/devices at most 1.5× the bare page

const loadBefore = loadAverage();
const persistDir = path.join(ROOT, ".wrangler", "bench-state");
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
