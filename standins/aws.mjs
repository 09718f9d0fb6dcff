// Local stand-in for AWS Kinesis Video Streams (control plane, archived media, signaling), the
// IoT registry, and IoT Core's Publish with the camera events rule (./aws/iot-rule.mjs), all on
// one port. Shapes follow ../shared/API-SHAPES.md §3, which was taken from
// botocore 1.43.11's models: kinesisvideo 2017-09-30, kinesis-video-archived-media 2017-09-30,
// kinesis-video-signaling 2019-12-04, iot 2015-05-28 (operations, required members, enums,
// error shapes and their HTTP statuses are copied from those models).
//
// What it verifies like AWS: a SigV4 signature on every API call (./aws/sigv4.mjs) with the
// service `kinesisvideo` for KVS paths and `iot` for /things/*, the region of the app's config
// and the app's access key; request parameters the service checks (versions, enums, GetClip
// ranges); the per-stream TPS limit of GetClip / GetHLSStreamingSessionURL (5 per second).
// Errors are REST-JSON: header `x-amzn-ErrorType: <Code>` and body {"__type": Code, "message"}.
//
// The data and signaling endpoints it hands out are its own base URL (as reached, from Host), so
// one port serves everything. Footage is one fragment model (./aws/footage.mjs) that ListFragments
// (./aws/fragments.mjs), GetClip (a real H.264 MP4, ./aws/mp4.mjs), the HLS session
// (./aws/hls.mjs) and GetImages (real JPEG/PNG, ./aws/images.mjs) all read, so they agree.
// WebRTC: the signaling WebSocket (SigV4-presigned connect, KVS message shapes; ./aws/signaling.mjs)
// and a camera peer per channel that answers viewers and streams live H.264 (./aws/camera-peer.mjs).
// Not implemented: TURN (the URIs are handed out only).
//
// Test controls (no signature): see CONTROL ENDPOINTS at the bottom of this file.
import crypto from "node:crypto";
import { once } from "node:events";
import { readBody, sendJson, startServer } from "./lib/http.mjs";
import { FOOTAGE_SECONDS, FRAGMENT_SECONDS, takeFragments } from "./aws/footage.mjs";
import { listFragments } from "./aws/fragments.mjs";
import { createHlsSession, serveHls } from "./aws/hls.mjs";
import { getImages } from "./aws/images.mjs";
import { buildClip } from "./aws/mp4.mjs";
import { createCameraPeers } from "./aws/camera-peer.mjs";
import { attachSignaling } from "./aws/signaling.mjs";
import { verifySigV4 } from "./aws/sigv4.mjs";
import { AwsFault, invalid, notFound } from "./aws/errors.mjs";
import { createIotRule } from "./aws/iot-rule.mjs";
import { awsResourceNames } from "../app/domain/aws-names.ts";

export const ACCOUNT = "000000000000";
// 99: the demo account's own camera (app/db/seed.ts DEMO_OWNER_DEVICE).
export const DEMO_IDS = [1, 2, 3, 4, 5, 99].map((n) => `aovis-n4k-${String(n).padStart(6, "0")}`);
const DEMO_CREATED_MS = 1700000000000;
const HOUR = 3600;
const DAY = 24 * HOUR;
const MAX_RETENTION_HOURS = 87600;
/**
 * Per-stream TPS limit enforced on GetClip and GetHLSStreamingSessionURL, so the app must pace
 * them. (docs.aws.amazon.com/kinesisvideostreams/latest/dg/limits.html lists stream-level limits;
 * DescribeStream and UpdateDataRetention (the retention sweep, ADR 027) are limited the same way.)
 */
const DEFAULT_TPS_LIMIT = 5;
/** "the output will contain the first 100 MB or the first 200 fragments" (GetClipOutput, model). */
const CLIP_MAX_FRAGMENTS = 200;

const KVS_OPS = {
  "/describeStream": "DescribeStream",
  "/updateDataRetention": "UpdateDataRetention",
  "/createStream": "CreateStream",
  "/getDataEndpoint": "GetDataEndpoint",
  "/createSignalingChannel": "CreateSignalingChannel",
  "/describeSignalingChannel": "DescribeSignalingChannel",
  "/getSignalingChannelEndpoint": "GetSignalingChannelEndpoint",
  "/getClip": "GetClip",
  "/getHLSStreamingSessionURL": "GetHLSStreamingSessionURL",
  "/listFragments": "ListFragments",
  "/getImages": "GetImages",
  "/v1/get-ice-server-config": "GetIceServerConfig",
};
// ListFragments: 5 TPS per stream ("Media and Archived Media API limits", Kinesis Video Streams
// Developer Guide, limits.md in awsdocs/AWS-Kinesis-Video-Documentation). GetImages has no
// per-stream TPS in the guide we could find, so it is not limited here.
const TPS_LIMITED_OPS = new Set(["GetClip", "GetHLSStreamingSessionURL", "ListFragments", "DescribeStream", "UpdateDataRetention"]);
/**
 * Control-plane calls the retention sweep makes: 5 TPS per stream (above) and, per API, an
 * account-wide limit (ADR 027 uses 50 TPS for both; the stand-in refuses above it with the same
 * ClientLimitExceededException as the per-stream limit). Arrivals are logged (name, op, ms) so
 * GET /__standin/rates can report the highest per-second counts a test's streams saw.
 */
