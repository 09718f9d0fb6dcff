import { env } from "cloudflare:test";
import { AwsClient } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { getConfig } from "~/lib/config.server";
import { createKvsClient, isRetryable, KvsError, kvsClientFromConfig, normalizeErrorCode, withRetry } from "~/lib/kvs.server";

// The AWS stand-in (standins/aws.mjs) driven through our real client (app/lib/kvs.server.ts), from
// inside workerd, with the endpoints the app gets from its config.

const AWS = env.TEST_STANDIN_URLS.aws;
// The demo camera aovis-n4k-000001, named in the existing deployment's pattern (ADR 021).
const DEMO = "aovis-stream-aovis-n4k-000001";
const DEMO_THING = "aovis-dev-aovis-n4k-000001";
const DEMO_CHANNEL = "aovis-webrtc-aovis-n4k-000001";
const client = () => kvsClientFromConfig(getConfig(env));
const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;
const nowSec = () => Math.floor(Date.now() / 1000);

async function control<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${AWS}/__standin/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

async function failure(p: Promise<unknown>): Promise<KvsError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KvsError);
    return err as KvsError;
  }
  throw new Error("expected the call to fail");
}

async function newStream(retentionHours = 24): Promise<string> {
  const name = uid("test-stream");
  await client().createStream({ name, dataRetentionInHours: retentionHours });
  return name;
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

const boxType = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));

