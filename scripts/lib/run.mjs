// Run project tools (wrangler, remix) with the project's own Node 22 (see README).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = {
  wrangler: path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
  remix: path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"),
};

export const toolEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_D1_WARNING: "true" };

/** Spawns a tool; resolves with {code, stdout} when it exits (rejects on non-zero unless allowFail). */
export function runTool(tool, args, { capture = false, allowFail = false, stdio } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN[tool], ...args], {
      cwd: ROOT,
      env: toolEnv,
      stdio: stdio ?? (capture ? ["ignore", "pipe", "inherit"] : "inherit"),
    });
    let stdout = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0 && !allowFail) reject(new Error(`${tool} ${args.join(" ")} exited with ${code}`));
      else resolve({ code, stdout });
    });
  });
}

/**
 * Runs a tool with stdout and stderr captured together: a step that succeeds stays quiet, and one
 * that fails rejects with everything the tool printed, so the error is still shown in full.
 */
export function runQuiet(tool, args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN[tool], ...args], { cwd: ROOT, env: { ...toolEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve({ output });
      else reject(new Error(`${tool} ${args.join(" ")} exited with ${code}:\n${output.trimEnd()}`));
    });
  });
}

export function startTool(tool, args, opts = {}) {
  return spawn(process.execPath, [BIN[tool], ...args], { cwd: ROOT, env: toolEnv, stdio: "inherit", ...opts });
}