const ACCOUNT_TPS_LIMITED_OPS = new Set(["DescribeStream", "UpdateDataRetention"]);
const DEFAULT_ACCOUNT_TPS_LIMIT = 50;
const RATE_LOG_MAX = 300_000;
const NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,256}$/;
const THING_PATTERN = /^[a-zA-Z0-9:_-]{1,128}$/;
const API_NAMES = [
  "PUT_MEDIA",
  "GET_MEDIA",
  "LIST_FRAGMENTS",
  "GET_MEDIA_FOR_FRAGMENT_LIST",
  "GET_HLS_STREAMING_SESSION_URL",
  "GET_DASH_STREAMING_SESSION_URL",
  "GET_CLIP",
  "GET_IMAGES",
];

function sendAwsError(res, status, code, message, extra = {}) {
  sendJson(res, status, { __type: code, message, ...extra }, { "x-amzn-ErrorType": code, "x-amzn-RequestId": crypto.randomUUID() });
}

const newVersion = () => crypto.randomBytes(10).toString("hex");
const nowSec = () => Date.now() / 1000;
const bump = (obj, key, n = 1) => {
  obj[key] = (obj[key] ?? 0) + n;
};

// ---- state -------------------------------------------------------------------------------

function createState(region) {
  const state = {
    region,
    streams: new Map(),
    channels: new Map(),
    things: new Map(),
    hlsSessions: new Map(),
    faults: defaultFaults(),
    stats: { calls: {}, errors: {}, retentionOps: {}, authFailures: {} },
    /** Per resource name (stream / channel / thing): {calls, errors, retentionOps}. */
    statsByName: new Map(),
    tpsWindows: new Map(),
    accountWindows: new Map(),
    /** [name, op, ms] of every control-plane arrival since the last reset (bounded). */
    rateLog: [],
    /** The demo cameras' offline schedule applies before this second (see ./aws/footage.mjs). */
    startedSec: nowSec(),
    /** The camera peers' fault switch (POST /__standin/webrtc) and counters. */
    webrtc: { disabledAll: false, disabled: new Set(), stats: newWebrtcStats() },
  };
  for (const [i, id] of DEMO_IDS.entries()) {
    // Named as provisioning names a camera's resources (app/domain/aws-names.ts, ADR 021), as the seed's rows say.
    const names = awsResourceNames(id);
    const demo = addStream(state, { name: names.streamName, retentionHours: i === 0 ? 720 : 24, createdMs: DEMO_CREATED_MS, deviceName: names.thingName });
    demo.schedule = true;
    addChannel(state, { name: names.channelName, createdMs: DEMO_CREATED_MS });
    addThing(state, { name: names.thingName });
  }
  return state;
}

function newWebrtcStats() {
  return { connections: 0, refused: 0, messages: {}, undelivered: 0, offers: 0, answers: 0, connected: 0, framesSent: 0, errors: 0, lastError: null };
}

function defaultFaults() {
  return { throttle: [], error5xx: [], tpsLimit: DEFAULT_TPS_LIMIT, accountTpsLimit: DEFAULT_ACCOUNT_TPS_LIMIT, retentionExpiresFootage: false };
}

function addStream(state, { name, retentionHours = 0, createdMs = Date.now(), deviceName, mediaType, kmsKeyId }) {
  const stream = {
    name,
    arn: `arn:aws:kinesisvideo:${state.region}:${ACCOUNT}:stream/${name}/${createdMs}`,
    deviceName: deviceName ?? null,
    mediaType: mediaType ?? "video/h264",
    kmsKeyId: kmsKeyId ?? `arn:aws:kms:${state.region}:${ACCOUNT}:alias/aws/kinesisvideo`,
    version: newVersion(),
    status: "ACTIVE",
    creationTime: createdMs / 1000,
    retentionHours,
    gaps: [],
    retentionChanges: [],
  };
  state.streams.set(name, stream);
  return stream;
}

function addChannel(state, { name, createdMs = Date.now(), type = "SINGLE_MASTER", messageTtlSeconds = 60 }) {
  const channel = {
    name,
    arn: `arn:aws:kinesisvideo:${state.region}:${ACCOUNT}:channel/${name}/${createdMs}`,
    type,
    status: "ACTIVE",
    creationTime: createdMs / 1000,
    messageTtlSeconds,
    version: newVersion(),
  };
  state.channels.set(name, channel);
  return channel;
}

function addThing(state, { name, thingTypeName = null, attributes = {}, billingGroupName = null }) {
  const thing = {
    thingName: name,
    thingId: crypto.randomUUID(),
    thingArn: `arn:aws:iot:${state.region}:${ACCOUNT}:thing/${name}`,
    thingTypeName,
    attributes,
    billingGroupName,
    version: 1,
  };
  state.things.set(name, thing);
  return thing;
}

function statsFor(state, name) {
  let s = state.statsByName.get(name);
  if (!s) {
    s = { calls: {}, errors: {}, retentionOps: {} };
    state.statsByName.set(name, s);
  }
  return s;
}

/** The resource an API call is about (stream, channel or thing name), for stats and faults. */
function resourceName(op, input, thingName) {
  if (thingName) return thingName;
  const fromArn = (arn) => (typeof arn === "string" ? arn.split("/")[1] : undefined);
  if (op === "CreateSignalingChannel" || op === "DescribeSignalingChannel" || op === "GetSignalingChannelEndpoint" || op === "GetIceServerConfig") {
    return input.ChannelName ?? fromArn(input.ChannelARN);
  }
  return input.StreamName ?? fromArn(input.StreamARN);
}

