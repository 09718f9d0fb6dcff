// End-to-end check of the ops CLIs (kvs:retention:check/apply, devices:provision, import:aovis, devices:simulate) against the AWS
// stand-in and a fresh local D1 in a temporary directory. Never touches the developer's local
// state or a running `npm start` (the stand-in gets a free port). Exit code 0 = all good.
//   node scripts/test-clis.mjs        (npm run test:clis)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { seedSql } from "../app/db/seed.ts";
import { startAws } from "../standins/aws.mjs";
import { parseDotenv } from "./lib/dotenv.mjs";
import { ROOT, runTool } from "./lib/run.mjs";

const VARS_FILE = path.join(ROOT, ".dev.vars.example");
const vars = parseDotenv(fs.readFileSync(VARS_FILE, "utf8"));
const DEMO = [1, 2, 3, 4, 5].map((n) => `aovis-n4k-00000${n}`);
// A demo camera's stream and IoT thing, in the existing deployment's names (ADR 021), as the seed has them.
const streamOf = (id) => `aovis-stream-${id}`;
const thingOf = (id) => `aovis-dev-${id}`;

const failures = [];
function check(cond, message, detail = "") {
  if (cond) console.log(`  ✓ ${message}`);
  else {
    failures.push(message);
    console.log(`  ✗ ${message}${detail ? `\n${String(detail).replace(/^/gm, "      ")}` : ""}`);
  }
}

function cli(script, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", script), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr, all: `${stdout}${stderr}` }));
  });
}

