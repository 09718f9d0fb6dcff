import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getConfig } from "~/lib/config.server";
import { KvsError, kvsArchiveClientFromConfig, kvsClientFromConfig, withRetry, type KvsFragment } from "~/lib/kvs.server";

// The AWS stand-in's operations for watching (ListFragments, GetImages, HLS playlists), driven
// from workerd through our real clients (app/lib/kvs.server.ts), against the shapes of botocore's
// kinesis-video-archived-media 2017-09-30 model. The stand-in shares one fragment model between
// them, so what ListFragments lists is what GetClip, HLS and GetImages show.

const AWS = env.TEST_STANDIN_URLS.aws;
const F = 4; // the stand-in's fragment length (standins/aws/footage.mjs)
const kvs = () => kvsClientFromConfig(getConfig(env));
const archive = () => kvsArchiveClientFromConfig(getConfig(env), kvs());
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
  const name = uid("watch");
  await kvs().createStream({ name, dataRetentionInHours: retentionHours });
  return name;
}

/**
 * Every fragment in [start, end], following NextToken (with a pause: ListFragments is 5 TPS per
 * stream, and demo streams are shared with other test files, so throttling is retried).
 */
async function allFragments(stream: string, start: number, end: number, maxResults = 1000, selectorType?: "SERVER_TIMESTAMP" | "PRODUCER_TIMESTAMP") {
  const out: KvsFragment[] = [];
  let page = await withRetry(() => archive().listFragments(stream, { start, end }, { maxResults, selectorType, dataEndpoint: AWS }));
  let pages = 1;
  out.push(...page.fragments);
  while (page.nextToken) {
    await new Promise((r) => setTimeout(r, 220));
    const token = page.nextToken;
    page = await withRetry(() => archive().listFragments(stream, { nextToken: token }, { maxResults, dataEndpoint: AWS }));
    out.push(...page.fragments);
    pages++;
  }
  return { fragments: out.sort((a, b) => a.ProducerTimestamp - b.ProducerTimestamp), pages };
}

/** JPEG: SOI first, EOI last, and the frame size from the SOF marker. */
function jpegInfo(bytes: Uint8Array) {
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  expect([bytes[bytes.length - 2], bytes[bytes.length - 1]]).toEqual([0xff, 0xd9]);
  for (let i = 2; i < bytes.length - 9;) {
    expect(bytes[i]).toBe(0xff);
    const marker = bytes[i + 1];
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xc2) return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    i += 2 + len;
  }
  throw new Error("no SOF marker");
}
const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