function findStream(state, input) {
  const { StreamName, StreamARN } = input;
  if (StreamName === undefined && StreamARN === undefined) throw invalid("Either StreamName or StreamARN must be specified.");
  let stream;
  if (StreamARN !== undefined) {
    stream = [...state.streams.values()].find((s) => s.arn === StreamARN);
    if (stream && StreamName !== undefined && StreamName !== stream.name) throw invalid("StreamName and StreamARN refer to different streams.");
    if (!stream) throw notFound(`Stream ${StreamARN} not found.`);
  } else {
    if (typeof StreamName !== "string" || !NAME_PATTERN.test(StreamName)) throw invalid("StreamName is invalid.");
    stream = state.streams.get(StreamName);
    if (!stream) throw notFound(`Stream ${StreamName} not found.`);
  }
  if (stream.status !== "ACTIVE") throw new AwsFault(400, "ResourceInUseException", `Stream ${stream.name} is ${stream.status}.`);
  return stream;
}

function findChannelByArn(state, arn) {
  if (typeof arn !== "string" || !arn) throw invalid("ChannelARN is required.");
  const channel = [...state.channels.values()].find((c) => c.arn === arn);
  if (!channel) throw notFound(`Channel ${arn} not found.`);
  return channel;
}

/** What ./aws/footage.mjs needs to know about now: the clock, the oldest second kept, the schedule. */
function footageOpts(state, stream, now = nowSec()) {
  let floor = now - FOOTAGE_SECONDS;
  if (state.faults.retentionExpiresFootage) floor = Math.max(floor, now - stream.retentionHours * HOUR);
  return { now, floor, scheduleUntil: state.startedSec };
}

function checkAccountTps(state, op) {
  const limit = state.faults.accountTpsLimit;
  if (!limit || !ACCOUNT_TPS_LIMITED_OPS.has(op)) return;
  const now = Date.now();
  const recent = (state.accountWindows.get(op) ?? []).filter((t) => t > now - 1000);
  if (recent.length >= limit) {
    state.accountWindows.set(op, recent);
    throw new AwsFault(400, "ClientLimitExceededException", `Exceeded the account limit of ${limit} ${op} calls per second.`);
  }
  recent.push(now);
  state.accountWindows.set(op, recent);
}

/** The highest number of arrivals in any 1 s window, over the whole log and per name. */
function maxRates(entries) {
  const maxWindow = (times) => {
    times.sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  };
  const byOp = new Map();
  const byName = new Map();
  for (const [name, op, t] of entries) {
    (byOp.get(op) ?? byOp.set(op, []).get(op)).push(t);
    (byName.get(name) ?? byName.set(name, []).get(name)).push(t);
  }
  const account = Object.fromEntries([...byOp].map(([op, ts]) => [op, maxWindow(ts)]));
  let stream = 0;
  for (const ts of byName.values()) stream = Math.max(stream, maxWindow(ts));
  return { calls: entries.length, streams: byName.size, accountMaxPerSecond: account, streamMaxPerSecond: stream };
}

function checkTps(state, op, name) {
  const limit = state.faults.tpsLimit;
  if (!limit || !TPS_LIMITED_OPS.has(op) || !name) return;
  const key = `${op}|${name}`;
  const now = Date.now();
  const recent = (state.tpsWindows.get(key) ?? []).filter((t) => t > now - 1000);
  if (recent.length >= limit) {
    state.tpsWindows.set(key, recent);
    throw new AwsFault(400, "ClientLimitExceededException", `Exceeded the limit of ${limit} ${op} calls per second for stream ${name}.`);
  }
  recent.push(now);
  state.tpsWindows.set(key, recent);
}

/** Consumes one injected fault matching this call, if any. */
function takeFault(state, op, name, isIot) {
  const matches = (f) => (!f.stream || f.stream === name) && (!f.api || f.api === op);
  const e5 = state.faults.error5xx.find(matches);
  if (e5) {
    if (--e5.count <= 0) state.faults.error5xx.splice(state.faults.error5xx.indexOf(e5), 1);
    const status = e5.status ?? 500;
    const code = isIot
      ? status === 503
        ? "ServiceUnavailableException"
        : "InternalFailureException"
      : status === 503
        ? "ServiceUnavailable"
        : "InternalFailure";
    return new AwsFault(status, code, "We encountered an internal error. Please try again. (injected)");
  }
  const th = state.faults.throttle.find(matches);
  if (th) {
    if (--th.count <= 0) state.faults.throttle.splice(state.faults.throttle.indexOf(th), 1);
    return isIot
      ? new AwsFault(400, "ThrottlingException", "Rate exceeded (injected)")
      : new AwsFault(
          400,
          "ClientLimitExceededException",
          "Kinesis Video Streams has throttled the request because you have exceeded the limit of allowed client calls. (injected)",
        );
  }
  return null;
}

// ---- timestamp helpers -------------------------------------------------------------------

const isTime = (v) => typeof v === "number" && Number.isFinite(v);

