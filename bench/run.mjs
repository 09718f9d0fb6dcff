// `npm run bench`: request latency of the app's main paths on the real local Worker (wrangler dev,
// local D1/KV), printed as ratios against a baseline measured in the same run: a static asset
// served by Workers Assets (no Worker code). Ratios, not milliseconds, are comparable across
// machines. Bounded: a fixed number of sequential requests to 127.0.0.1 only.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASE = "http://127.0.0.1:8787";
const N = Number(process.env.BENCH_N ?? 200);
const persistDir = path.join(ROOT, ".wrangler", "bench-state");
fs.rmSync(persistDir, { recursive: true, force: true });

const server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
  cwd: ROOT,
  env: { ...process.env, AOVIS_PERSIST_DIR: persistDir },
  stdio: ["ignore", "ignore", "ignore"],
  detached: true,
});

async function waitUp() {
  for (let i = 0; i < 360; i++) {
    try {
      if ((await fetch(`${BASE}/`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not start");
}

async function time(label, make) {
  for (let i = 0; i < 20; i++) await (await make()).arrayBuffer(); // warm-up
  const xs = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const res = await make();
    await res.arrayBuffer();
    xs.push(performance.now() - t);
    if (!res.ok) throw new Error(`${label}: ${res.status}`);
  }
  xs.sort((a, b) => a - b);
  return { label, p50: xs[Math.floor(N / 2)], p95: xs[Math.floor(N * 0.95)] };
}

/**
 * The timeline of a 30-day window (ADR 014) on demo camera 1 (720 h of footage), followed page by
 * page as the device page does: cold, every finished hour is listed from KVS once (paced at 5 TPS
 * per stream, 10 calls a page); warm, finished hours come from D1 and one page answers.
 */
async function timelineBench(cookie) {
  const headers = { Cookie: cookie, Origin: "http://localhost:8787", "Content-Type": "application/json" };
  const act = await fetch(`${BASE}/api/devices/activate`, {
    method: "POST",
    headers,
    body: JSON.stringify({ serial: "N4K-000001", activationCode: "DEMO-0001" }),
  });
  const { device } = await act.json();
  if (!act.ok) throw new Error(`activate: ${act.status}`);
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
  await waitUp();
  // A session for the authenticated path (scripted sign-in through the Auth0 stand-in).
  const tok = await (
    await fetch("http://127.0.0.1:8790/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        username: "bench@example.com",
        password: "aovis-local-password",
        client_id: "aovis-local",
        scope: "openid profile email",
      }),
    })
  ).json();
  const signin = await fetch(`${BASE}/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "http://localhost:8787" },
    body: JSON.stringify({ id_token: tok.id_token }),
  });
  const cookie = signin.headers.get("set-cookie").split(";")[0];

  const results = [
    await time("static asset (baseline)", () => fetch(`${BASE}/favicon.svg`)),
    await time("GET /store (D1 + SSR)", () => fetch(`${BASE}/store`)),
    await time("GET /api/auth/session (KV + D1 session check)", () => fetch(`${BASE}/api/auth/session`, { headers: { Cookie: cookie } })),
    await time("GET /api/devices (authenticated D1 reads)", () => fetch(`${BASE}/api/devices`, { headers: { Cookie: cookie } })),
  ];
  const base = results[0].p50;
  console.log(`requests per path: ${N}`);
  for (const r of results) console.log(`${r.label.padEnd(48)} p50 ×${(r.p50 / base).toFixed(2)}  p95 ×${(r.p95 / base).toFixed(2)}`);
  // Open problem (issue #12 report): the cold pass has failed here with the Worker closing the
  // connection mid-way; the other paths are still measured and the failure is shown, not hidden.
  try {
    const tl = await timelineBench(cookie);
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
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
}
