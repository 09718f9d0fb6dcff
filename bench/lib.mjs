// Shared by `npm run bench` and `npm run bench:load`: the product started like `npm start` on its own
// local state, and scripted sign-in through the Auth0 stand-in. Loopback only.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BASE = "http://127.0.0.1:8787";
export const ORIGIN = "http://localhost:8787";
const AUTH0 = "http://127.0.0.1:8790";
const PASSWORD = "aovis-local-password";

/** Starts scripts/start.mjs on its own persist dir (emptied first unless `fresh: false`); resolves once the app answers. Call `stop()` after. */
export async function startProduct(persistDir, { fresh = true } = {}) {
  if (fresh) fs.rmSync(persistDir, { recursive: true, force: true });
  const server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    // Without npm start's demo events burst, which would run beside the first measurements.
    env: { ...process.env, AOVIS_PERSIST_DIR: persistDir, AOVIS_DEMO_EVENTS: "off" },
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 360; i++) {
    try {
      if ((await fetch(`${BASE}/`)).ok) return { stop, pid: server.pid };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error("server did not start");
}

/** Waits until nothing answers on the app port any more (the next run can bind it). */
export async function waitDown() {
  for (let i = 0; i < 60; i++) {
    try {
      await fetch(`${BASE}/`, { signal: AbortSignal.timeout(500) });
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A documentation-range address per customer (198.51.100.0/24), so the per-IP sign-in limit sees separate customers. */
export const customerIp = (n) => `198.51.100.${(n % 254) + 1}`;

/** Scripted sign-in (password grant → POST /auth/session); returns { cookie, user }. */
export async function signIn(email, ip) {
  const grant = await fetch(`${AUTH0}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD, client_id: "aovis-local", scope: "openid profile email" }),
  });
  if (!grant.ok) throw new Error(`password grant for ${email}: ${grant.status} ${await grant.text()}`);
  const { id_token } = await grant.json();
  const res = await fetch(`${BASE}/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: ORIGIN, "CF-Connecting-IP": ip },
    body: JSON.stringify({ id_token }),
  });
  if (!res.ok) throw new Error(`sign-in for ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  return { cookie, user: (await res.json()).user };
}

/** A JSON API call as a signed-in browser on our origin would make it. */
export async function api(cookie, method, urlPath, body, { timeoutMs = 10_000, ip = customerIp(0) } = {}) {
  const res = await fetch(`${BASE}${urlPath}`, {
    method,
    headers: { Cookie: cookie, Origin: ORIGIN, "CF-Connecting-IP": ip, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (an HTML error page): keep null
  }
  return { status: res.status, json };
}

/** The demo cameras `npm start` loads (app/db/seed.ts): serials N4K-000001… with codes DEMO-0001… */
export const demoCamera = (n) => ({ serial: `N4K-${String(n).padStart(6, "0")}`, activationCode: `DEMO-${String(n).padStart(4, "0")}` });

export function loadAverage() {
  try {
    return fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}
