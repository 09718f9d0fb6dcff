// KVS retention of the devices' streams (ADR 010).
//   npm run kvs:retention:check -- --all-devices | --device aovis-n4k-000001 [--device …]
//   npm run kvs:retention:apply -- --all-devices [--yes] [--allow-decrease]
// Local mode by default (local D1 + AWS stand-in, see scripts/lib/ops.mjs); --remote [--env production]
// for the real database and AWS. `apply` is a dry run unless --yes; a decrease deletes footage at
// once, so it is only planned or sent with --allow-decrease (the hourly cron never decreases).
import { parseArgs } from "node:util";
import { planRetentionChange, retentionOperation } from "../app/domain/kvs-retention.ts";
import { createKvsClient, KvsError, withRetry } from "../app/lib/kvs.server.ts";
import { d1, fail, lit, mapLimit, opsConfig, table, UsageError } from "./lib/ops.mjs";

const USAGE = `usage: node scripts/kvs-retention.mjs check|apply (--all-devices | --device <aovis id or serial>...)
       [--target-hours N] [--yes] [--allow-decrease] [--remote [--env NAME]] [--json]`;

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "all-devices": { type: "boolean", default: false },
      device: { type: "string", multiple: true, default: [] },
      "target-hours": { type: "string" },
      yes: { type: "boolean", default: false },
      "allow-decrease": { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (command !== "check" && command !== "apply") throw new UsageError("say check or apply");
  if (values["all-devices"] === values.device.length > 0) throw new UsageError("give either --all-devices or --device (one or more)");
  if (command === "check" && (values.yes || values["allow-decrease"])) throw new UsageError("--yes and --allow-decrease belong to apply");
  return { command, ...values };
}

const errText = (err) => (err instanceof KvsError ? `${err.code}: ${err.message.replace(/^[^:]+: [^:]+: /, "")}` : String(err?.message ?? err));

function planText(row, allowDecrease) {
  if (row.error) return `ERROR ${row.error}`;
  const p = row.plan;
  if (p.action === "none") return "ok";
  if (p.action === "increase") return `increase +${p.deltaHours} h`;
  if (p.action === "decrease") return `DECREASE -${p.deltaHours} h (deletes footage older than ${row.target} h)`;
  return `above target by ${p.deltaHours} h (decrease ${allowDecrease ? "" : "needs --allow-decrease"})`.replace(" ()", "");
}