describe("AWS stand-in through the KVS client", () => {
  it("uses the configured endpoints", () => {
    const c = getConfig(env);
    expect(c.kvsEndpoint).toBe(AWS);
    expect(c.iotEndpoint).toBe(AWS);
  });

  it("DescribeStream: demo devices are preloaded, by name or ARN", async () => {
    const kvs = client();
    const one = await kvs.describeStream(DEMO);
    expect(one).toMatchObject({ StreamName: DEMO, Status: "ACTIVE", DataRetentionInHours: 720 });
    expect(one.StreamARN).toMatch(/^arn:aws:kinesisvideo:us-east-1:000000000000:stream\/aovis-stream-aovis-n4k-000001\/\d+$/);
    expect(one.Version).toMatch(/^[a-zA-Z0-9]+$/);
    expect(typeof one.CreationTime).toBe("number");
    expect((await kvs.describeStream(one.StreamARN)).StreamName).toBe(DEMO);
    // Preloaded at 24 h; the retention cron (run by other test files against this shared stand-in)
    // may already have raised it to the 720 h target, never anything else.
    expect([24, 720]).toContain((await kvs.describeStream("aovis-stream-aovis-n4k-000003")).DataRetentionInHours);
    const missing = await failure(kvs.describeStream("no-such-stream"));
    expect([missing.code, missing.status]).toEqual(["ResourceNotFoundException", 404]);
  });

  it("CreateStream, then UpdateDataRetention with versions; a stale version is a VersionMismatchException", async () => {
    const kvs = client();
    const name = await newStream(24);
    const dup = await failure(kvs.createStream({ name, dataRetentionInHours: 24 }));
    expect([dup.code, dup.status]).toEqual(["ResourceInUseException", 400]);

    const v1 = (await kvs.describeStream(name)).Version;
    await kvs.updateDataRetention({ stream: name, currentVersion: v1, operation: "INCREASE_DATA_RETENTION", changeInHours: 696 });
    const after = await kvs.describeStream(name);
    expect(after.DataRetentionInHours).toBe(720);
    expect(after.Version).not.toBe(v1);

    const stale = await failure(kvs.updateDataRetention({ stream: name, currentVersion: v1, operation: "INCREASE_DATA_RETENTION", changeInHours: 1 }));
    expect([stale.code, stale.status]).toEqual(["VersionMismatchException", 400]);
    expect(isRetryable(stale)).toBe(false);
    expect((await kvs.describeStream(name)).DataRetentionInHours).toBe(720);

    const state = await control<{ DataRetentionInHours: number; retentionChanges: { operation: string; deltaHours: number }[] }>(`streams/${name}`);
    expect(state.DataRetentionInHours).toBe(720);
    expect(state.retentionChanges).toMatchObject([{ operation: "INCREASE_DATA_RETENTION", deltaHours: 696 }]);
    const stats = await control<{ calls: Record<string, number>; retentionOps: Record<string, number> }>(`stats?name=${name}`);
    expect(stats.retentionOps).toEqual({ INCREASE_DATA_RETENTION: 2 }); // attempts, the refused one included; no DECREASE
    expect(stats.calls.CreateStream).toBe(2);
  });

  it("GetDataEndpoint hands out the stand-in's own base URL", async () => {
    expect(await client().getDataEndpoint(DEMO, "GET_CLIP")).toBe(AWS);
  });

  it("GetClip in range streams a video/mp4 that starts with an ftyp box and has moov + mdat", async () => {
    const end = nowSec() - 60;
    const clip = await client().getClip(DEMO, end - 600, end);
    expect(clip.contentType).toBe("video/mp4");
    expect(clip.body).toBeInstanceOf(ReadableStream);
    const bytes = await readAll(clip.body);
    expect(boxType(bytes, 0)).toBe("ftyp");
    const ftypSize = new DataView(bytes.buffer).getUint32(0);
    expect(boxType(bytes, ftypSize)).toBe("moov");
    const moovSize = new DataView(bytes.buffer).getUint32(ftypSize);
    expect(boxType(bytes, ftypSize + moovSize)).toBe("mdat");
    expect(bytes.length).toBeGreaterThan(10_000);
  });

  it("GetClip over a gap → ResourceNotFoundException; invalid ranges → InvalidArgumentException", async () => {
    const kvs = client();
    const name = await newStream();
    const now = nowSec();
    await control("gaps", { stream: name, start: now - 7200, end: now - 3600 });
    const gap = await failure(kvs.getClip(name, now - 7000, now - 4000));
    expect([gap.code, gap.status]).toEqual(["ResourceNotFoundException", 404]);
    expect(isRetryable(gap)).toBe(false);
    // partly covered is fine: KVS returns what it has
    expect((await kvs.getClip(name, now - 4000, now - 3000)).contentType).toBe("video/mp4");

    // another stream: KVS allows 5 GetClip calls per second per stream
    const other = await newStream();
    const tooLong = await failure(kvs.getClip(other, now - 2 * 86400, now - 60));
    expect([tooLong.code, tooLong.status]).toEqual(["InvalidArgumentException", 400]);
    expect((await failure(kvs.getClip(other, now - 60, now - 120))).code).toBe("InvalidArgumentException");
    expect((await failure(kvs.getClip(other, now - 60, now + 600))).code).toBe("InvalidArgumentException");
    // older than the 30 days of footage every stream has
    expect((await failure(kvs.getClip(other, now - 40 * 86400, now - 39 * 86400))).code).toBe("ResourceNotFoundException");
  });

  it("GetHLSStreamingSessionURL: ON_DEMAND needs a range with fragments, LIVE needs none; the URL plays fMP4", async () => {
    const kvs = client();
    const name = await newStream();
    const now = nowSec();
    const url = await kvs.getHlsStreamingSessionUrl(name, "ON_DEMAND", { start: now - 3600, end: now - 60 });
    expect(url.startsWith(`${AWS}/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=`)).toBe(true);
    expect((await failure(kvs.getHlsStreamingSessionUrl(name, "ON_DEMAND"))).code).toBe("InvalidArgumentException");
    expect((await failure(kvs.getHlsStreamingSessionUrl(name, "LIVE", { start: now - 60, end: now - 1 }))).code).toBe("InvalidArgumentException");
    expect(await kvs.getHlsStreamingSessionUrl(name, "LIVE")).toContain("SessionToken=");
    await control("gaps", { stream: name, start: now - 20000, end: now - 10000 });
    expect((await failure(kvs.getHlsStreamingSessionUrl(name, "ON_DEMAND", { start: now - 19000, end: now - 11000 }))).code).toBe("ResourceNotFoundException");

    const text = async (u: string) => new TextDecoder().decode(await (await fetch(u)).arrayBuffer());
    const master = await text(url);
    expect(master.startsWith("#EXTM3U")).toBe(true);
    const mediaUrl = new URL(master.trim().split("\n").pop()!, url).toString();
    const media = await text(mediaUrl);
    expect(media).toContain("#EXT-X-ENDLIST");
    const lines = media.split("\n");
    const init = new Uint8Array(await (await fetch(new URL(/URI="([^"]+)"/.exec(media)![1], url))).arrayBuffer());
    expect(boxType(init, 0)).toBe("ftyp");
    const fragRes = await fetch(
      new URL(
        lines.find((l) => l.startsWith("getMP4MediaFragment"))!,
        url,
      ),
    );
    expect(fragRes.headers.get("content-type")).toBe("video/mp4");
    expect(boxType(new Uint8Array(await fragRes.arrayBuffer()), 0)).toBe("moof");
  });

  it("signaling: create/describe a channel, get endpoints and ICE servers", async () => {
    const kvs = client();
    const name = uid("test-channel");
    const { channelArn } = await kvs.createSignalingChannel({ name });
    expect(channelArn).toMatch(new RegExp(`^arn:aws:kinesisvideo:us-east-1:000000000000:channel/${name}/\\d+$`));
    expect(await kvs.describeSignalingChannel(name)).toMatchObject({
      ChannelName: name,
      ChannelARN: channelArn,
      ChannelStatus: "ACTIVE",
      ChannelType: "SINGLE_MASTER",
    });
    expect((await kvs.describeSignalingChannel(channelArn)).ChannelName).toBe(name);
    expect((await failure(kvs.createSignalingChannel({ name }))).code).toBe("ResourceInUseException");

    const demoArn = `arn:aws:kinesisvideo:us-east-1:000000000000:channel/${DEMO_CHANNEL}/1700000000000`;
    const endpoints = await kvs.getSignalingChannelEndpoint(demoArn, "VIEWER");
    expect(endpoints.HTTPS).toBe(AWS);
    expect(endpoints.WSS).toBe(AWS.replace(/^http/, "ws"));
    const ice = await kvs.getIceServerConfig(endpoints.HTTPS!, demoArn, "viewer-1");
    expect(ice.length).toBeGreaterThan(0);
    expect(ice[0].Uris[0]).toMatch(/^turns?:/);
    expect(ice[0]).toMatchObject({ Ttl: 300 });
    expect(typeof ice[0].Username).toBe("string");
    const unknown = await failure(kvs.getSignalingChannelEndpoint(`${demoArn}9`, "MASTER"));
    expect([unknown.code, unknown.status]).toEqual(["ResourceNotFoundException", 404]);
  });

  it("IoT: CreateThing is idempotent for the same attributes, 409 for different ones; DescribeThing", async () => {
    const kvs = client();
    const name = uid("aovis:test"); // ':' is legal in thing names and must survive path signing
    const first = await kvs.createThing(name, { attributes: { serial: "N4K-9" } });
    expect(first.thingArn).toBe(`arn:aws:iot:us-east-1:000000000000:thing/${name}`);
    const again = await kvs.createThing(name, { attributes: { serial: "N4K-9" } });
    expect(again.thingId).toBe(first.thingId);
    const conflict = await failure(kvs.createThing(name, { attributes: { serial: "OTHER" } }));
    expect([conflict.code, conflict.status]).toEqual(["ResourceAlreadyExistsException", 409]);
    expect(await kvs.describeThing(name)).toMatchObject({ thingName: name, thingId: first.thingId, attributes: { serial: "N4K-9" } });
    expect((await kvs.describeThing(DEMO_THING)).thingName).toBe(DEMO_THING);
    const missing = await failure(kvs.describeThing("no-such-thing"));
    expect([missing.code, missing.status]).toEqual(["ResourceNotFoundException", 404]);
  });
});

describe("SigV4 verification", () => {
  const c = () => getConfig(env);
  const opts = () => ({
    accessKeyId: c().AWS_ACCESS_KEY_ID,
    secretAccessKey: c().AWS_SECRET_ACCESS_KEY,
    region: c().AWS_REGION,
    kvsEndpoint: AWS,
    iotEndpoint: AWS,
  });

  it("a wrong secret → 403 InvalidSignatureException; an unknown key → 403 UnrecognizedClientException", async () => {
    const wrongSecret = await failure(createKvsClient({ ...opts(), secretAccessKey: "not-the-secret" }).describeStream(DEMO));
    expect([wrongSecret.code, wrongSecret.status]).toEqual(["InvalidSignatureException", 403]);
    expect(wrongSecret.message).toMatch(/signature we calculated does not match/);
    const wrongKey = await failure(createKvsClient({ ...opts(), accessKeyId: "AKIDUNKNOWN" }).describeThing(DEMO_THING));
    expect([wrongKey.code, wrongKey.status]).toEqual(["UnrecognizedClientException", 403]);
  });

  it("the credential scope must name the configured region and the right service", async () => {
    const region = await failure(createKvsClient({ ...opts(), region: "eu-west-1" }).describeStream(DEMO));
    expect([region.code, region.status]).toEqual(["InvalidSignatureException", 403]);
    expect(region.message).toMatch(/region/);

    const asIot = new AwsClient({
      accessKeyId: c().AWS_ACCESS_KEY_ID,
      secretAccessKey: c().AWS_SECRET_ACCESS_KEY,
      region: "us-east-1",
      service: "iot",
      retries: 0,
    });
    const res = await asIot.fetch(`${AWS}/describeStream`, { method: "POST", body: JSON.stringify({ StreamName: DEMO }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-ErrorType")).toBe("InvalidSignatureException");
    expect(await res.json()).toMatchObject({ __type: "InvalidSignatureException", message: expect.stringMatching(/kinesisvideo/) });

    const asKvs = new AwsClient({
      accessKeyId: c().AWS_ACCESS_KEY_ID,
      secretAccessKey: c().AWS_SECRET_ACCESS_KEY,
      region: "us-east-1",
      service: "kinesisvideo",
      retries: 0,
    });
    expect((await asKvs.fetch(`${AWS}/things/${DEMO_THING}`)).status).toBe(403);
    expect((await asKvs.fetch(`${AWS}/describeStream`, { method: "POST", body: JSON.stringify({ StreamName: DEMO }) })).status).toBe(200);
  });

  it("an old X-Amz-Date, a body changed after signing, or no Authorization are refused", async () => {
    const signer = new AwsClient({
      accessKeyId: c().AWS_ACCESS_KEY_ID,
      secretAccessKey: c().AWS_SECRET_ACCESS_KEY,
      region: "us-east-1",
      service: "kinesisvideo",
      retries: 0,
    });
    const old = new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/[:-]|\.\d{3}/g, "");
    const expired = await signer.fetch(`${AWS}/describeStream`, { method: "POST", body: JSON.stringify({ StreamName: DEMO }), aws: { datetime: old } });
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { message: string }).message).toMatch(/Signature expired/);

    const signed = await signer.sign(`${AWS}/describeStream`, { method: "POST", body: JSON.stringify({ StreamName: DEMO }) });
    const tampered = await fetch(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ StreamName: "aovis-stream-aovis-n4k-000002" }),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get("x-amzn-ErrorType")).toBe("InvalidSignatureException");

    const anonymous = await fetch(`${AWS}/describeStream`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("x-amzn-ErrorType")).toBe("MissingAuthenticationTokenException");
  });
});