function checkRange(range, selectorType, { endRequired = true } = {}) {
  if (!range || typeof range !== "object") throw invalid("TimestampRange is required.");
  const { StartTimestamp: start, EndTimestamp: end } = range;
  if (!isTime(start)) throw invalid("StartTimestamp must be an epoch-seconds number.");
  if (end === undefined && !endRequired) return { start, end: undefined };
  if (!isTime(end)) throw invalid("EndTimestamp must be an epoch-seconds number.");
  if (end <= start) throw invalid("EndTimestamp must be later than StartTimestamp.");
  if (end - start > DAY) throw invalid("The time range between StartTimestamp and EndTimestamp must not exceed 24 hours.");
  if (selectorType === "SERVER_TIMESTAMP" && end > nowSec()) throw invalid("EndTimestamp must be in the past for SERVER_TIMESTAMP.");
  return { start, end };
}

function checkSelectorType(t, fallback) {
  const type = t ?? fallback;
  if (type !== "SERVER_TIMESTAMP" && type !== "PRODUCER_TIMESTAMP") throw invalid("FragmentSelectorType must be SERVER_TIMESTAMP or PRODUCER_TIMESTAMP.");
  return type;
}

// ---- operations --------------------------------------------------------------------------

const streamInfo = (s) => ({
  ...(s.deviceName ? { DeviceName: s.deviceName } : {}),
  StreamName: s.name,
  StreamARN: s.arn,
  MediaType: s.mediaType,
  KmsKeyId: s.kmsKeyId,
  Version: s.version,
  Status: s.status,
  CreationTime: s.creationTime,
  DataRetentionInHours: s.retentionHours,
});