async function main() {
  const args = parse(process.argv.slice(2));
  const config = opsConfig({ remote: args.remote, envName: args.env });
  const target = args["target-hours"] !== undefined ? Number(args["target-hours"]) : config.retentionHours;
  if (!Number.isInteger(target) || target < 1 || target > 87600) throw new UsageError("--target-hours must be an integer between 1 and 87600");
  const aws = createKvsClient(config.aws);
  const log = args.json ? () => {} : (s) => console.log(s);
  log(
    `${config.mode} mode · D1 ${config.d1Args.join(" ")} · KVS ${config.aws.kvsEndpoint} (${config.aws.region}) · keys from ${config.source} · target ${target} h`,
  );

  const filter = args.device.length
    ? ` WHERE aovis_id IN (${args.device.map((d) => lit(d.toLowerCase())).join(", ")}) OR serial IN (${args.device.map((d) => lit(d.toUpperCase())).join(", ")})`
    : "";
  const devices = await d1(config, `SELECT id, aovis_id, serial, kvs_stream_name FROM devices${filter} ORDER BY aovis_id`);
  if (args.device.length) {
    const unknown = args.device.filter((d) => !devices.some((r) => r.aovis_id === d.toLowerCase() || r.serial === d.toUpperCase()));
    if (unknown.length) throw new UsageError(`no such device: ${unknown.join(", ")}`);
  }
  const allowDecrease = args.command === "apply" && args["allow-decrease"];

  const describe = async (d) => {
    try {
      const info = await withRetry(() => aws.describeStream(d.kvs_stream_name));
      const plan = planRetentionChange({ currentHours: info.DataRetentionInHours, targetHours: target, allowDecrease });
      return { device: d, current: info.DataRetentionInHours, version: info.Version, status: info.Status, target, plan };
    } catch (err) {
      if (!(err instanceof KvsError)) throw err;
      return { device: d, target, error: errText(err) };
    }
  };
  const rows = await mapLimit(devices, 4, describe);

  const render = (rs) =>
    table(
      ["DEVICE", "SERIAL", "STREAM", "RETENTION", "TARGET", "STATUS"],
      rs.map((r) => [
        r.device.aovis_id,
        r.device.serial,
        r.device.kvs_stream_name,
        r.current === undefined ? "-" : `${r.current} h`,
        `${r.target} h`,
        planText(r, allowDecrease),
      ]),
    );
  log(render(rows));

  const results = [];
  let failures = rows.filter((r) => r.error).length;
  if (args.command === "apply") {
    const todo = rows.filter((r) => !r.error && retentionOperation(r.plan) !== null);
    const blocked = rows.filter((r) => !r.error && r.plan.action === "blocked_decrease");
    if (!args.yes) {
      log("");
      for (const r of todo) log(`would ${r.plan.action.toUpperCase()} ${r.device.aovis_id}: ${r.current} h → ${r.target} h`);
      if (blocked.length) log(`${blocked.length} stream(s) above ${target} h left alone (a decrease deletes footage; add --allow-decrease to include them).`);
      log(todo.length ? `Dry run: nothing was changed. Re-run with --yes to apply ${todo.length} change(s).` : "Nothing to change.");
    } else {
      log("");
      for (const r of todo) {
        const outcome = await applyOne(aws, r, target, allowDecrease);
        results.push(outcome);
        if (outcome.error) failures++;
        log(
          outcome.error ? `FAILED ${r.device.aovis_id}: ${outcome.error}` : `${r.device.aovis_id}: ${outcome.from} h → ${outcome.to} h (${outcome.operation})`,
        );
      }
      if (blocked.length) log(`${blocked.length} stream(s) above ${target} h left alone (needs --allow-decrease).`);
      if (!todo.length) log("Nothing to change.");
    }
  }
  if (args.json) {
    console.log(
      JSON.stringify({
        mode: config.mode,
        target,
        devices: rows.map((r) => ({
          aovisId: r.device.aovis_id,
          serial: r.device.serial,
          stream: r.device.kvs_stream_name,
          retentionHours: r.current ?? null,
          plan: r.plan ?? null,
          error: r.error ?? null,
        })),
        applied: results,
      }),
    );
  }
  process.exitCode = failures ? 1 : 0;
}

/** UpdateDataRetention with the version just read; on VersionMismatch, read again and re-plan once. */
async function applyOne(aws, row, target, allowDecrease) {
  let { current, version, plan } = row;
  for (let attempt = 0; ; attempt++) {
    const operation = retentionOperation(plan);
    if (!operation) return { aovisId: row.device.aovis_id, from: current, to: current, operation: "none" };
    try {
      await withRetry(() =>
        aws.updateDataRetention({ stream: row.device.kvs_stream_name, currentVersion: version, operation, changeInHours: plan.deltaHours }),
      );
      return { aovisId: row.device.aovis_id, from: current, to: target, operation };
    } catch (err) {
      if (!(err instanceof KvsError)) throw err;
      if (err.code !== "VersionMismatchException" || attempt > 0) return { aovisId: row.device.aovis_id, error: errText(err) };
      const info = await withRetry(() => aws.describeStream(row.device.kvs_stream_name));
      ({ DataRetentionInHours: current, Version: version } = info);
      plan = planRetentionChange({ currentHours: current, targetHours: target, allowDecrease });
    }
  }
}

main().catch((err) => fail(err, USAGE));
