// Loads an export of the existing AOVIS (Prisma) database into D1 (ADR 021, docs/import-aovis.md):
// users, devices (AWS names, activation-code hashes), ownerships, SIM cards, trials, subscriptions
// and entitlements.
//   npm run import:aovis -- --file export.json [--remote [--env NAME]] [--yes]
// Dry run by default: prints what it would do per device and writes nothing. --yes writes. Local
// D1 by default (the one of `npm start`, honouring AOVIS_PERSIST_DIR); --remote the D1 of
// wrangler.toml. Rows keep their source ids and are inserted with ON CONFLICT DO NOTHING, so a
// second run changes nothing. What app/domain/aovis-import.ts refuses is reported with its reason;
// each device's rows are one SQL file (one atomic D1 execution), so a device is never half-imported.
// Exit code: 0 all imported (or would be), 1 something was refused or failed, 2 usage error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { planImport } from "../app/domain/aovis-import.ts";
import { persistArgs } from "./local-db.mjs";
import { fail, lit, UsageError } from "./lib/ops.mjs";
import { runTool } from "./lib/run.mjs";

const USAGE = `usage: node scripts/import-aovis.mjs --file export.json [--remote [--env NAME]] [--yes]`;
const NOUN = {
  users: "user",
  devices: "device",
  device_ownerships: "ownership",
  device_trials: "trial",
  sim_cards: "SIM card",
  subscriptions: "subscription",
  entitlements: "entitlement",
};

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: "string" },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      yes: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.file) throw new UsageError("--file is required");
  if (values.env && !values.remote) throw new UsageError("--env goes with --remote");
  let data;
  try {
    data = JSON.parse(fs.readFileSync(values.file, "utf8"));
  } catch (err) {
    throw new UsageError(`cannot read ${values.file} as JSON (${err.message})`);
  }
  return { ...values, data };
}

/** Runs SQL through wrangler and returns the rows of each statement. */
async function d1All(d1Args, sql) {
  const { stdout } = await runTool("wrangler", ["d1", "execute", "DB", ...d1Args, "--json", "--command", sql], { capture: true });
  const parsed = JSON.parse(stdout);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.every((r) => r?.success)) throw new Error(`D1 query failed: ${stdout.slice(0, 500)}`);
  return list.map((r) => r.results ?? []);
}

async function readExisting(d1Args) {
  const [users, devices, active, trials, own, sims, subs, ents] = await d1All(
    d1Args,
    [
      "SELECT id, auth0_sub AS auth0Sub FROM users",
      "SELECT id, serial, aovis_id AS aovisId, iot_thing_name AS iotThingName FROM devices",
      "SELECT id, device_id AS deviceId FROM device_ownerships WHERE status = 'active'",
      "SELECT device_id AS deviceId, user_id AS userId, granted_at AS grantedAt FROM device_trials",
      "SELECT id FROM device_ownerships",
      "SELECT id FROM sim_cards",
      "SELECT id FROM subscriptions",
      "SELECT id FROM entitlements",
    ].join("; "),
  );
  const ids = (rows) => rows.map((r) => r.id);
  return {
    users,
    devices,
    activeOwnerships: active,
    trials,
    ids: {
      users: ids(users),
      devices: ids(devices),
      device_ownerships: ids(own),
      device_trials: trials.map((t) => t.deviceId),
      sim_cards: ids(sims),
      subscriptions: ids(subs),
      entitlements: ids(ents),
    },
  };
}

const insertSql = (row) => {
  const cols = Object.keys(row.values);
  const vals = cols.map((c) => (typeof row.values[c] === "boolean" ? (row.values[c] ? 1 : 0) : row.values[c]));
  return `INSERT INTO ${row.table} (${cols.join(", ")}) VALUES (${vals.map(lit).join(", ")}) ON CONFLICT DO NOTHING;`;
};

function counts(rows) {
  const by = {};
  for (const r of rows) by[r.table] = (by[r.table] ?? 0) + 1;
  return Object.entries(by)
    .map(([t, n]) => `${n} ${NOUN[t]}${n === 1 ? "" : "s"}`)
    .join(", ");
}

async function main() {
  const args = parse(process.argv.slice(2));
  const d1Args = args.remote ? ["--remote", ...(args.env ? ["--env", args.env] : [])] : ["--local", ...persistArgs()];
  console.log(`${args.remote ? "remote" : "local"} D1 (${d1Args.join(" ")}) · ${args.file} · ${args.yes ? "importing" : "dry run"}`);
  const plan = planImport(args.data, await readExisting(d1Args));
  if (plan.fileProblems.length) throw new UsageError(`${args.file}: ${plan.fileProblems.join("; ")}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aovis-import-"));
  let refused = 0;
  let written = 0;
  let failed = 0;
  try {
    for (const g of plan.groups) {
      const fresh = g.rows.length - g.present;
      // A device/user group is refused whole; the users group leaves out only its refused users.
      if (g.kind !== "users" && g.refused.length) console.log(`${g.label}: REFUSED, nothing of it imported`);
      else if (!g.rows.length && !g.refused.length) continue;
      else if (fresh === 0) console.log(`${g.label}: already imported (${g.present} rows), nothing to do`);
      else console.log(`${g.label}: ${args.yes ? "importing" : "would import"} ${counts(g.rows)}${g.present ? ` (${g.present} rows already here)` : ""}`);
      for (const r of g.refused) console.log(`  refused ${r.reason}: ${r.model} ${r.id}: ${r.detail}`);
      refused += g.refused.length;
      if (!args.yes || fresh === 0 || !g.rows.length) continue;
      const file = path.join(tmp, `${g.kind}-${g.key.replace(/[^A-Za-z0-9_-]/g, "_")}.sql`);
      fs.writeFileSync(file, g.rows.map(insertSql).join("\n") + "\n");
      const r = await runTool("wrangler", ["d1", "execute", "DB", ...d1Args, "--yes", `--file=${file}`], { capture: true, allowFail: true });
      if (r.code === 0) written += fresh;
      else {
        failed++;
        console.log(`  FAILED (nothing of ${g.label} was written): ${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim().slice(-400)}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log("");
  if (!args.yes) console.log(`Dry run: nothing was written. ${refused} refused. Run again with --yes to import.`);
  else console.log(`Imported ${written} new rows. ${refused} refused${failed ? `, ${failed} group(s) failed` : ""}.`);
  process.exit(refused || failed ? 1 : 0);
}

main().catch((err) => fail(err, USAGE));
