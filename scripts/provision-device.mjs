// Provisions a camera: IoT thing aovis-dev-<aovisId>, KVS stream aovis-stream-<aovisId> (720 h),
// signaling channel aovis-webrtc-<aovisId>, a random activation code
// (printed once, stored only as HMAC-SHA256 with ACTIVATION_CODE_PEPPER) and the D1 row.
//   npm run devices:provision -- --serial N4K-000006 --model "NEXA Prime 4K" [--iccid 89…]
// Local mode by default (local D1 + AWS stand-in, see scripts/lib/ops.mjs); --remote [--env production]
// for the real ones (ACTIVATION_CODE_PEPPER then comes from the environment).
// Re-running for a serial that is already in D1 changes nothing (and prints no code). A run that
// died after creating the AWS resources but before the D1 insert can simply be run again: the
// existing thing, stream and channel are reused.
import { parseArgs } from "node:util";
import { generateActivationCode, hashActivationCode, normalizeSerial } from "../app/domain/activation-code.ts";
import { aovisIdOfSerial, awsResourceNames } from "../app/domain/aws-names.ts";
import { createKvsClient, KvsError, withRetry } from "../app/lib/kvs.server.ts";
import { d1, fail, lit, opsConfig, UsageError } from "./lib/ops.mjs";

const USAGE = `usage: node scripts/provision-device.mjs --serial N4K-000006 --model "NEXA Prime 4K" [--iccid ICCID]
       [--retention-hours 720] [--remote [--env NAME]]`;
const SERIAL = /^[A-Z0-9]{2,8}-[A-Z0-9]{4,12}$/;

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      serial: { type: "string" },
      model: { type: "string" },
      iccid: { type: "string" },
      "retention-hours": { type: "string" },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const serial = normalizeSerial(values.serial ?? "");
  if (!SERIAL.test(serial)) throw new UsageError("--serial must look like N4K-000006");
  const model = (values.model ?? "").trim();
  if (!model || model.length > 64) throw new UsageError("--model is required (at most 64 characters)");
  if (values.iccid !== undefined && !/^\d{18,22}$/.test(values.iccid)) throw new UsageError("--iccid must be 18–22 digits");
  return { ...values, serial, model };
}

async function main() {
  const args = parse(process.argv.slice(2));
  const config = opsConfig({ remote: args.remote, envName: args.env });
  const retention = args["retention-hours"] !== undefined ? Number(args["retention-hours"]) : config.retentionHours;
  if (!Number.isInteger(retention) || retention < 1 || retention > 87600) throw new UsageError("--retention-hours must be an integer between 1 and 87600");
  if (!config.pepper || config.pepper.length < 16) throw new UsageError("ACTIVATION_CODE_PEPPER (at least 16 characters) is needed to store the code's hash");
  console.log(`${config.mode} mode · D1 ${config.d1Args.join(" ")} · AWS ${config.aws.kvsEndpoint} (${config.aws.region}) · keys from ${config.source}`);

  const existing = await d1(config, `SELECT id, aovis_id FROM devices WHERE serial = ${lit(args.serial)}`);
  if (existing.length) {
    console.log(`${args.serial} is already provisioned (${existing[0].aovis_id}); nothing changed.`);
    return;
  }

  // The AWS names are stored on the device row for its whole life (ownership never changes them);
  // new devices get the existing deployment's pattern (app/domain/aws-names.ts, ADR 021).
  const aovisId = aovisIdOfSerial(args.serial);
  const names = awsResourceNames(aovisId);
  const aws = createKvsClient(config.aws);
  const retry = (fn) => withRetry(fn, { retries: 4 });

  const thing = await retry(() => aws.createThing(names.thingName, { attributes: { serial: args.serial, aovisId } }));
  console.log(`IoT thing      ${thing.thingName} (${thing.thingArn})`);

  let streamArn;
  try {
    ({ streamArn } = await retry(() =>
      aws.createStream({
        name: names.streamName,
        dataRetentionInHours: retention,
        deviceName: names.thingName,
        mediaType: "video/h264",
        tags: { serial: args.serial },
      }),
    ));
  } catch (err) {
    if (!(err instanceof KvsError && err.code === "ResourceInUseException")) throw err;
    const info = await retry(() => aws.describeStream(names.streamName));
    streamArn = info.StreamARN;
    if (info.DataRetentionInHours !== retention)
      console.log(`note: the existing stream keeps ${info.DataRetentionInHours} h; kvs:retention:apply can raise it`);
  }
  console.log(`KVS stream     ${names.streamName} (${streamArn})`);

  let channelArn;
  try {
    ({ channelArn } = await retry(() => aws.createSignalingChannel({ name: names.channelName })));
  } catch (err) {
    if (!(err instanceof KvsError && err.code === "ResourceInUseException")) throw err;
    channelArn = (await retry(() => aws.describeSignalingChannel(names.channelName))).ChannelARN;
  }
  console.log(`WebRTC channel ${names.channelName} (${channelArn})`);

  const code = generateActivationCode();
  const hash = await hashActivationCode(config.pepper, code);
  const id = crypto.randomUUID();
  await d1(
    config,
    `INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name, webrtc_channel_arn, iccid)
     VALUES (${[id, aovisId, args.serial, args.model, hash, names.thingName, names.streamName, channelArn, args.iccid ?? null].map(lit).join(", ")})
     ON CONFLICT(serial) DO NOTHING`,
  );
  const [row] = await d1(config, `SELECT id FROM devices WHERE serial = ${lit(args.serial)}`);
  if (row?.id !== id) {
    console.log(`${args.serial} was provisioned by another run at the same time; nothing changed.`);
    return;
  }
  console.log(`Device         ${id} · ${args.serial} · ${args.model}`);
  console.log("");
  console.log(`Activation code: ${code}`);
  console.log("Shown once: only its keyed hash is stored. Print it on the device label now.");
}

main().catch((err) => fail(err, USAGE));
