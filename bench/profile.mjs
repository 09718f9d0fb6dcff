// `npm run bench:profile [path]`: where a page's Worker CPU goes beyond the bare page's (ADR 035).
// Starts the local product with a readable build (AOVIS_NO_MINIFY=1), signs in the bench customer
// (two cameras, one open offer), records a V8 CPU profile through wrangler dev's inspector while
// requesting the page and /dev/bare PROFILE_N times each, and prints the functions whose time per
// request differs most (inclusive, then self). Profiled times are inflated; compare, don't quote.
// Loopback only, bounded. Run it in its own network namespace when port 8787 is in use.
import path from "node:path";
import { WebSocket } from "ws";
import { api, BASE, customerIp, demoCamera, ROOT, signIn, startProduct } from "./lib.mjs";

const target = process.argv[2] ?? "/account/devices";
const N = Number(process.env.PROFILE_N ?? 300);
const TOP = Number(process.env.PROFILE_TOP ?? 40);
process.env.AOVIS_NO_MINIFY = "1";

const { stop } = await startProduct(path.join(ROOT, ".wrangler", "profile-state"));
try {
  const { cookie } = await signIn("bench@example.com", customerIp(0));
  for (const n of [1, 2]) await api(cookie, "POST", "/api/devices/activate", demoCamera(n));
  const devices = (await api(cookie, "GET", "/api/devices")).json.devices;
  await api(cookie, "POST", `/api/devices/${devices[0].id}/transfers`, { toEmail: "friend@example.com", includeSim: false });

  const [inspector] = await (await fetch("http://127.0.0.1:9229/json")).json();
  const ws = new WebSocket(inspector.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.on("open", resolve).on("error", reject));
  let seq = 0;
  const waiting = new Map();
  ws.on("message", (d) => {
    const m = JSON.parse(String(d));
    if (m.id && waiting.has(m.id)) waiting.get(m.id)(m.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      waiting.set(++seq, resolve);
      ws.send(JSON.stringify({ id: seq, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 50 });

  const profile = async (url) => {
    const get = async () => (await fetch(BASE + url, { headers: { Cookie: cookie }, redirect: "manual" })).arrayBuffer();
    for (let i = 0; i < 30; i++) await get();
    await send("Profiler.start");
    for (let i = 0; i < N; i++) await get();
    return (await send("Profiler.stop")).profile;
  };
  const page = perRequest(await profile(target));
  const bare = perRequest(await profile("/dev/bare"));
  ws.close();

  console.log(`CPU per request, ${target} minus /dev/bare (${N} requests each; profiled ms):`);
  console.log(`total ${(page.total - bare.total).toFixed(2)} ms (${page.total.toFixed(2)} vs ${bare.total.toFixed(2)})`);
  for (const kind of ["inclusive", "self"]) {
    const keys = new Set([...page[kind].keys(), ...bare[kind].keys()]);
    const rows = [...keys].map((k) => [k, (page[kind].get(k) ?? 0) - (bare[kind].get(k) ?? 0)]).sort((a, b) => b[1] - a[1]);
    console.log(`-- ${kind}`);
    for (const [k, ms] of rows.slice(0, TOP)) console.log(`${ms.toFixed(3).padStart(8)}  ${k}`);
  }
} finally {
  stop();
}

/** Milliseconds per request by function (name, file, line): inclusive and self. */
function perRequest(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const msPerSample = (p.endTime - p.startTime) / p.samples.length / 1000 / N;
  const name = (f) => `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
  const inclusive = new Map();
  const self = new Map();
  let total = 0;
  for (const id of p.samples) {
    total += msPerSample;
    const own = name(byId.get(id).callFrame);
    self.set(own, (self.get(own) ?? 0) + msPerSample);
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const k = name(byId.get(x).callFrame);
      if (seen.has(k)) continue; // a recursive function counts once per sample
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + msPerSample);
    }
  }
  return { inclusive, self, total };
}
