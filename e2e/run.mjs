// `npm run test:e2e`: starts the product exactly as `npm start` does, waits for it, runs every
// journey in e2e/journeys/ (sorted by name) in headless Chromium, and stops everything.
// Screenshots go to e2e/artifacts/ (git-ignored). Exit code is the number of failed journeys (>0 → 1).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BASE_URL, ROOT, launchBrowser } from "./lib.mjs";

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${url}`);
}

/** Waits until `file` has a line matching `re` (gives up quietly after `timeoutMs`). */
async function waitForLine(file, re, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !re.test(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "")) await new Promise((r) => setTimeout(r, 500));
}

const only = process.argv[2];
let server = null;
// The journeys run against their own, freshly created local state (never the developer's data,
// and the same starting point on every run).
const persistDir = path.join(ROOT, ".wrangler", "e2e-state");
if (!process.env.E2E_BASE_URL) {
  fs.rmSync(persistDir, { recursive: true, force: true });
  server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, SKIP_BUILD: process.env.E2E_SKIP_BUILD ?? "", AOVIS_PERSIST_DIR: persistDir },
    stdio: ["ignore", fs.openSync(path.join(ROOT, "e2e-server.log"), "w"), fs.openSync(path.join(ROOT, "e2e-server.log"), "a")],
    detached: true,
  });
}

let failed = 0;
let passed = 0;
let browser;
try {
  await waitFor(`${BASE_URL}/`, 180_000);
  await waitFor(`http://127.0.0.1:8790/__standin/health`, 10_000);
  // Once it serves, npm start publishes the demo cameras' day of events: journeys start after that burst.
  if (server) await waitForLine(path.join(ROOT, "e2e-server.log"), /demo events/, 90_000);
  browser = await launchBrowser();
  const files = fs
    .readdirSync(path.join(ROOT, "e2e/journeys"))
    .filter((f) => f.endsWith(".mjs") && (!only || f.includes(only)))
    .sort();
  for (const [i, f] of files.entries()) {
    const started = Date.now();
    const mod = await import(pathToFileURL(path.join(ROOT, "e2e/journeys", f)).href);
    // Each journey is a visitor of its own (a documentation address, as Cloudflare's CF-Connecting-IP
    // would name it): the per-address sign-in cap (10 a minute) is one person's, not the whole suite's.
    const visitor = { "CF-Connecting-IP": `198.51.100.${i + 1}` };
    const own = {
      newContext: (options = {}) => browser.newContext({ ...options, extraHTTPHeaders: { ...visitor, ...options.extraHTTPHeaders } }),
      version: () => browser.version(),
    };
    const context = await own.newContext({ locale: "en-US" });
    try {
      await mod.default({ browser: own, context, baseUrl: BASE_URL });
      passed++;
      console.log(`✓ ${f} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(
        `✗ ${f}\n  ${String(err?.stack ?? err)
          .split("\n")
          .slice(0, 8)
          .join("\n  ")}`,
      );
    } finally {
      await context.close();
    }
  }
} catch (err) {
  failed++;
  console.log(`✗ e2e harness: ${err}`);
} finally {
  await browser?.close();
  if (server) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (failed > 0) console.log("server log: e2e-server.log");
process.exit(failed > 0 ? 1 : 0);
