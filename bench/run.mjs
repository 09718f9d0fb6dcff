// `npm run bench`: request latency of the app's main paths on the real local Worker (wrangler dev,
// local D1/KV), printed as ratios against a baseline measured in the same run: a static asset
// served by Workers Assets (no Worker code). Ratios, not milliseconds, are comparable across
// machines. Bounded: a fixed number of sequential requests to 127.0.0.1 only.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../scripts/lib/run.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASE = "http://127.0.0.1:8787";
const N = Number(process.env.BENCH_N ?? 200);
const persistDir = path.join(ROOT, ".wrangler", "bench-state");
/** Smart search is measured over this many events of one customer (issue #13). */
const SEARCH_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
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
 * One customer with a Standard plan on a demo camera owned for 8 days and SEARCH_EVENTS events
 * over the last 7 (every type, a description on each person), written straight into local D1 (the
 * FTS5 triggers index them as ingestion would).
 */
async function searchFixture(cookie) {
  const headers = { Cookie: cookie, "Content-Type": "application/json", Origin: "http://localhost:8787" };
  const act = await fetch(`${BASE}/api/devices/activate`, {
    method: "POST",
    headers,
    body: JSON.stringify({ serial: "N4K-000001", activationCode: "DEMO-0001" }),
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
      .join(", ")}, ${quota ?? "NULL"}, 'aovis-cloud-standard', 'ACTIVE', ${now - 8 * day}, ${now + 30 * day}, ${now});`;
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
  const deviceId = await searchFixture(cookie);

  const results = [
    await time("static asset (baseline)", () => fetch(`${BASE}/favicon.svg`)),
    await time("GET /store (D1 + SSR)", () => fetch(`${BASE}/store`)),
    await time("GET /api/auth/session (KV + D1 session check)", () => fetch(`${BASE}/api/auth/session`, { headers: { Cookie: cookie } })),
    await time("GET /api/devices (authenticated D1 reads)", () => fetch(`${BASE}/api/devices`, { headers: { Cookie: cookie } })),
  ];
  const page = (q) => () => fetch(`${BASE}/account/search${q ? `?${new URLSearchParams(q)}` : ""}`, { headers: { Cookie: cookie } });
  const api = (q) => () => fetch(`${BASE}/api/events/search?${new URLSearchParams(q)}`, { headers: { Cookie: cookie } });
  const search = [
    await time("GET /account/search (the bare page)", page(null)),
    await time(`GET /api/events/search?q=package (${SEARCH_EVENTS} events)`, api({ q: "package" })),
    await time(`GET /api/events/search?q=person yesterday`, api({ q: "person yesterday" })),
    await time(`GET /api/events/search?q=cat&deviceId (one camera)`, api({ q: "cat", deviceId })),
    await time(`GET /account/search?q=package (page with results)`, page({ q: "package" })),
  ];
  const base = results[0].p50;
  console.log(`requests per path: ${N}`);
  for (const r of [...results, ...search]) console.log(`${r.label.padEnd(56)} p50 ×${(r.p50 / base).toFixed(2)}  p95 ×${(r.p95 / base).toFixed(2)}`);
  // Issue #13: search over one customer's events costs at most twice the bare search page.
  const bare = search[0].p50;
  console.log(`\nsmart search as a ratio to the bare /account/search page (target ≤ 2×):`);
  for (const r of search.slice(1)) console.log(`${r.label.padEnd(56)} p50 ×${(r.p50 / bare).toFixed(2)}  p95 ×${(r.p95 / bare).toFixed(2)}`);
} finally {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
}
