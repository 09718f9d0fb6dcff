// Checks what a newcomer sees: `npm start` on a fresh clone prints at most MAX_LINES lines until it
// serves, names the local URL (localhost, the origin sign-in and CSRF checks expect), the demo
// sign-in and the demo activation codes, and really serves; and a step that fails still shows why.
//   node scripts/check-start-output.mjs        (npm run check:start; CI runs it)
// "Fresh clone": the working tree's files (tracked and untracked, not ignored: no .dev.vars, no
// .wrangler, no build) copied to a temporary directory with node_modules linked, on free ports, so
// it never touches your local state or a running `npm start`. Exit code 0 = all good.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./lib/run.mjs";

const MAX_LINES = 30;
const END_OF_ANNOUNCEMENT = "Requests and app log lines follow.";

const failures = [];
function check(cond, message, detail = "") {
  if (cond) console.log(`  ✓ ${message}`);
  else {
    failures.push(message);
    console.log(`  ✗ ${message}${detail ? `\n${String(detail).replace(/^/gm, "      ")}` : ""}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function freshCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aovis-start-check-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * Runs `npm start` in `dir` until `until(output)` is true, it exits, or `timeoutMs`; then stops its
 * whole process group (npm, the script, wrangler, workerd) and resolves with what it printed.
 */
function runStart(dir, env, { until, timeoutMs }) {
  return new Promise((resolve) => {
    // Without the npm_* variables of an outer `npm run` (e.g. -s would hide npm's own header lines).
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
    const child = spawn("npm", ["start"], { cwd: dir, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    let exitCode = null;
    let settled = false;
    const finish = (reason) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ output, exitCode, reason, stop: () => stopGroup(child) });
    };
    const onData = (d) => {
      output += d;
      if (until(output)) finish("matched");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      exitCode = code;
      // Let the pipes drain first: the last lines often explain the exit.
      setTimeout(() => finish("exited"), 200);
    });
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
  });
}

function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      try {
        process.kill(-child.pid, "SIGTERM"); // whatever it left running in its group
      } catch {
        // already gone
      }
      return resolve();
    }
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

const dir = freshCopy();
const ports = {
  PORT: await freePort(),
  AUTH0_STANDIN_PORT: await freePort(),
  STRIPE_STANDIN_PORT: await freePort(),
  AWS_STANDIN_PORT: await freePort(),
  ELEVENLABS_STANDIN_PORT: await freePort(),
  MAIL_STANDIN_PORT: await freePort(),
};
const env = Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)]));
const url = `http://localhost:${ports.PORT}`;
try {
  console.log(`npm start on a fresh copy in ${dir} (app on :${ports.PORT})`);
  const run = await runStart(dir, env, { until: (out) => out.includes(END_OF_ANNOUNCEMENT), timeoutMs: 300_000 });
  const lines = run.output.replace(/\n$/, "").split("\n");
  const upTo = lines.findIndex((l) => l.includes(END_OF_ANNOUNCEMENT));
  const startup = upTo === -1 ? lines : lines.slice(0, upTo + 1);
  check(run.reason === "matched", "it says it is ready", run.output);
  if (run.reason === "matched") {
    console.log(startup.map((l) => `    │ ${l}`).join("\n"));
    check(startup.length <= MAX_LINES, `at most ${MAX_LINES} lines until it serves (${startup.length})`, startup.join("\n"));
    const text = startup.join("\n");
    check(text.includes(url) && !text.includes("127.0.0.1"), `names ${url} (not 127.0.0.1)`, text);
    check(/@example\.com/.test(text) && text.includes("aovis-local-password"), "names the demo sign-in (any @example.com address, scripted password)", text);
    check(/DEMO-0001/.test(text) && /DEMO-0005/.test(text), "names the demo activation codes", text);
    const res = await fetch(`${url}/store`).catch((err) => ({ status: String(err) }));
    check(res.status === 200, `GET ${url}/store → 200 (${res.status})`);
  }
  await run.stop();

  // A failing step must show its tool's own words: wrangler dev on a port that is taken.
  // Fresh ports: the first run's processes may still be letting go of theirs.
  console.log("npm start with the app port already taken");
  const again = {};
  for (const k of Object.keys(ports)) again[k] = String(await freePort());
  const blocker = net.createServer().listen(Number(again.PORT), "127.0.0.1");
  await new Promise((r, j) => blocker.once("listening", r).once("error", j));
  const failed = await runStart(dir, { ...env, ...again, SKIP_BUILD: "1" }, { until: () => false, timeoutMs: 120_000 });
  await failed.stop();
  blocker.close();
  check(failed.reason === "exited" && failed.exitCode !== 0, `it exits non-zero (${failed.exitCode ?? failed.reason})`, failed.output);
  check(/Address already in use/.test(failed.output), "it shows wrangler's error", failed.output);
  check(!failed.output.includes(END_OF_ANNOUNCEMENT), "it never says it is ready", failed.output);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

if (failures.length) {
  console.log(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("\nnpm start output: all checks passed");