const OPS = {
  DescribeStream({ state, input }) {
    return { StreamInfo: streamInfo(findStream(state, input)) };
  },

  UpdateDataRetention({ state, input }) {
    const stream = findStream(state, input);
    const { CurrentVersion, Operation, DataRetentionChangeInHours: delta } = input;
    if (typeof CurrentVersion !== "string" || !/^[a-zA-Z0-9]{1,64}$/.test(CurrentVersion)) throw invalid("CurrentVersion is required.");
    if (Operation !== "INCREASE_DATA_RETENTION" && Operation !== "DECREASE_DATA_RETENTION") {
      throw invalid("Operation must be INCREASE_DATA_RETENTION or DECREASE_DATA_RETENTION.");
    }
    if (!Number.isInteger(delta) || delta < 1) throw invalid("DataRetentionChangeInHours must be an integer of at least 1.");
    if (CurrentVersion !== stream.version) {
      throw new AwsFault(400, "VersionMismatchException", `The version ${CurrentVersion} of stream ${stream.name} is not the latest version.`);
    }
    const to = stream.retentionHours + (Operation === "INCREASE_DATA_RETENTION" ? delta : -delta);
    if (to < 0 || to > MAX_RETENTION_HOURS) throw invalid(`The resulting data retention must be between 0 and ${MAX_RETENTION_HOURS} hours.`);
    stream.retentionChanges.push({ operation: Operation, deltaHours: delta, fromHours: stream.retentionHours, toHours: to, at: Date.now() });
    stream.retentionHours = to;
    stream.version = newVersion();
    return {};
  },

  CreateStream({ state, input }) {
    const { StreamName, DeviceName, MediaType, KmsKeyId, DataRetentionInHours = 0 } = input;
    if (typeof StreamName !== "string" || !NAME_PATTERN.test(StreamName)) throw invalid("StreamName is required and must match [a-zA-Z0-9_.-]+.");
    if (!Number.isInteger(DataRetentionInHours) || DataRetentionInHours < 0 || DataRetentionInHours > MAX_RETENTION_HOURS) {
      throw invalid(`DataRetentionInHours must be an integer between 0 and ${MAX_RETENTION_HOURS}.`);
    }
    if (state.streams.has(StreamName)) throw new AwsFault(400, "ResourceInUseException", `The stream ${StreamName} already exists.`);
    const stream = addStream(state, {
      name: StreamName,
      retentionHours: DataRetentionInHours,
      deviceName: DeviceName,
      mediaType: MediaType,
      kmsKeyId: KmsKeyId,
    });
    return { StreamARN: stream.arn };
  },

  GetDataEndpoint({ state, input, base }) {
    findStream(state, input);
    if (!API_NAMES.includes(input.APIName)) throw invalid(`APIName must be one of ${API_NAMES.join(", ")}.`);
    return { DataEndpoint: base };
  },

  CreateSignalingChannel({ state, input }) {
    const { ChannelName, ChannelType = "SINGLE_MASTER", SingleMasterConfiguration } = input;
    if (typeof ChannelName !== "string" || !NAME_PATTERN.test(ChannelName)) throw invalid("ChannelName is required and must match [a-zA-Z0-9_.-]+.");
    if (ChannelType !== "SINGLE_MASTER" && ChannelType !== "FULL_MESH") throw invalid("ChannelType must be SINGLE_MASTER or FULL_MESH.");
    const ttl = SingleMasterConfiguration?.MessageTtlSeconds ?? 60;
    if (!Number.isInteger(ttl) || ttl < 5 || ttl > 120) throw invalid("MessageTtlSeconds must be between 5 and 120.");
    if (state.channels.has(ChannelName)) throw new AwsFault(400, "ResourceInUseException", `The signaling channel ${ChannelName} already exists.`);
    return { ChannelARN: addChannel(state, { name: ChannelName, type: ChannelType, messageTtlSeconds: ttl }).arn };
  },

  DescribeSignalingChannel({ state, input }) {
    const { ChannelName, ChannelARN } = input;
    let channel;
    if (ChannelARN !== undefined) channel = findChannelByArn(state, ChannelARN);
    else if (typeof ChannelName === "string") channel = state.channels.get(ChannelName);
    else throw invalid("Either ChannelName or ChannelARN must be specified.");
    if (!channel) throw notFound(`Channel ${ChannelName} not found.`);
    return {
      ChannelInfo: {
        ChannelName: channel.name,
        ChannelARN: channel.arn,
        ChannelType: channel.type,
        ChannelStatus: channel.status,
        CreationTime: channel.creationTime,
        SingleMasterConfiguration: { MessageTtlSeconds: channel.messageTtlSeconds },
        Version: channel.version,
      },
    };
  },

  GetSignalingChannelEndpoint({ state, input, base }) {
    findChannelByArn(state, input.ChannelARN);
    const cfg = input.SingleMasterChannelEndpointConfiguration ?? {};
    const protocols = cfg.Protocols ?? ["WSS", "HTTPS"];
    const role = cfg.Role ?? "MASTER";
    if (!Array.isArray(protocols) || protocols.length < 1 || protocols.length > 5 || protocols.some((p) => !["WSS", "HTTPS", "WEBRTC"].includes(p))) {
      throw invalid("Protocols must be a list of WSS, HTTPS, WEBRTC.");
    }
    if (role !== "MASTER" && role !== "VIEWER") throw invalid("Role must be MASTER or VIEWER.");
    const wsBase = base.replace(/^http/, "ws");
    return {
      ResourceEndpointList: [...new Set(protocols)].map((p) => ({ Protocol: p, ResourceEndpoint: p === "WSS" ? wsBase : base })),
    };
  },

  GetIceServerConfig({ state, input, base }) {
    const channel = findChannelByArn(state, input.ChannelARN);
    if (input.ClientId !== undefined && (typeof input.ClientId !== "string" || !NAME_PATTERN.test(input.ClientId))) {
      throw new AwsFault(400, "InvalidClientException", "The specified client is invalid.");
    }
    if (input.Service !== undefined && input.Service !== "TURN") throw invalid("Service must be TURN.");
    const host = new URL(base).hostname;
    const ttl = 300;
    const server = () => ({
      Uris: [`turn:${host}:3478?transport=udp`, `turns:${host}:443?transport=udp`, `turns:${host}:443?transport=tcp`],
      Username: `${Math.floor(nowSec()) + ttl}:${channel.name}`,
      Password: crypto.randomBytes(24).toString("base64"),
      Ttl: ttl,
    });
    return { IceServerList: [server(), server()] };
  },

  async GetClip({ state, input, res }) {
    const stream = findStream(state, input);
    const selector = input.ClipFragmentSelector;
    if (!selector || typeof selector !== "object") throw invalid("ClipFragmentSelector is required.");
    const type = checkSelectorType(selector.FragmentSelectorType);
    const { start, end } = checkRange(selector.TimestampRange, type);
    if (stream.retentionHours === 0) throw new AwsFault(400, "NoDataRetentionException", `Stream ${stream.name} does not retain data.`);
    // The fragments that start in the range (ClipTimestampRange), at most the first 200.
    const frags = takeFragments(stream, { type, start, end }, footageOpts(state, stream), CLIP_MAX_FRAGMENTS);
    if (!frags.length) throw notFound("No fragments found in the requested time range.");
    const mp4 = buildClip({ seed: stream.name, fragments: frags.map((f) => ({ startSec: f.t, durationMs: f.lengthMs })) });
    res.writeHead(200, { "Content-Type": "video/mp4", "x-amzn-RequestId": crypto.randomUUID() });
    await streamOut(res, mp4);
  },

  GetHLSStreamingSessionURL({ state, input, base }) {
    const stream = findStream(state, input);
    return createHlsSession({ state, stream, input, base, opts: footageOpts(state, stream) });
  },

  ListFragments({ state, input }) {
    const stream = findStream(state, input);
    return listFragments({ stream, input, opts: footageOpts(state, stream) });
  },

  GetImages({ state, input }) {
    const stream = findStream(state, input);
    return getImages({ stream, input, opts: footageOpts(state, stream) });
  },

  CreateThing({ state, input, thingName }) {
    const attributes = input.attributePayload?.attributes ?? {};
    const thingTypeName = input.thingTypeName ?? null;
    const billingGroupName = input.billingGroupName ?? null;
    if (typeof attributes !== "object" || Array.isArray(attributes) || Object.values(attributes).some((v) => typeof v !== "string")) {
      throw new AwsFault(400, "InvalidRequestException", "attributePayload.attributes must map names to strings.");
    }
    const existing = state.things.get(thingName);
    if (existing) {
      // "If this call is made multiple times using the same thing name and configuration, the call
      // will succeed. [...] different configuration a ResourceAlreadyExistsException is thrown."
      const same =
        existing.thingTypeName === thingTypeName &&
        existing.billingGroupName === billingGroupName &&
        JSON.stringify(sortKeys(existing.attributes)) === JSON.stringify(sortKeys(attributes));
      if (!same) {
        throw new AwsFault(409, "ResourceAlreadyExistsException", `Thing ${thingName} already exists with different tags or attributes`, {
          resourceId: existing.thingId,
          resourceArn: existing.thingArn,
        });
      }
      return { thingName, thingArn: existing.thingArn, thingId: existing.thingId };
    }
    const thing = addThing(state, { name: thingName, thingTypeName, attributes: { ...attributes }, billingGroupName });
    return { thingName, thingArn: thing.thingArn, thingId: thing.thingId };
  },

  DescribeThing({ state, thingName }) {
    const t = state.things.get(thingName);
    if (!t) throw new AwsFault(404, "ResourceNotFoundException", `Thing ${thingName} cannot be found.`);
    return {
      defaultClientId: t.thingName,
      thingName: t.thingName,
      thingId: t.thingId,
      thingArn: t.thingArn,
      ...(t.thingTypeName ? { thingTypeName: t.thingTypeName } : {}),
      attributes: t.attributes,
      version: t.version,
      ...(t.billingGroupName ? { billingGroupName: t.billingGroupName } : {}),
    };
  },
};

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Writes the body in chunks with flow control, like a real streamed payload. */
async function streamOut(res, bytes, chunkSize = 8 * 1024) {
  for (let i = 0; i < bytes.length; i += chunkSize) {
    if (res.destroyed) return;
    if (!res.write(bytes.subarray(i, i + chunkSize))) await once(res, "drain");
    await new Promise((r) => setImmediate(r));
  }
  res.end();
}