const rowOf = (out, name) => out.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aovis-clis-"));
// Plays the app for the IoT rule: records what the rule delivers and answers as /api/iot/events does.
const delivered = [];
const app = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    delivered.push({ path: req.url, headers: req.headers, body });
    res.writeHead(202, { "Content-Type": "application/json" }).end(JSON.stringify({ status: "recorded" }));
  });
});
await new Promise((r) => app.listen(0, "127.0.0.1", r));
const aws = await startAws({ port: 0, appOrigin: `http://127.0.0.1:${app.address().port}`, env: vars });
const control = async (p, body) => {
  const res = await fetch(`${aws.url}/__standin/${p}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return res.json();
};
try {
  console.log(`fresh local D1 in ${tmp}, AWS stand-in on ${aws.url}`);
  await runTool("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", tmp], { capture: true });
  const seedFile = path.join(tmp, "seed.sql");
  fs.writeFileSync(seedFile, (await seedSql(vars.ACTIVATION_CODE_PEPPER)).join("\n") + "\n");
  await runTool("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", tmp, `--file=${seedFile}`], { capture: true });

  // The CLIs' own local mode, pointed at this D1 and this stand-in; real AWS keys in the shell
  // must not matter (local mode ignores them).
  const env = {
    ...process.env,
    AOVIS_PERSIST_DIR: tmp,
    AOVIS_DEV_VARS: VARS_FILE,
    KVS_ENDPOINT: aws.url,
    IOT_ENDPOINT: aws.url,
    AWS_ACCESS_KEY_ID: "AKIA_SHOULD_BE_IGNORED",
    AWS_SECRET_ACCESS_KEY: "ignored",
  };

  console.log("kvs:retention:check --all-devices");
  let r = await cli("kvs-retention.mjs", ["check", "--all-devices"], env);
  check(r.code === 0, "exits 0", r.all);
  check(
    DEMO.every((id) => rowOf(r.stdout, id)),
    "prints every demo device",
    r.stdout,
  );
  check(/720 h\s+720 h\s+ok/.test(rowOf(r.stdout, DEMO[0])), "aovis-n4k-000001 is at 720 h: ok", rowOf(r.stdout, DEMO[0]));
  check(/24 h\s+720 h\s+increase \+696 h/.test(rowOf(r.stdout, DEMO[1])), "aovis-n4k-000002 at 24 h: increase +696 h", rowOf(r.stdout, DEMO[1]));

  console.log("kvs:retention:check --device aovis-n4k-000001");
  r = await cli("kvs-retention.mjs", ["check", "--device", "aovis-n4k-000001"], env);
  check(r.code === 0 && rowOf(r.stdout, DEMO[0]) && !rowOf(r.stdout, DEMO[1]), "only that device", r.all);
  r = await cli("kvs-retention.mjs", ["check", "--device", "aovis-nope-000009"], env);
  check(r.code === 2 && /no such device/.test(r.stderr), "an unknown device is a usage error", r.all);
  r = await cli("kvs-retention.mjs", ["check"], env);
  check(r.code === 2 && /--all-devices/.test(r.stderr), "check without a selection is a usage error", r.all);

  // One stream above the target: never decreased without --allow-decrease.
  await control("streams", { streams: [{ name: streamOf(DEMO[4]), retentionHours: 1000 }] });

  console.log("kvs:retention:apply --all-devices (dry run)");
  r = await cli("kvs-retention.mjs", ["apply", "--all-devices"], env);
  let stats = await control("stats");
  check(r.code === 0 && /Dry run: nothing was changed/.test(r.stdout), "dry run by default", r.all);
  check(/would INCREASE aovis-n4k-000002: 24 h → 720 h/.test(r.stdout), "shows the diff", r.stdout);
  check(/above 720 h left alone/.test(r.stdout), "mentions the stream above target", r.stdout);
  check(!stats.calls.UpdateDataRetention, "sent no UpdateDataRetention", JSON.stringify(stats));

  console.log("kvs:retention:apply --all-devices --yes");
  r = await cli("kvs-retention.mjs", ["apply", "--all-devices", "--yes"], env);
  stats = await control("stats");
  check(r.code === 0, "exits 0", r.all);
  check(
    stats.retentionOps.INCREASE_DATA_RETENTION === 3 && !stats.retentionOps.DECREASE_DATA_RETENTION,
    "3 increases, no decrease",
    JSON.stringify(stats.retentionOps),
  );
  const s5 = await control(`streams/${streamOf(DEMO[4])}`);
  check(s5.DataRetentionInHours === 1000, "the stream above target was left alone");
  r = await cli("kvs-retention.mjs", ["check", "--all-devices"], env);
  check(
    DEMO.slice(0, 4).every((id) => /720 h\s+720 h\s+ok/.test(rowOf(r.stdout, id))),
    "a check afterwards: all at 720 h",
    r.stdout,
  );

  console.log("kvs:retention:apply --all-devices --yes --allow-decrease");
  r = await cli("kvs-retention.mjs", ["apply", "--all-devices", "--yes", "--allow-decrease"], env);
  stats = await control("stats");
  check(r.code === 0 && stats.retentionOps.DECREASE_DATA_RETENTION === 1, "the decrease is sent only now", r.all);
  check((await control(`streams/${streamOf(DEMO[4])}`)).DataRetentionInHours === 720, "aovis-n4k-000005 is at 720 h");

  console.log('devices:provision --serial N4K-000006 --model "NEXA Prime 4K"');
  r = await cli("provision-device.mjs", ["--serial", "N4K-000006", "--model", "NEXA Prime 4K"], env);
  const code = /Activation code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(r.stdout)?.[1];
  check(r.code === 0 && !!code, "prints a code once", r.all);
  // The existing deployment's names (ADR 021): aovis-dev-, aovis-stream-, aovis-webrtc-<aovisId>.
  const listed = await control("resources");
  check(
    listed.things.includes("aovis-dev-aovis-n4k-000006") &&
      listed.streams.includes("aovis-stream-aovis-n4k-000006") &&
      listed.channels.includes("aovis-webrtc-aovis-n4k-000006"),
    "the stand-in lists aovis-dev-, aovis-stream- and aovis-webrtc-aovis-n4k-000006",
    JSON.stringify(listed),
  );
  const stream6 = await control("streams/aovis-stream-aovis-n4k-000006");
  check(stream6.DataRetentionInHours === 720, "created the KVS stream with 720 h", JSON.stringify(stream6));
  check((await control("things/aovis-dev-aovis-n4k-000006")).attributes?.serial === "N4K-000006", "created the IoT thing");
  const rows = await d1Json(
    tmp,
    "SELECT aovis_id, serial, model, activation_code_hash, iot_thing_name, webrtc_channel_arn, kvs_stream_name FROM devices WHERE serial = 'N4K-000006'",
  );
  check(
    rows.length === 1 &&
      rows[0].model === "NEXA Prime 4K" &&
      rows[0].aovis_id === "aovis-n4k-000006" &&
      rows[0].iot_thing_name === "aovis-dev-aovis-n4k-000006" &&
      rows[0].kvs_stream_name === "aovis-stream-aovis-n4k-000006" &&
      /:channel\/aovis-webrtc-aovis-n4k-000006\//.test(rows[0].webrtc_channel_arn ?? ""),
    "inserted the device with those names",
    JSON.stringify(rows),
  );
  check(
    rows[0] && rows[0].activation_code_hash !== code && /^[0-9a-f]{64}$/.test(rows[0].activation_code_hash) && !JSON.stringify(rows).includes(code),
    "stores only a hash of the code",
  );
  const { hashActivationCode } = await import("../app/domain/activation-code.ts");
  check(rows[0]?.activation_code_hash === (await hashActivationCode(vars.ACTIVATION_CODE_PEPPER, code ?? "")), "the hash is HMAC(pepper, code)");

  const before = await control("stats");
  r = await cli("provision-device.mjs", ["--serial", "n4k-000006", "--model", "NEXA Prime 4K"], env);
  const after = await control("stats");
  check(r.code === 0 && /already provisioned/.test(r.stdout) && !/Activation code:/.test(r.stdout), "re-running changes nothing and prints no code", r.all);
  check(JSON.stringify(before) === JSON.stringify(after), "…and makes no AWS call", `${JSON.stringify(before)} vs ${JSON.stringify(after)}`);
  check((await d1Json(tmp, "SELECT COUNT(*) AS n FROM devices"))[0].n === 6, "still 6 devices");

  r = await cli("kvs-retention.mjs", ["check", "--all-devices"], env);
  check(r.code === 0 && /720 h\s+720 h\s+ok/.test(rowOf(r.stdout, "aovis-n4k-000006")), "the new device shows up in the check", r.stdout);

  // The importer (ADR 021) on the shipped example: one device in it has two active owners.
  const example = path.join(ROOT, "docs", "examples", "aovis-export.json");
  const countsBefore = await importCounts(tmp);
  console.log("import:aovis --file docs/examples/aovis-export.json (dry run)");
  r = await cli("import-aovis.mjs", ["--file", example], env);
  check(r.code === 1 && /Dry run: nothing was written\. 1 refused/.test(r.stdout), "dry run by default; exit 1 because a device is refused", r.all);
  check(
    /device N4K-000101 \(aovis-n4k-000101\): would import 1 device, 1 ownership, 1 trial, 1 SIM card, 2 subscriptions, 3 entitlements/.test(r.stdout) &&
      /device N4K-000102 \(aovis-n4k-000102\): would import 1 device, 2 ownerships, 1 trial/.test(r.stdout),
    "prints what it would do per device",
    r.stdout,
  );
  check(
    /device N4K-000103 \(aovis-n4k-000103\): REFUSED, nothing of it imported\n {2}refused two_active_owners: DeviceOwnership own_4: active ownerships own_4, own_5/.test(
      r.stdout,
    ),
    "the two-owner device is refused with its reason",
    r.stdout,
  );
  check(JSON.stringify(await importCounts(tmp)) === JSON.stringify(countsBefore), "the dry run wrote nothing");

  console.log("import:aovis --file docs/examples/aovis-export.json --yes");
  r = await cli("import-aovis.mjs", ["--file", example, "--yes"], env);
  const imported = await importCounts(tmp);
  check(r.code === 1 && /Imported 19 new rows\. 1 refused\./.test(r.stdout), "imports the rest; reports the refusal", r.all);
  check(
    imported.users === countsBefore.users + 3 &&
      imported.devices === countsBefore.devices + 2 &&
      imported.device_ownerships === countsBefore.device_ownerships + 3 &&
      imported.device_trials === countsBefore.device_trials + 2 &&
      imported.sim_cards === countsBefore.sim_cards + 2 &&
      imported.subscriptions === countsBefore.subscriptions + 3 &&
      imported.entitlements === countsBefore.entitlements + 4,
    "users, 2 devices and their rows, loose rows: all there",
    `${JSON.stringify(countsBefore)} → ${JSON.stringify(imported)}`,
  );
  const dev103 = await d1Json(
    tmp,
    "SELECT (SELECT COUNT(*) FROM devices WHERE id = 'dev_103') + (SELECT COUNT(*) FROM device_ownerships WHERE device_id = 'dev_103') AS n",
  );
  check(dev103[0].n === 0, "nothing of the refused device was written");
  const [dev101] = await d1Json(tmp, "SELECT iot_thing_name, kvs_stream_name, activation_code_hash, trial_used_at FROM devices WHERE id = 'dev_101'");
  check(
    dev101?.iot_thing_name === "aovis-dev-aovis-n4k-000101" && /^[0-9a-f]{64}$/.test(dev101.activation_code_hash) && dev101.trial_used_at > 0,
    "the device keeps its AWS names and activation-code hash; its trial is marked used",
    JSON.stringify(dev101),
  );

  console.log("import:aovis --file docs/examples/aovis-export.json --yes (again)");
  r = await cli("import-aovis.mjs", ["--file", example, "--yes"], env);
  check(
    /Imported 0 new rows\./.test(r.stdout) && (r.stdout.match(/already imported/g) ?? []).length === 5,
    "a second run changes nothing (every group already imported)",
    r.all,
  );
  check(JSON.stringify(await importCounts(tmp)) === JSON.stringify(imported), "…row counts unchanged");
  r = await cli("import-aovis.mjs", ["--file", path.join(tmp, "missing.json")], env);
  check(r.code === 2 && /cannot read/.test(r.stderr), "an unreadable file: usage error, exit 2", r.all);

  console.log("devices:simulate --device aovis-dev-aovis-n4k-000001 --events 5 --no-wait");
  const simStart = Date.now();
  r = await cli("simulate-devices.mjs", ["--device", thingOf(DEMO[0]), "--events", "5", "--no-wait"], env);
  check(r.code === 0 && (r.stdout.match(/ 202$/gm) ?? []).length === 5, "exits 0, the app recorded each of the 5 messages (202)", r.all);
  const msgs = delivered.map((d) => ({ ...d, json: JSON.parse(d.body) }));
  check(
    msgs.length === 5 &&
      msgs.every(
        (m) =>
          m.path === "/api/iot/events" &&
          m.headers["x-aovis-rule-token"] === vars.IOT_RULE_TOKEN &&
          m.headers["x-aovis-topic"] === `aovis/${thingOf(DEMO[0])}/events` &&
          Math.abs(Number(m.headers["x-aovis-received-at"]) - Date.now()) < 60_000 &&
          m.json.device === thingOf(DEMO[0]),
      ),
    "the rule delivered each message as published, with its token, topic and receive time",
    JSON.stringify(msgs.slice(0, 2), null, 1),
  );
  const times = msgs.map((m) => Date.parse(m.json.at));
  check(
    times.every((t, i) => t > simStart - 90 * 60_000 && t < simStart && (i === 0 || t >= times[i - 1])) && new Set(msgs.map((m) => m.json.eventId)).size === 5,
    "events are in time order over the last 90 minutes, each with its own id",
    times.map((t) => new Date(t).toISOString()).join(" "),
  );
  r = await cli("simulate-devices.mjs", ["--device", "not a thing"], env);
  check(r.code === 2 && /--device/.test(r.stderr), "a bad --device: usage error, exit 2", r.all);

  // An AWS failure is reported per device and makes the exit code non-zero.
  await control("faults", { error5xx: { count: 20, stream: streamOf(DEMO[2]) } });
  r = await cli("kvs-retention.mjs", ["check", "--all-devices"], env);
  check(
    r.code === 1 && /ERROR InternalFailure/.test(rowOf(r.stdout, DEMO[2])) && /ok/.test(rowOf(r.stdout, DEMO[0])),
    "a failing stream: ERROR on its row, the others still checked, exit 1",
    r.all,
  );
  await control("faults", { clear: true });
} catch (err) {
  failures.push(String(err?.stack ?? err));
  console.log(`  ✗ ${err?.stack ?? err}`);
} finally {
  await aws.close();
  app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function importCounts(dir) {
  const tables = ["users", "devices", "device_ownerships", "device_trials", "sim_cards", "subscriptions", "entitlements"];
  const [row] = await d1Json(dir, `SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(", ")}`);
  return row;
}

async function d1Json(dir, sql) {
  const { stdout } = await runTool("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", dir, "--json", "--command", sql], { capture: true });
  return JSON.parse(stdout)[0].results;
}

console.log(failures.length ? `\n${failures.length} check(s) failed` : "\nall CLI checks passed");
process.exit(failures.length ? 1 : 0);