describe("faults, limits and retries", () => {
  it("injected throttling → ClientLimitExceededException (retryable); the next call passes", async () => {
    const kvs = client();
    const name = await newStream();
    await control("faults", { throttle: { stream: name, count: 1 } });
    const err = await failure(kvs.describeStream(name));
    expect([err.code, err.status]).toEqual(["ClientLimitExceededException", 400]);
    expect(isRetryable(err)).toBe(true);
    expect((await kvs.describeStream(name)).StreamName).toBe(name);
  });

  it("withRetry backs off exponentially through throttling and 5xx, and never retries a final answer", async () => {
    const kvs = client();
    const name = await newStream();
    await control("faults", { throttle: { stream: name, count: 2 }, error5xx: { stream: name, count: 1 } });
    const delays: number[] = [];
    const errors: string[] = [];
    const info = await withRetry(() => kvs.describeStream(name), {
      sleep: async (ms) => void delays.push(ms),
      random: () => 1,
      baseDelayMs: 100,
      onRetry: (e) => errors.push(`${(e as KvsError).code}/${(e as KvsError).status}`),
    });
    expect(info.StreamName).toBe(name);
    expect(errors).toEqual(["InternalFailure/500", "ClientLimitExceededException/400", "ClientLimitExceededException/400"]);
    expect(delays).toEqual([100, 200, 400]);

    let calls = 0;
    const final = await failure(withRetry(() => (calls++, kvs.describeStream("no-such-stream")), { sleep: async () => {} }));
    expect(final.code).toBe("ResourceNotFoundException");
    expect(calls).toBe(1);

    await control("faults", { throttle: { stream: name, count: 5 } });
    calls = 0;
    const exhausted = await failure(withRetry(() => (calls++, kvs.describeStream(name)), { retries: 2, sleep: async () => {} }));
    expect(exhausted.code).toBe("ClientLimitExceededException");
    expect(calls).toBe(3);
    const left = await control<{ throttle: { stream: string; count: number }[] }>("faults", { clear: { stream: name } });
    expect(left.throttle.filter((f) => f.stream === name)).toEqual([]);
    expect((await kvs.describeStream(name)).StreamName).toBe(name);
  });

  it("enforces 5 GetClip/HLS calls per second per stream, unless disabled", async () => {
    const kvs = client();
    const name = await newStream();
    const now = nowSec();
    const call = () => kvs.getHlsStreamingSessionUrl(name, "ON_DEMAND", { start: now - 600, end: now - 60 }, { dataEndpoint: AWS });
    const results = await Promise.allSettled(Array.from({ length: 6 }, call));
    const rejected = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as KvsError);
    expect(rejected.map((e) => e.code)).toEqual(["ClientLimitExceededException"]);
    expect(isRetryable(rejected[0])).toBe(true);

    const other = await newStream();
    await control("faults", { tpsLimit: false });
    try {
      const ok = await Promise.allSettled(Array.from({ length: 7 }, () => kvs.getHlsStreamingSessionUrl(other, "LIVE", undefined, { dataEndpoint: AWS })));
      expect(ok.every((r) => r.status === "fulfilled")).toBe(true);
    } finally {
      await control("faults", { tpsLimit: true });
    }
  });

  it("bulk-creates streams for the cron and counts calls per API", async () => {
    const prefix = uid("bulk");
    const streams = Array.from({ length: 2500 }, (_, i) => ({ name: `${prefix}-${i}`, retentionHours: i % 2 ? 24 : 720 }));
    expect(await control("streams", { streams })).toEqual({ count: 2500 });
    const kvs = client();
    expect((await kvs.describeStream(`${prefix}-2499`)).DataRetentionInHours).toBe(24);
    expect((await kvs.describeStream(`${prefix}-0`)).DataRetentionInHours).toBe(720);
    const stats = await control<{ calls: Record<string, number>; retentionOps: Record<string, number> }>(`stats?name=${prefix}-2499`);
    expect(stats.calls).toEqual({ DescribeStream: 1 });
    expect(stats.retentionOps).toEqual({});
    const global = await control<{ calls: Record<string, number> }>("stats");
    expect(global.calls.DescribeStream).toBeGreaterThan(1);
  });
});

describe("error code normalisation", () => {
  it("strips the :uri suffix and the namespace# prefix", () => {
    expect(normalizeErrorCode("InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/")).toBe("InvalidSignatureException");
    expect(normalizeErrorCode("com.amazonaws.kinesisvideo#ResourceNotFoundException")).toBe("ResourceNotFoundException");
    expect(normalizeErrorCode("ns#Code:http://x")).toBe("Code");
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