// ---- request handling ---------------------------------------------------------------------

async function handleApi(state, credentials, req, res, url) {
  const base = `http://${req.headers.host}`;
  const rawTarget = req.url ?? "/";
  const q = rawTarget.indexOf("?");
  const rawPath = q < 0 ? rawTarget : rawTarget.slice(0, q);
  const rawQuery = q < 0 ? "" : rawTarget.slice(q + 1);
  const isIot = url.pathname.startsWith("/things/");
  // IoT data plane Publish, which the camera events rule picks up (./aws/iot-rule.mjs).
  const isIotData = url.pathname.startsWith("/topics/");
  const body = await readBody(req, 1024 * 1024);

  const auth = verifySigV4({
    method: req.method,
    rawPath,
    rawQuery,
    headers: req.headers,
    body,
    service: isIot ? "iot" : isIotData ? "iotdata" : "kinesisvideo",
    region: state.region,
    credentials,
  });
  if (!auth.ok) {
    bump(state.stats.authFailures, auth.code);
    return sendAwsError(res, auth.status, auth.code, auth.message);
  }

  if (isIotData) {
    bump(state.stats.calls, "Publish");
    return state.iotRule.publish(res, rawPath, url.searchParams, body);
  }

  let op;
  let thingName;
  if (isIot) {
    thingName = decodeURIComponent(url.pathname.slice("/things/".length));
    op = req.method === "GET" ? "DescribeThing" : req.method === "POST" ? "CreateThing" : undefined;
    if (thingName.includes("/")) op = undefined;
  } else if (req.method === "POST") {
    op = KVS_OPS[url.pathname];
  }
  if (!op) return sendAwsError(res, 404, "UnknownOperationException", `Unknown operation: ${req.method} ${url.pathname}`);
  if (isIot && !THING_PATTERN.test(thingName))
    return sendAwsError(res, 400, "InvalidRequestException", "thingName must match [a-zA-Z0-9:_-]+ (at most 128 characters).");

  let input = {};
  if (body.length) {
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return sendAwsError(res, 400, "SerializationException", "Could not parse the request body as JSON.");
    }
    if (!input || typeof input !== "object" || Array.isArray(input))
      return sendAwsError(res, 400, "SerializationException", "The request body must be a JSON object.");
  }

  const name = resourceName(op, input, thingName);
  const perName = name ? statsFor(state, name) : null;
  bump(state.stats.calls, op);
  if (perName) bump(perName.calls, op);
  if (op === "UpdateDataRetention" && typeof input.Operation === "string") {
    // Counted on arrival (accepted or not), so a test can assert that a DECREASE was never sent.
    bump(state.stats.retentionOps, input.Operation);
    if (perName) bump(perName.retentionOps, input.Operation);
  }

  try {
    const injected = takeFault(state, op, name, isIot);
    if (injected) throw injected;
    if (ACCOUNT_TPS_LIMITED_OPS.has(op) && state.rateLog.length < RATE_LOG_MAX) state.rateLog.push([name ?? "", op, Date.now()]);
    checkAccountTps(state, op);
    checkTps(state, op, name);
    const out = await OPS[op]({ state, input, res, base, thingName });
    if (out !== undefined) sendJson(res, 200, out, { "x-amzn-RequestId": crypto.randomUUID() });
  } catch (err) {
    if (!(err instanceof AwsFault)) throw err;
    bump(state.stats.errors, err.code);
    if (perName) bump(perName.errors, err.code);
    sendAwsError(res, err.status, err.code, err.message, err.extra);
  }
}