describe("ListFragments", () => {
  it("lists the fragments of a range as AWS shapes them, pages with NextToken, and leaves gaps empty", async () => {
    const name = await newStream();
    const now = nowSec();
    const start = now - 3600;
    const end = now - 600;
    await control("gaps", { stream: name, start: now - 2400, end: now - 1800 });
    const { fragments, pages } = await allFragments(name, start, end, 100, "PRODUCER_TIMESTAMP");
    expect(pages).toBeGreaterThan(5);
    // (3600 − 600) s of 4 s fragments, minus the 10 minutes gap
    expect(fragments.length).toBeGreaterThanOrEqual((3000 - 600) / F - 2);
    expect(fragments.length).toBeLessThanOrEqual((3000 - 600) / F + 1);
    for (const f of fragments) {
      expect(Object.keys(f).sort()).toEqual(["FragmentLengthInMilliseconds", "FragmentNumber", "FragmentSizeInBytes", "ProducerTimestamp", "ServerTimestamp"]);
      expect(f.FragmentNumber).toMatch(/^[0-9]{1,128}$/);
      expect(f.FragmentLengthInMilliseconds).toBe(F * 1000);
      expect(f.FragmentSizeInBytes).toBeGreaterThan(10_000);
      expect(f.ServerTimestamp).toBeGreaterThan(f.ProducerTimestamp);
      expect(f.ProducerTimestamp).toBeGreaterThanOrEqual(start);
      expect(f.ProducerTimestamp).toBeLessThanOrEqual(end);
      expect(f.ProducerTimestamp + F <= now - 2400 || f.ProducerTimestamp >= now - 1800).toBe(true);
    }
    expect(new Set(fragments.map((f) => f.FragmentNumber)).size).toBe(fragments.length);
    // fragment numbers grow with ingestion order
    const numbers = fragments.map((f) => BigInt(f.FragmentNumber));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1])).toBe(true);
    // consecutive outside the gap, and the gap shows as a hole of its length
    const holes = fragments
      .slice(1)
      .map((f, i) => f.ProducerTimestamp - fragments[i].ProducerTimestamp)
      .filter((d) => d !== F);
    expect(holes.length).toBe(1);
    expect(holes[0]).toBeGreaterThanOrEqual(600);
  });

  it("each page holds at most MaxResults, in no particular order; the default page is 100", async () => {
    const name = await newStream();
    const now = nowSec();
    const page = await archive().listFragments(name, { start: now - 3600, end: now - 60 }, { dataEndpoint: AWS });
    expect(page.fragments.length).toBe(100);
    expect(page.nextToken).toMatch(/^[a-zA-Z0-9+/]+={0,2}$/);
    const times = page.fragments.map((f) => f.ProducerTimestamp);
    expect(times).not.toEqual([...times].sort((a, b) => a - b)); // AWS: "Results are in no specific order"
    const small = await archive().listFragments(name, { start: now - 3600, end: now - 60 }, { maxResults: 7, dataEndpoint: AWS });
    expect(small.fragments.length).toBe(7);
    const last = await archive().listFragments(name, { start: now - 60, end: now - 40 }, { maxResults: 1000, dataEndpoint: AWS });
    expect(last.nextToken).toBeNull();
    expect(last.fragments.length).toBeGreaterThanOrEqual(4);
  });

  it("SERVER_TIMESTAMP selects by when KVS received the fragment; the range is inclusive at both ends", async () => {
    const name = await newStream();
    const now = nowSec();
    const t = Math.floor((now - 300) / F) * F;
    const exact = await archive().listFragments(name, { start: t, end: t }, { selectorType: "PRODUCER_TIMESTAMP", dataEndpoint: AWS });
    expect(exact.fragments.map((f) => f.ProducerTimestamp)).toEqual([t]);
    const [f] = exact.fragments;
    const byServer = await archive().listFragments(
      name,
      { start: f.ServerTimestamp, end: f.ServerTimestamp },
      { selectorType: "SERVER_TIMESTAMP", dataEndpoint: AWS },
    );
    expect(byServer.fragments.map((x) => x.FragmentNumber)).toEqual([f.FragmentNumber]);
  });

  it("refuses what AWS refuses: bad MaxResults, a missing selector, a forged or foreign NextToken, an unknown stream", async () => {
    const name = await newStream();
    const other = await newStream();
    const now = nowSec();
    const a = archive();
    for (const maxResults of [0, 1001]) {
      const e = await failure(a.listFragments(name, { start: now - 600, end: now }, { maxResults, dataEndpoint: AWS }));
      expect([e.code, e.status]).toEqual(["InvalidArgumentException", 400]);
    }
    expect((await failure(a.listFragments(name, { start: now, end: now - 600 }, { dataEndpoint: AWS }))).code).toBe("InvalidArgumentException");
    expect((await failure(a.listFragments(name, { nextToken: "bm90LWEtdG9rZW4=" }, { dataEndpoint: AWS }))).code).toBe("InvalidArgumentException");
    const page = await a.listFragments(name, { start: now - 3600, end: now }, { maxResults: 1, dataEndpoint: AWS });
    expect((await failure(a.listFragments(other, { nextToken: page.nextToken! }, { dataEndpoint: AWS }))).code).toBe("InvalidArgumentException");
    const missing = await failure(a.listFragments("no-such-stream", { start: now - 600, end: now }, { dataEndpoint: AWS }));
    expect([missing.code, missing.status]).toEqual(["ResourceNotFoundException", 404]);
    // the raw shape: no FragmentSelector and no NextToken
    const res = await kvsRaw("/listFragments", { StreamName: other });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-ErrorType")).toBe("InvalidArgumentException");
  });

  it("ListFragments is limited to 5 calls per second per stream (ClientLimitExceededException)", async () => {
    const name = await newStream();
    const now = nowSec();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => archive().listFragments(name, { start: now - 60, end: now }, { dataEndpoint: AWS })),
    );
    const codes = results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as KvsError).code);
    expect(codes).toEqual(["ClientLimitExceededException"]);
  });

  it("agrees with GetClip: a range whose fragments all fall in a gap has no clip, one with fragments has", async () => {
    const name = await newStream();
    const now = nowSec();
    await control("gaps", { stream: name, start: now - 7200, end: now - 3600 });
    const inGap = await archive().listFragments(name, { start: now - 7000, end: now - 4000 }, { dataEndpoint: AWS });
    expect(inGap.fragments).toEqual([]);
    expect((await failure(kvs().getClip(name, now - 7000, now - 4000))).code).toBe("ResourceNotFoundException");
    const edge = await archive().listFragments(name, { start: now - 3700, end: now - 3500 }, { selectorType: "SERVER_TIMESTAMP", dataEndpoint: AWS });
    expect(edge.fragments.length).toBeGreaterThan(0);
    expect(Math.min(...edge.fragments.map((f) => f.ProducerTimestamp))).toBeGreaterThanOrEqual(now - 3600);
    const clip = await kvs().getClip(name, now - 3700, now - 3500);
    expect(clip.contentType).toBe("video/mp4");
    await clip.body.cancel();
  });

  it("demo cameras have a recorded history with gaps over the last days, the same on every call", async () => {
    const demo = "aovis-stream-aovis-n4k-000001";
    const now = nowSec();
    const started = (await control<{ startedSec: number }>("footage")).startedSec;
    const end = Math.min(now, started) - 600;
    const day = await allFragments(demo, end - 86400, end, 1000, "PRODUCER_TIMESTAMP");
    const covered = day.fragments.length * F;
    expect(covered).toBeGreaterThan(86400 * 0.5);
    expect(covered).toBeLessThan(86400 * 0.99);
    const again = await allFragments(demo, end - 3 * 3600, end, 1000, "PRODUCER_TIMESTAMP");
    const fromDay = day.fragments.filter((f) => f.ProducerTimestamp >= end - 3 * 3600).map((f) => f.FragmentNumber);
    expect(again.fragments.map((f) => f.FragmentNumber)).toEqual(fromDay);
  });
});

