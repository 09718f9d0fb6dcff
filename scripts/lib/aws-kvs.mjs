// Node-side SigV4 client for the KVS control plane and the IoT registry, for the ops CLIs.
// Same wire shapes as app/lib/kvs.server.ts (../shared/API-SHAPES.md §3), which Node can't import
// directly (TypeScript parameter properties need a transform, not just type stripping).
// The SigV4 service and region are always explicit (aws4fetch would guess them from the host,
// which is wrong for the stand-in and for iot.* hosts); aws4fetch's own retries are off.
import { AwsClient } from "aws4fetch";

export class AwsError extends Error {
  constructor(code, status, message, operation) {
    super(`${operation}: ${code} (${status}): ${message}`);
    this.name = "AwsError";
    this.code = code;
    this.status = status;
    this.operation = operation;
  }
}

/** Throttling and 5xx (and network failures) are worth retrying. */
export function isRetryable(err) {
  return err instanceof AwsError && (err.code === "ClientLimitExceededException" || err.code === "ThrottlingException" || err.status >= 500);
}

/** delay_n = min(max, base·2^n)·(0.5 + 0.5·random); the last error is rethrown. */
export async function withRetry(fn, { retries = 4, baseDelayMs = 200, maxDelayMs = 5000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= retries || !isRetryable(err)) throw err;
      await sleep(Math.round(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * (0.5 + 0.5 * Math.random())));
    }
  }
}

function normalizeCode(raw) {
  let code = String(raw).trim();
  if (code.includes(":")) code = code.slice(0, code.indexOf(":"));
  if (code.includes("#")) code = code.slice(code.lastIndexOf("#") + 1);
  return code;
}

async function toError(res, operation) {
  const text = await res.text().catch(() => "");
  let body = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {
    // not JSON
  }
  const code = res.headers.get("x-amzn-ErrorType") ?? body.__type ?? body.code ?? body.Code ?? `Http${res.status}`;
  return new AwsError(normalizeCode(code), res.status, body.message ?? body.Message ?? (text.slice(0, 300) || res.statusText), operation);
}

/**
 * @param {{accessKeyId: string, secretAccessKey: string, sessionToken?: string, region: string, kvsEndpoint: string, iotEndpoint: string}} o
 */
export function createAwsClient(o) {
  const common = { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, sessionToken: o.sessionToken, region: o.region, retries: 0 };
  const kvs = new AwsClient({ ...common, service: "kinesisvideo" });
  const iot = new AwsClient({ ...common, service: "iot" });
  const kvsBase = o.kvsEndpoint.replace(/\/+$/, "");
  const iotBase = o.iotEndpoint.replace(/\/+$/, "");
  let calls = 0;

  async function send(signer, operation, url, method, body) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = await signer.sign(url, { method, headers: payload === undefined ? {} : { "Content-Type": "application/json" }, body: payload });
    calls++;
    let res;
    try {
      res = await fetch(request);
    } catch (err) {
      throw new AwsError("NetworkError", 599, `${err?.message ?? err}${err?.cause?.code ? ` (${err.cause.code})` : ""}`, operation);
    }
    if (!res.ok) throw await toError(res, operation);
    return res.json();
  }
  const kvsCall = (operation, path, body) => send(kvs, operation, `${kvsBase}${path}`, "POST", body);

  return {
    get calls() {
      return calls;
    },
    endpoints: { kvs: kvsBase, iot: iotBase },
    async describeStream(name) {
      return (await kvsCall("DescribeStream", "/describeStream", { StreamName: name })).StreamInfo;
    },
    async updateDataRetention({ stream, currentVersion, operation, changeInHours }) {
      await kvsCall("UpdateDataRetention", "/updateDataRetention", { StreamName: stream, CurrentVersion: currentVersion, Operation: operation, DataRetentionChangeInHours: changeInHours });
    },
    async createStream({ name, dataRetentionInHours, deviceName, mediaType, tags }) {
      const out = await kvsCall("CreateStream", "/createStream", {
        StreamName: name,
        DataRetentionInHours: dataRetentionInHours,
        ...(deviceName ? { DeviceName: deviceName } : {}),
        ...(mediaType ? { MediaType: mediaType } : {}),
        ...(tags ? { Tags: tags } : {}),
      });
      return out.StreamARN;
    },
    async createSignalingChannel({ name }) {
      return (await kvsCall("CreateSignalingChannel", "/createSignalingChannel", { ChannelName: name, ChannelType: "SINGLE_MASTER" })).ChannelARN;
    },
    async describeSignalingChannel(name) {
      return (await kvsCall("DescribeSignalingChannel", "/describeSignalingChannel", { ChannelName: name })).ChannelInfo;
    },
    /** Idempotent for the same name and attributes (409 ResourceAlreadyExistsException otherwise). */
    async createThing(name, attributes) {
      return send(iot, "CreateThing", `${iotBase}/things/${encodeURIComponent(name)}`, "POST", attributes ? { attributePayload: { attributes } } : {});
    },
    async describeThing(name) {
      return send(iot, "DescribeThing", `${iotBase}/things/${encodeURIComponent(name)}`, "GET");
    },
  };
}