// ---- CONTROL ENDPOINTS (tests and local mode only; unsigned) -------------------------------
//   GET  /__standin/health                      (shared)
//   POST /__standin/faults   {throttle?: {count, stream?, api?}, error5xx?: {count, status?: 500|503, stream?, api?},
//                             tpsLimit?: boolean|number, retentionExpiresFootage?: boolean, clear?: true|{stream}}
//        throttle: the next `count` matching calls get 400 ClientLimitExceededException (IoT: ThrottlingException);
//        error5xx: 500 InternalFailure / 503 ServiceUnavailable (IoT: InternalFailureException / ServiceUnavailableException).
//        `stream` matches the stream, channel or thing name of a call; `api` the operation (e.g. "GetClip").
//        Test files share one stand-in: scope faults to a stream of your own. tpsLimit and
//        retentionExpiresFootage are global (the latter drops footage older than the stream's retention).
//        clear: true drops every queued fault and restores the defaults; {stream} drops that stream's faults.
//        Applied before the other keys.
//   GET  /__standin/faults
//   POST /__standin/streams  {streams: [{name, retentionHours, version?}]}   create or overwrite (bulk)
//   GET  /__standin/streams/:name                                            state, gaps, retention changes
//   DELETE /__standin/streams/:name
//   POST /__standin/gaps     {stream, start, end} (epoch seconds)  |  {stream, clear: true}
//                            | {stream, schedule: false|true}: the demo cameras' offline schedule off/on
//                            (on for DEMO_IDS; ./aws/footage.mjs)
//   GET  /__standin/footage   {startedSec (demo schedule applies before it), fragmentSeconds, footageSeconds}
//   GET  /__standin/rates[?prefix=]  {calls, streams, accountMaxPerSecond: {op: n}, streamMaxPerSecond}: the
//        highest DescribeStream/UpdateDataRetention arrivals in any 1 s window (streams named prefix*)
//   DELETE /__standin/rates[?prefix=]
//   GET  /__standin/stats[?name=<stream|thing|channel>]   {calls, errors, retentionOps[, authFailures]}
//   GET  /__standin/things/:name
//   GET  /__standin/resources   {things, streams, channels}: the names of every resource, sorted
//   GET  /__standin/iot/deliveries[?eventId=]   {stats: {published, matched, delivered, failed}, deliveries:
//                            [{topic, eventId, status, error, body, receivedAt, attempts}]} what the rule sent the app
//   POST /__standin/webrtc   {disabled: boolean, channel?: name}  the camera peer of `channel` (or of every
//                            channel) stops answering viewers: offers go unanswered, as with an offline
//                            camera, so the app's live view must fall back to HLS. Scope it to your channel.
//   GET  /__standin/webrtc   {disabledAll, disabled: [channel], stats, connections, sessions}