async function kvsRaw(path: string, body: unknown): Promise<Response> {
  const { AwsClient } = await import("aws4fetch");
  const c = getConfig(env);
  const signer = new AwsClient({
    accessKeyId: c.AWS_ACCESS_KEY_ID,
    secretAccessKey: c.AWS_SECRET_ACCESS_KEY,
    region: c.AWS_REGION,
    service: "kinesisvideo",
    retries: 0,
  });
  return signer.fetch(`${AWS}${path}`, { method: "POST", body: JSON.stringify(body) });
}

describe("GetImages", () => {
  it("returns real JPEGs of the picture at each sampled moment, which change over time", async () => {
    const name = await newStream();
    const now = nowSec();
    const page = await archive().getImages(name, { start: now - 120, end: now - 60, samplingIntervalMs: 10_000, dataEndpoint: AWS });
    expect(page.images.length).toBe(6);
    expect(page.nextToken).toBeNull();
    page.images.forEach((img, i) => {
      expect(img.TimeStamp).toBeCloseTo(now - 120 + i * 10, 3);
      expect(img.Error).toBeUndefined();
      expect(jpegInfo(b64(img.ImageContent!))).toEqual({ width: 160, height: 90 });
    });
    // the time is drawn in, so two moments never give the same picture
    expect(page.images[0].ImageContent).not.toBe(page.images[1].ImageContent);
    const sized = await archive().getImages(name, {
      start: now - 100,
      end: now - 99,
      samplingIntervalMs: 200,
      width: 320,
      height: 180,
      jpegQuality: 50,
      dataEndpoint: AWS,
    });
    expect(jpegInfo(b64(sized.images[0].ImageContent!))).toEqual({ width: 320, height: 180 });
    const png = await archive().getImages(name, { start: now - 100, end: now - 99, samplingIntervalMs: 1000, format: "PNG", dataEndpoint: AWS });
    expect([...b64(png.images[0].ImageContent!).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("a moment in a gap gives Error NO_MEDIA and no content; pages hold at most 25 images", async () => {
    const name = await newStream();
    const now = nowSec();
    await control("gaps", { stream: name, start: now - 200, end: now - 150 });
    const page = await archive().getImages(name, { start: now - 210, end: now - 140, samplingIntervalMs: 10_000, dataEndpoint: AWS });
    const gap = page.images.filter((i) => i.TimeStamp >= now - 196 && i.TimeStamp < now - 150);
    expect(gap.length).toBeGreaterThan(2);
    for (const i of gap) expect(i).toEqual({ TimeStamp: i.TimeStamp, Error: "NO_MEDIA" });
    expect(page.images[0].ImageContent).toBeDefined();

    const many = await archive().getImages(name, { start: now - 100, end: now - 60, samplingIntervalMs: 1000, maxResults: 100, dataEndpoint: AWS });
    expect(many.images.length).toBe(25);
    expect(many.nextToken).not.toBeNull();
    const rest = await archive().getImages(name, {
      start: now - 100,
      end: now - 60,
      samplingIntervalMs: 1000,
      maxResults: 100,
      nextToken: many.nextToken!,
      dataEndpoint: AWS,
    });
    expect(rest.images.length).toBe(15);
    expect(rest.images[0].TimeStamp).toBeCloseTo(now - 75, 3);
    expect(rest.nextToken).toBeNull();
  });

  it("validates the sampling interval (≥ 200 ms), the 300 s range, the format options and the size pair", async () => {
    const name = await newStream();
    const now = nowSec();
    const a = archive();
    const base = { start: now - 100, end: now - 60, samplingIntervalMs: 1000, dataEndpoint: AWS };
    const bad = [
      { ...base, samplingIntervalMs: 199 },
      { ...base, start: now - 400, end: now - 60 },
      { ...base, jpegQuality: 0 },
      { ...base, width: 320 },
      { ...base, width: 4000, height: 100 },
      { ...base, maxResults: 101 },
    ];
    for (const input of bad) {
      const e = await failure(a.getImages(name, input));
      expect([e.code, e.status], JSON.stringify(input)).toEqual(["InvalidArgumentException", 400]);
    }
    expect((await a.getImages(name, { ...base, samplingIntervalMs: 200, maxResults: 3 })).images.length).toBe(3);
    const noRetention = await newStream(0);
    expect((await failure(a.getImages(noRetention, base))).code).toBe("NoDataRetentionException");
    const raw = await kvsRaw("/getImages", {
      StreamName: name,
      ImageSelectorType: "SERVER_TIMESTAMP",
      StartTimestamp: now - 100,
      EndTimestamp: now - 60,
      SamplingInterval: 1000,
      Format: "GIF",
    });
    expect(raw.headers.get("x-amzn-ErrorType")).toBe("InvalidArgumentException");
  });
});

const text = async (u: string | URL) => {
  const res = await fetch(u);
  expect(res.status, String(u)).toBe(200);
  return new TextDecoder().decode(await res.arrayBuffer());
};
async function mediaPlaylistOf(sessionUrl: string) {
  const master = await text(sessionUrl);
  expect(master).toMatch(/CODECS="avc1\.42C01E"/);
  const mediaUrl = new URL(master.trim().split("\n").pop()!, sessionUrl);
  return { mediaUrl, media: await text(mediaUrl) };
}

describe("HLS playlists", () => {
  it("ON_DEMAND: a VOD playlist of the range's fragments (the ListFragments numbers), discontinuities by mode, ENDLIST", async () => {
    const name = await newStream();
    const now = nowSec();
    const start = now - 600;
    const end = now - 300;
    const url = await kvs().getHlsStreamingSessionUrl(name, "ON_DEMAND", { start, end }, { dataEndpoint: AWS });
    const { mediaUrl, media } = await mediaPlaylistOf(url);
    expect(media).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
    expect(media.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    const inPlaylist = [...media.matchAll(/FragmentNumber=(\d+)/g)].map((m) => m[1]);
    const listed = (await allFragments(name, start, end)).fragments.map((f) => f.FragmentNumber);
    expect(inPlaylist).toEqual(listed);
    // SERVER_TIMESTAMP's default DiscontinuityMode is ALWAYS: one before every fragment but the first
    expect(media.match(/#EXT-X-DISCONTINUITY\n/g)?.length).toBe(inPlaylist.length - 1);
    const frag = await fetch(
      new URL(
        media.split("\n").find((l) => l.startsWith("getMP4MediaFragment"))!,
        mediaUrl,
      ),
    );
    expect(frag.headers.get("access-control-allow-origin")).toBe("*");
    const bytes = new Uint8Array(await frag.arrayBuffer());
    expect(bytes.length).toBe((await archive().listFragments(name, { start, end: start + 10 }, { dataEndpoint: AWS })).fragments[0].FragmentSizeInBytes);

    await control("gaps", { stream: name, start: now - 500, end: now - 450 });
    const onGap = await kvs().getHlsStreamingSessionUrl(name, "ON_DEMAND", { start, end }, { dataEndpoint: AWS, fragmentSelectorType: "PRODUCER_TIMESTAMP" });
    const withGap = (await mediaPlaylistOf(onGap)).media;
    expect(withGap).not.toContain("#EXT-X-DISCONTINUITY"); // PRODUCER_TIMESTAMP defaults to NEVER
  });

  it("ON_DISCONTINUITY marks only the gaps; DisplayFragmentTimestamp ALWAYS writes each fragment's time", async () => {
    const name = await newStream();
    const now = nowSec();
    await control("gaps", { stream: name, start: now - 500, end: now - 450 });
    const res = await kvsRaw("/getHLSStreamingSessionURL", {
      StreamName: name,
      PlaybackMode: "ON_DEMAND",
      HLSFragmentSelector: { FragmentSelectorType: "SERVER_TIMESTAMP", TimestampRange: { StartTimestamp: now - 600, EndTimestamp: now - 300 } },
      DiscontinuityMode: "ON_DISCONTINUITY",
      DisplayFragmentTimestamp: "ALWAYS",
    });
    const { HLSStreamingSessionURL } = (await res.json()) as { HLSStreamingSessionURL: string };
    const { media } = await mediaPlaylistOf(HLSStreamingSessionURL);
    expect(media.match(/#EXT-X-DISCONTINUITY\n/g)?.length).toBe(1);
    const stamps = [...media.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(.+)/g)].map((m) => Date.parse(m[1]) / 1000);
    expect(stamps.length).toBeGreaterThan(50);
    expect(stamps[0]).toBeGreaterThanOrEqual(now - 600);
    expect(stamps.every((s, i) => i === 0 || s > stamps[i - 1])).toBe(true);
    const bad = await kvsRaw("/getHLSStreamingSessionURL", { StreamName: name, PlaybackMode: "LIVE", DiscontinuityMode: "SOMETIMES" });
    expect(bad.headers.get("x-amzn-ErrorType")).toBe("InvalidArgumentException");
  });

  it("LIVE: a sliding window of the newest fragments without ENDLIST, whose refresh keeps the sequence numbers", async () => {
    const name = await newStream();
    const url = await kvs().getHlsStreamingSessionUrl(name, "LIVE", undefined, { dataEndpoint: AWS, maxMediaPlaylistFragmentResults: 3 });
    const first = await mediaPlaylistOf(url);
    expect(first.media).not.toContain("#EXT-X-ENDLIST");
    expect(first.media).not.toContain("#EXT-X-PLAYLIST-TYPE");
    const entries = (m: string) => {
      const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(m)![1]);
      return [...m.matchAll(/FragmentNumber=(\d+)/g)].map((x, i) => [seq + i, x[1]] as const);
    };
    const a = entries(first.media);
    expect(a.length).toBe(3);
    await new Promise((r) => setTimeout(r, (F + 1) * 1000));
    const b = entries(await text(first.mediaUrl));
    expect(b.length).toBe(3);
    expect(b[b.length - 1][1]).not.toBe(a[a.length - 1][1]); // it moved on
    const common = b.filter(([, n]) => a.some(([, m]) => m === n));
    expect(common.length).toBeGreaterThan(0);
    for (const [seq, n] of common) expect(a.find(([, m]) => m === n)![0]).toBe(seq); // same fragment, same sequence number
  });
});

// ---- WebRTC signaling ----------------------------------------------------------------------

const DEMO_CHANNEL_ARN = "arn:aws:kinesisvideo:us-east-1:000000000000:channel/aovis-webrtc-aovis-n4k-000004/1700000000000";

/** A Chromium-like viewer offer: one recvonly video m-line with H.264 42e01f, packetization-mode=1. */
const OFFER_SDP = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0",
  "a=msid-semantic: WMS",
  "m=video 9 UDP/TLS/RTP/SAVPF 102",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:wXyZ",
  "a=ice-pwd:0123456789abcdefghijklmn",
  "a=ice-options:trickle",
  "a=fingerprint:sha-256 " + Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, "0")).join(":"),
  "a=setup:actpass",
  "a=mid:0",
  "a=recvonly",
  "a=rtcp-mux",
  "a=rtcp-rsize",
  "a=rtpmap:102 H264/90000",
  "a=rtcp-fb:102 nack",
  "a=rtcp-fb:102 nack pli",
  "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
  "",
].join("\r\n");

const enc = (obj: unknown) => btoa(JSON.stringify(obj));
const dec = (s: string) => JSON.parse(atob(s)) as Record<string, unknown>;

async function presign(channelArn: string, clientId: string | null, opts: { datetime?: string; expires?: number; secret?: string; wss?: string } = {}) {
  const { AwsV4Signer } = await import("aws4fetch");
  const c = getConfig(env);
  const wss = opts.wss ?? (await kvs().getSignalingChannelEndpoint(channelArn, clientId ? "VIEWER" : "MASTER")).WSS!;
  const url = new URL(wss);
  url.searchParams.set("X-Amz-ChannelARN", channelArn);
  if (clientId) url.searchParams.set("X-Amz-ClientId", clientId);
  url.searchParams.set("X-Amz-Expires", String(opts.expires ?? 300));
  const signer = new AwsV4Signer({
    method: "GET",
    url: url.toString(),
    accessKeyId: c.AWS_ACCESS_KEY_ID,
    secretAccessKey: opts.secret ?? c.AWS_SECRET_ACCESS_KEY,
    service: "kinesisvideo",
    region: c.AWS_REGION,
    signQuery: true,
    datetime: opts.datetime,
  });
  return (await signer.sign()).url.toString();
}

interface Socket {
  ws: WebSocket;
  next: (pred?: (m: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown> | null>;
}

/** Opens a signaling WebSocket from workerd (fetch with Upgrade), collecting its messages. */
async function connect(signedUrl: string): Promise<{ status: number; socket?: Socket; body?: string }> {
  const res = await fetch(signedUrl.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
  if (!res.webSocket) return { status: res.status, body: await res.text() };
  const ws = res.webSocket;
  ws.accept();
  const inbox: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    inbox.push(JSON.parse(String(e.data)));
    waiters.splice(0).forEach((w) => w());
  });
  const next: Socket["next"] = async (pred = () => true, ms = 5000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return inbox.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, left);
      });
    }
  };
  return { status: res.status, socket: { ws, next } };
}

describe("WebRTC signaling", () => {
  it("accepts the app's presigned viewer URL; the camera peer answers an SDP_OFFER with H.264 and sends ICE candidates", async () => {
    const { presignViewerUrl } = await import("~/models/video/live-view.server");
    const endpoints = await kvs().getSignalingChannelEndpoint(DEMO_CHANNEL_ARN, "VIEWER");
    const url = await presignViewerUrl(env, endpoints.WSS!, DEMO_CHANNEL_ARN, uid("viewer"));
    const { status, socket } = await connect(url);
    expect(status).toBe(101);
    socket!.ws.send(JSON.stringify({ action: "SDP_OFFER", messagePayload: enc({ type: "offer", sdp: OFFER_SDP }) }));
    const answer = await socket!.next((m) => m.messageType === "SDP_ANSWER", 10_000);
    expect(answer).not.toBeNull();
    expect(Object.keys(answer!).sort()).toEqual(["messagePayload", "messageType"]);
    const sdp = dec(answer!.messagePayload as string);
    expect(sdp.type).toBe("answer");
    expect(sdp.sdp).toMatch(/a=rtpmap:102 H264\/90000/);
    expect(sdp.sdp).toMatch(/packetization-mode=1/);
    expect(sdp.sdp).toMatch(/a=sendonly/);
    const ice = await socket!.next((m) => m.messageType === "ICE_CANDIDATE", 10_000);
    expect(dec(ice!.messagePayload as string).candidate).toMatch(/^candidate:/);
    socket!.ws.close();
  });

  it("refuses an expired, forged or wrongly keyed URL with 403 on the upgrade, and an unknown channel with 404", async () => {
    const old = new Date(Date.now() - 20 * 60_000).toISOString().replace(/[:-]|\.\d{3}/g, "");
    const expired = await connect(await presign(DEMO_CHANNEL_ARN, uid("viewer"), { datetime: old, expires: 300 }));
    expect(expired.status).toBe(403);
    expect(expired.body).toMatch(/expired/);
    const good = new URL(await presign(DEMO_CHANNEL_ARN, uid("viewer")));
    const sig = good.searchParams.get("X-Amz-Signature")!;
    good.searchParams.set("X-Amz-Signature", sig.replace(/^./, sig[0] === "a" ? "b" : "a"));
    expect((await connect(good.toString())).status).toBe(403);
    const otherClient = new URL(await presign(DEMO_CHANNEL_ARN, uid("viewer")));
    otherClient.searchParams.set("X-Amz-ClientId", "someone-else");
    expect((await connect(otherClient.toString())).status).toBe(403);
    expect((await connect(await presign(DEMO_CHANNEL_ARN, uid("viewer"), { secret: "not-the-secret" }))).status).toBe(403);
    const unsigned = new URL((await kvs().getSignalingChannelEndpoint(DEMO_CHANNEL_ARN, "VIEWER")).WSS!);
    unsigned.searchParams.set("X-Amz-ChannelARN", DEMO_CHANNEL_ARN);
    unsigned.searchParams.set("X-Amz-ClientId", "v1");
    expect((await connect(unsigned.toString())).status).toBe(403);
    const unknown = await connect(await presign(`${DEMO_CHANNEL_ARN}9`, uid("viewer"), { wss: AWS.replace(/^http/, "ws") }));
    expect(unknown.status).toBe(404);
  });

  it("relays between a viewer and a real MASTER in KVS's shapes; errors come back as STATUS_RESPONSE", async () => {
    const { channelArn } = await kvs().createSignalingChannel({ name: uid("relay") });
    const master = (await connect(await presign(channelArn, null))).socket!;
    const viewerId = uid("viewer");
    const viewer = (await connect(await presign(channelArn, viewerId))).socket!;
    const payload = enc({ type: "offer", sdp: OFFER_SDP });
    viewer.ws.send(JSON.stringify({ action: "SDP_OFFER", messagePayload: payload, correlationId: "c1" }));
    expect(await master.next()).toEqual({ senderClientId: viewerId, messageType: "SDP_OFFER", messagePayload: payload });
    const candidate = enc({ candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 });
    viewer.ws.send(JSON.stringify({ action: "ICE_CANDIDATE", messagePayload: candidate }));
    expect(await master.next()).toEqual({ senderClientId: viewerId, messageType: "ICE_CANDIDATE", messagePayload: candidate });

    const answer = enc({ type: "answer", sdp: "v=0\r\n" });
    master.ws.send(JSON.stringify({ action: "SDP_ANSWER", recipientClientId: viewerId, messagePayload: answer }));
    expect(await viewer.next()).toEqual({ messageType: "SDP_ANSWER", messagePayload: answer });

    master.ws.send(JSON.stringify({ action: "SDP_ANSWER", recipientClientId: "nobody", messagePayload: answer, correlationId: "c2" }));
    const status = await master.next();
    expect(status).toMatchObject({ messageType: "STATUS_RESPONSE", statusResponse: { correlationId: "c2", statusCode: "400" } });
    viewer.ws.send(JSON.stringify({ action: "SDP_OFFER", messagePayload: "not base64!", correlationId: "c3" }));
    expect(await viewer.next()).toMatchObject({
      messageType: "STATUS_RESPONSE",
      statusResponse: { correlationId: "c3", errorType: "InvalidArgumentException" },
    });
    master.ws.close();
    viewer.ws.close();
  });

  it("with /__standin/webrtc {disabled} for a channel, an offer is never answered (the app falls back to HLS)", async () => {
    const { channelArn } = await kvs().createSignalingChannel({ name: uid("dark") });
    const name = channelArn.split("/")[1];
    await control("webrtc", { disabled: true, channel: name });
    try {
      const viewer = (await connect(await presign(channelArn, uid("viewer")))).socket!;
      viewer.ws.send(JSON.stringify({ action: "SDP_OFFER", messagePayload: enc({ type: "offer", sdp: OFFER_SDP }) }));
      expect(await viewer.next(() => true, 2000)).toBeNull();
      const state = await control<{ disabled: string[] }>("webrtc");
      expect(state.disabled).toContain(name);
      viewer.ws.close();
    } finally {
      await control("webrtc", { disabled: false, channel: name });
    }
  });
});
