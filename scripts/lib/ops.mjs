// Shared plumbing of the ops CLIs (kvs:retention:*, devices:provision): where the D1 rows and
// the AWS credentials come from, for local mode (default) and --remote.
//
// Local mode: the local D1 of `npm start` (wrangler --local, honouring AOVIS_PERSIST_DIR) and the
// AWS stand-in: credentials and pepper from .dev.vars (else .dev.vars.example; AOVIS_DEV_VARS
// picks another file), endpoints from KVS_ENDPOINT / IOT_ENDPOINT in the environment, else
// .dev.vars, else http://127.0.0.1:8792. Credentials in the shell environment are deliberately
// ignored here, so real AWS keys are never sent to a local stand-in.
// --remote: the D1 database of wrangler.toml (--env NAME for e.g. production) and AWS with the
// credentials of the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional
// AWS_SESSION_TOKEN, AWS_REGION), regional endpoints unless KVS_ENDPOINT / IOT_ENDPOINT are set.
import fs from "node:fs";
import path from "node:path";
import { parseDotenv } from "./dotenv.mjs";
import { persistArgs } from "../local-db.mjs";
import { ROOT, runTool } from "./run.mjs";

export const STANDIN_AWS = "http://127.0.0.1:8792";

export class UsageError extends Error {}

function devVars() {
  const file =
    process.env.AOVIS_DEV_VARS ?? (fs.existsSync(path.join(ROOT, ".dev.vars")) ? path.join(ROOT, ".dev.vars") : path.join(ROOT, ".dev.vars.example"));
  return { file, vars: parseDotenv(fs.readFileSync(file, "utf8")) };
}

/**
 * @param {{remote?: boolean, envName?: string}} opts
 * @returns {{mode: "local"|"remote", source: string, aws: {accessKeyId: string, secretAccessKey: string, sessionToken?: string, region: string, kvsEndpoint: string, iotEndpoint: string}, retentionHours: number, pepper: string|undefined, d1Args: string[]}}
 */
export function opsConfig({ remote = false, envName } = {}) {
  const e = process.env;
  if (remote) {
    const missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"].filter((k) => !e[k]);
    if (missing.length) throw new UsageError(`--remote needs ${missing.join(", ")} in the environment`);
    return {
      mode: "remote",
      source: "environment",
      aws: {
        accessKeyId: e.AWS_ACCESS_KEY_ID,
        secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
        sessionToken: e.AWS_SESSION_TOKEN || undefined,
        region: e.AWS_REGION,
        kvsEndpoint: e.KVS_ENDPOINT || `https://kinesisvideo.${e.AWS_REGION}.amazonaws.com`,
        iotEndpoint: e.IOT_ENDPOINT || `https://iot.${e.AWS_REGION}.amazonaws.com`,
      },
      retentionHours: Number(e.KVS_DATA_RETENTION_HOURS || 720),
      pepper: e.ACTIVATION_CODE_PEPPER,
      d1Args: ["--remote", ...(envName ? ["--env", envName] : [])],
    };
  }
  const { file, vars } = devVars();
  return {
    mode: "local",
    source: path.relative(ROOT, file) || file,
    aws: {
      accessKeyId: vars.AWS_ACCESS_KEY_ID,
      secretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
      region: vars.AWS_REGION || "us-east-1",
      kvsEndpoint: e.KVS_ENDPOINT || vars.KVS_ENDPOINT || STANDIN_AWS,
      iotEndpoint: e.IOT_ENDPOINT || vars.IOT_ENDPOINT || STANDIN_AWS,
    },
    retentionHours: Number(vars.KVS_DATA_RETENTION_HOURS || 720),
    pepper: vars.ACTIVATION_CODE_PEPPER,
    d1Args: ["--local", ...persistArgs(), ...(envName ? ["--env", envName] : [])],
  };
}

/** SQL literal for values we put into `wrangler d1 execute --command` (no bound parameters there). */
export function lit(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** Runs one SQL statement against D1 through wrangler; returns its rows. */
export async function d1(config, sql) {
  const { stdout } = await runTool("wrangler", ["d1", "execute", "DB", ...config.d1Args, "--json", "--command", sql], { capture: true });
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`wrangler d1 execute did not answer JSON:\n${stdout.slice(0, 500)}`);
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first?.success) throw new Error(`D1 query failed: ${JSON.stringify(first).slice(0, 500)}`);
  return first.results ?? [];
}

/** A plain text table. */
export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Runs `fn` over items with at most `n` at a time; results in item order. */
export async function mapLimit(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** Prints a usage error or a failure and exits non-zero. */
export function fail(err, usage) {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n\n${usage}`);
    process.exit(2);
  }
  console.error(`error: ${err?.stack ?? err}`);
  process.exit(1);
}