async function control(state, req, res, url, live) {
  const path = url.pathname;
  const json = async () => {
    const raw = await readBody(req, 10 * 1024 * 1024);
    try {
      return raw.length ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      throw Object.assign(new Error("body must be JSON"), { status: 400 });
    }
  };
  const bad = (message) => sendJson(res, 400, { error: "bad_request", message });

  if (path === "/__standin/faults" && req.method === "GET") return sendJson(res, 200, state.faults);
  if (path === "/__standin/faults" && req.method === "POST") {
    const b = await json();
    if (b.clear === true) state.faults = defaultFaults();
    else if (typeof b.clear?.stream === "string") {
      // Scoped clear, so parallel test files sharing this stand-in do not undo each other's faults.
      for (const kind of ["throttle", "error5xx"]) state.faults[kind] = state.faults[kind].filter((f) => f.stream !== b.clear.stream);
    }
    for (const kind of ["throttle", "error5xx"]) {
      const f = b[kind];
      if (f === undefined) continue;
      if (!Number.isInteger(f?.count) || f.count < 1) return bad(`${kind}.count must be a positive integer`);
      if (kind === "error5xx" && f.status !== undefined && f.status !== 500 && f.status !== 503) return bad("error5xx.status must be 500 or 503");
      state.faults[kind].push({ count: f.count, stream: f.stream, api: f.api, status: f.status });
    }
    if (b.tpsLimit !== undefined) {
      if (b.tpsLimit === false) state.faults.tpsLimit = false;
      else if (b.tpsLimit === true) state.faults.tpsLimit = DEFAULT_TPS_LIMIT;
      else if (Number.isInteger(b.tpsLimit) && b.tpsLimit > 0) state.faults.tpsLimit = b.tpsLimit;
      else return bad("tpsLimit must be false, true or a positive integer");
    }
    if (b.accountTpsLimit !== undefined) {
      if (b.accountTpsLimit === false) state.faults.accountTpsLimit = false;
      else if (Number.isInteger(b.accountTpsLimit) && b.accountTpsLimit > 0) state.faults.accountTpsLimit = b.accountTpsLimit;
      else return bad("accountTpsLimit must be false or a positive integer");
    }
    if (b.retentionExpiresFootage !== undefined) state.faults.retentionExpiresFootage = !!b.retentionExpiresFootage;
    return sendJson(res, 200, state.faults);
  }

  if (path === "/__standin/streams" && req.method === "POST") {
    const b = await json();
    if (!Array.isArray(b.streams)) return bad("streams must be an array");
    for (const s of b.streams) {
      if (typeof s?.name !== "string" || !NAME_PATTERN.test(s.name)) return bad(`invalid stream name ${JSON.stringify(s?.name)}`);
      if (!Number.isInteger(s.retentionHours) || s.retentionHours < 0 || s.retentionHours > MAX_RETENTION_HOURS)
        return bad(`invalid retentionHours for ${s.name}`);
    }
    for (const s of b.streams) {
      const stream = addStream(state, { name: s.name, retentionHours: s.retentionHours, deviceName: s.name });
      if (typeof s.version === "string") stream.version = s.version;
    }
    return sendJson(res, 200, { count: b.streams.length });
  }
  const streamPath = /^\/__standin\/streams\/([^/]+)$/.exec(path);
  if (streamPath) {
    const name = decodeURIComponent(streamPath[1]);
    const s = state.streams.get(name);
    if (req.method === "DELETE") {
      state.streams.delete(name);
      return sendJson(res, 200, { deleted: !!s });
    }
    if (!s) return sendJson(res, 404, { error: "not_found", message: `no stream ${name}` });
    return sendJson(res, 200, {
      ...streamInfo(s),
      gaps: s.gaps,
      retentionChanges: s.retentionChanges,
      stats: statsFor(state, name),
    });
  }

  if (path === "/__standin/gaps" && req.method === "POST") {
    const b = await json();
    const s = state.streams.get(b.stream);
    if (!s) return sendJson(res, 404, { error: "not_found", message: `no stream ${b.stream}` });
    if (typeof b.schedule === "boolean") s.schedule = b.schedule;
    if (b.clear) s.gaps = [];
    else if (b.start !== undefined || b.end !== undefined || b.schedule === undefined) {
      if (!isTime(b.start) || !isTime(b.end) || b.end <= b.start) return bad("start and end must be epoch seconds with end > start");
      s.gaps.push({ start: b.start, end: b.end });
    }
    return sendJson(res, 200, { stream: s.name, gaps: s.gaps, schedule: !!s.schedule });
  }

  if (path === "/__standin/footage" && req.method === "GET") {
    return sendJson(res, 200, { startedSec: state.startedSec, fragmentSeconds: FRAGMENT_SECONDS, footageSeconds: FOOTAGE_SECONDS });
  }

  if (path === "/__standin/rates" && req.method === "GET") {
    const prefix = url.searchParams.get("prefix") ?? "";
    return sendJson(res, 200, maxRates(state.rateLog.filter(([name]) => name.startsWith(prefix))));
  }
  if (path === "/__standin/rates" && req.method === "DELETE") {
    const prefix = url.searchParams.get("prefix") ?? "";
    state.rateLog = prefix ? state.rateLog.filter(([name]) => !name.startsWith(prefix)) : [];
    return sendJson(res, 200, { ok: true });
  }

  if (path === "/__standin/stats" && req.method === "GET") {
    const name = url.searchParams.get("name") ?? url.searchParams.get("stream");
    return sendJson(res, 200, name ? statsFor(state, name) : state.stats);
  }

  if (path === "/__standin/webrtc" && req.method === "POST") {
    const b = await json();
    if (typeof b.disabled !== "boolean") return bad("disabled must be a boolean");
    if (b.channel !== undefined && (typeof b.channel !== "string" || !NAME_PATTERN.test(b.channel))) return bad("channel must be a channel name");
    if (b.channel === undefined) {
      state.webrtc.disabledAll = b.disabled;
      if (!b.disabled) state.webrtc.disabled.clear();
    } else if (b.disabled) state.webrtc.disabled.add(b.channel);
    else state.webrtc.disabled.delete(b.channel);
    return sendJson(res, 200, { disabledAll: state.webrtc.disabledAll, disabled: [...state.webrtc.disabled] });
  }
  if (path === "/__standin/webrtc" && req.method === "GET") {
    return sendJson(res, 200, {
      disabledAll: state.webrtc.disabledAll,
      disabled: [...state.webrtc.disabled],
      stats: state.webrtc.stats,
      connections: live.signaling?.describe() ?? [],
      sessions: live.camera.describe(),
    });
  }

  if (path === "/__standin/iot/deliveries" && req.method === "GET") {
    const eventId = url.searchParams.get("eventId");
    const list = state.iotRule.deliveries.filter((d) => !eventId || d.eventId === eventId);
    return sendJson(res, 200, { stats: state.iotRule.stats, deliveries: list });
  }

  if (path === "/__standin/resources" && req.method === "GET") {
    const names = (m) => [...m.keys()].sort();
    return sendJson(res, 200, { things: names(state.things), streams: names(state.streams), channels: names(state.channels) });
  }

  const thingPath = /^\/__standin\/things\/([^/]+)$/.exec(path);
  if (thingPath && req.method === "GET") {
    const t = state.things.get(decodeURIComponent(thingPath[1]));
    return t ? sendJson(res, 200, t) : sendJson(res, 404, { error: "not_found" });
  }

  return sendJson(res, 404, { error: "not_found", message: `Unknown stand-in control ${req.method} ${path}` });
}

/**
 * @param {{port: number, appOrigin?: string, env?: Record<string,string>}} opts (appOrigin: where the IoT rule
 * delivers camera events)
 * env: AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, IOT_RULE_TOKEN (the app's configuration).
 */
export async function startAws({ port, appOrigin, env = {} } = {}) {
  const state = createState(env.AWS_REGION || "us-east-1");
  state.iotRule = createIotRule({ appOrigin, token: env.IOT_RULE_TOKEN });
  const credentials = new Map();
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) credentials.set(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY);
  const live = { camera: createCameraPeers({ stats: state.webrtc.stats }), signaling: null };
  const server = await startServer({
    service: "aws",
    port,
    handler: async (req, res, url) => {
      if (url.pathname.startsWith("/__standin/")) return control(state, req, res, url, live);
      if (url.pathname.startsWith("/hls/v1/")) {
        const session = state.hlsSessions.get(url.searchParams.get("SessionToken") ?? "");
        const stream = session && state.streams.get(session.stream);
        return serveHls({ state, req, res, url, opts: stream ? footageOpts(state, stream) : { now: nowSec() } });
      }
      return handleApi(state, credentials, req, res, url);
    },
  });
  live.signaling = attachSignaling({ server: server.server, state, credentials, camera: live.camera });
  return {
    ...server,
    state,
    close: () => {
      live.camera.close();
      live.signaling.close();
      return server.close();
    },
  };
}
