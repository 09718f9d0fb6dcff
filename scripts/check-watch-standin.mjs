// `node scripts/check-watch-standin.mjs` (CI runs it): proves in headless Chromium that what the AWS
// stand-in serves for watching really plays, which workerd tests cannot see:
//   1. HLS ON_DEMAND and LIVE sessions play with hls.js (video.currentTime advances ≥ 2 s), and the
//      GetClip MP4 plays in a plain <video>;
//   2. WebRTC live view: a viewer page (the official amazon-kinesis-video-streams-webrtc SDK, as the
//      app uses it) connects through the stand-in's SigV4-presigned signaling WebSocket to the
//      stand-in camera peer, and the H.264 video plays (currentTime advances, frames decoded);
//   3. with /__standin/webrtc {disabled: true} the viewer never gets an answer (the app's fallback).
// Everything runs on loopback ports of its own: no app, no npm start needed. WebRTC needs a network
// interface besides `lo` (Chromium gathers no ICE candidates on loopback): in a network namespace
// with only `lo`, add a veth pair first, e.g.
//   ip netns exec X ip link add v0 type veth peer name v1; ip netns exec X ip addr add 10.99.0.1/24 dev v0
//   ip netns exec X ip link set v0 up; ip netns exec X ip link set v1 up
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AwsClient, AwsV4Signer } from "aws4fetch";
import { chromium } from "playwright-core";
import { startAws } from "../standins/aws.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = {};
for (const line of fs.readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8").split(/\r?\n/)) {
  const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
  if (m && !line.trimStart().startsWith("#")) env[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
}
const STREAM = process.env.CHECK_STREAM ?? "aovis-stream-aovis-n4k-000002";
// The same demo camera's signaling channel (app/domain/aws-names.ts, ADR 021).
const CHANNEL = process.env.CHECK_CHANNEL ?? "aovis-webrtc-aovis-n4k-000002";
const only = process.argv[2];

const aws = await startAws({ port: 0, env });
const signer = new AwsClient({
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  region: env.AWS_REGION,
  service: "kinesisvideo",
  retries: 0,
});
async function kvs(op, body) {
  const res = await signer.fetch(`${aws.url}/${op}`, { method: "POST", body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${text}`);
  return res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
}

const files = {
  "/hls.js": path.join(ROOT, "node_modules/hls.js/dist/hls.min.js"),
  "/kvs-webrtc.js": path.join(ROOT, "node_modules/amazon-kinesis-video-streams-webrtc/dist/kvs-webrtc.min.js"),
};
const page = http.createServer((req, res) => {
  const file = files[new URL(req.url, "http://x").pathname];
  if (file) {
    res.writeHead(200, { "Content-Type": "text/javascript" });
    return res.end(fs.readFileSync(file));
  }
  res.writeHead(200, { "Content-Type": "text/html" });
  res.end(
    `<!doctype html><html lang="en"><title>check</title><script src="/hls.js"></script><script src="/kvs-webrtc.js"></script><video id="v" muted autoplay playsinline width="320" height="180"></video>`,
  );
});
await new Promise((r) => page.listen(0, "127.0.0.1", r));
const pageUrl = `http://127.0.0.1:${page.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
  ],
});

let failed = 0;
async function check(name, fn) {
  if (only && !name.includes(only)) return;
  const context = await browser.newContext();
  const p = await context.newPage();
  const logs = [];
  p.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  const started = Date.now();
  try {
    await p.goto(pageUrl);
    const detail = await fn(p);
    console.log(`✓ ${name} (${Date.now() - started} ms)${detail ? ` — ${detail}` : ""}`);
  } catch (err) {
    failed++;
    console.log(
      `✗ ${name}\n  ${String(err?.stack ?? err)
        .split("\n")
        .slice(0, 6)
        .join("\n  ")}\n  console:\n    ${logs.slice(-15).join("\n    ")}`,
    );
  } finally {
    await context.close();
  }
}

/** Waits until the page's <video> has played `seconds` past where it started. */
async function advances(p, seconds, timeoutMs = 30_000) {
  await p.waitForFunction(
    (s) => {
      const v = document.getElementById("v");
      if (v.__start === undefined && v.currentTime > 0) v.__start = v.currentTime;
      return v.__start !== undefined && v.currentTime - v.__start >= s;
    },
    seconds,
    { timeout: timeoutMs, polling: 200 },
  );
  return p.evaluate(() => {
    const v = document.getElementById("v");
    return { currentTime: v.currentTime, width: v.videoWidth, height: v.videoHeight, frames: v.getVideoPlaybackQuality?.().totalVideoFrames };
  });
}

async function playHls(p, url) {
  await p.evaluate((u) => {
    const v = document.getElementById("v");

    const hls = new Hls({ lowLatencyMode: false });
    hls.on(Hls.Events.ERROR, (_e, d) => console.log(`hls error ${d.type} ${d.details} fatal=${d.fatal}`));
    hls.loadSource(u);
    hls.attachMedia(v);
    window.__hls = hls;
    v.play().catch((e) => console.log(`play: ${e}`));
  }, url);
}

const now = () => Date.now() / 1000;

await check("HLS ON_DEMAND plays with hls.js", async (p) => {
  const t = now();
  const { HLSStreamingSessionURL: url } = await kvs("getHLSStreamingSessionURL", {
    StreamName: STREAM,
    PlaybackMode: "ON_DEMAND",
    HLSFragmentSelector: { FragmentSelectorType: "SERVER_TIMESTAMP", TimestampRange: { StartTimestamp: t - 300, EndTimestamp: t - 60 } },
    DisplayFragmentTimestamp: "ALWAYS",
  });
  await playHls(p, url);
  const r = await advances(p, 2.5);
  const native = await p.evaluate(() => document.getElementById("v").canPlayType("application/vnd.apple.mpegurl"));
  return `currentTime ${r.currentTime.toFixed(1)} s, ${r.width}x${r.height}, native HLS: "${native}"`;
});

await check("HLS ON_DEMAND plays natively (video.src) where Chromium has HLS", async (p) => {
  const native = await p.evaluate(() => document.getElementById("v").canPlayType("application/vnd.apple.mpegurl"));
  if (!native) return "skipped: this Chromium has no native HLS";
  const t = now();
  const { HLSStreamingSessionURL: url } = await kvs("getHLSStreamingSessionURL", {
    StreamName: STREAM,
    PlaybackMode: "ON_DEMAND",
    HLSFragmentSelector: { FragmentSelectorType: "SERVER_TIMESTAMP", TimestampRange: { StartTimestamp: t - 300, EndTimestamp: t - 60 } },
  });
  await p.evaluate((u) => {
    const v = document.getElementById("v");
    v.src = u;
    v.play().catch((e) => console.log(`play: ${e}`));
  }, url);
  const r = await advances(p, 2.5);
  if (process.env.CHECK_SCREENSHOTS) await p.screenshot({ path: path.join(process.env.CHECK_SCREENSHOTS, "hls-native.png") });
  return `currentTime ${r.currentTime.toFixed(1)} s, ${r.width}x${r.height}`;
});

await check("HLS LIVE plays with hls.js and keeps up with refreshes", async (p) => {
  const { HLSStreamingSessionURL: url } = await kvs("getHLSStreamingSessionURL", { StreamName: STREAM, PlaybackMode: "LIVE" });
  await playHls(p, url);
  const r = await advances(p, 6, 40_000);
  if (process.env.CHECK_SCREENSHOTS) await p.screenshot({ path: path.join(process.env.CHECK_SCREENSHOTS, "hls-live.png") });
  return `currentTime ${r.currentTime.toFixed(1)} s, ${r.width}x${r.height}`;
});

await check("GetClip MP4 plays in a <video>", async (p) => {
  const t = now();
  const res = await signer.fetch(`${aws.url}/getClip`, {
    method: "POST",
    body: JSON.stringify({
      StreamName: STREAM,
      ClipFragmentSelector: { FragmentSelectorType: "SERVER_TIMESTAMP", TimestampRange: { StartTimestamp: t - 120, EndTimestamp: t - 30 } },
    }),
  });
  if (!res.ok) throw new Error(`GetClip ${res.status}`);
  const b64 = Buffer.from(await res.arrayBuffer()).toString("base64");
  await p.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const v = document.getElementById("v");
    v.src = URL.createObjectURL(new Blob([bytes], { type: "video/mp4" }));
    await v.play();
  }, b64);
  const r = await advances(p, 2);
  return `currentTime ${r.currentTime.toFixed(1)} s, ${r.width}x${r.height}`;
});

/** What the app's Worker does for live view: endpoints, ICE servers, a presigned viewer URL. */
async function viewerConfig(channelName, clientId) {
  const { ChannelInfo } = await kvs("describeSignalingChannel", { ChannelName: channelName });
  const { ResourceEndpointList } = await kvs("getSignalingChannelEndpoint", {
    ChannelARN: ChannelInfo.ChannelARN,
    SingleMasterChannelEndpointConfiguration: { Protocols: ["WSS", "HTTPS"], Role: "VIEWER" },
  });
  const wss = ResourceEndpointList.find((e) => e.Protocol === "WSS").ResourceEndpoint;
  const https = ResourceEndpointList.find((e) => e.Protocol === "HTTPS").ResourceEndpoint;
  const { IceServerList } = await kvs("v1/get-ice-server-config", { ChannelARN: ChannelInfo.ChannelARN, ClientId: clientId });
  const url = new URL(wss);
  url.searchParams.set("X-Amz-ChannelARN", ChannelInfo.ChannelARN);
  url.searchParams.set("X-Amz-ClientId", clientId);
  url.searchParams.set("X-Amz-Expires", "300");
  const signed = await new AwsV4Signer({
    method: "GET",
    url: url.toString(),
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    service: "kinesisvideo",
    region: env.AWS_REGION,
    signQuery: true,
  }).sign();
  void https;
  return {
    channelArn: ChannelInfo.ChannelARN,
    wss,
    signedUrl: signed.url.toString(),
    iceServers: IceServerList.map((s) => ({ urls: s.Uris, username: s.Username, credential: s.Password })),
    clientId,
  };
}

/** The viewer as the app will run it: KVSWebRTC.SignalingClient (URL presigned by the server) + RTCPeerConnection. */
async function startViewer(p, cfg) {
  return p.evaluate(async (c) => {
    const v = document.getElementById("v");

    const K = window.KVSWebRTC;
    const signaling = new K.SignalingClient({
      channelARN: c.channelArn,
      channelEndpoint: c.wss,
      clientId: c.clientId,
      role: K.Role.VIEWER,
      region: "us-east-1",
      requestSigner: { getSignedURL: async () => c.signedUrl },
    });
    const pc = new RTCPeerConnection({ iceServers: c.iceServers });
    window.__pc = pc;
    window.__events = [];
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.ontrack = (e) => {
      v.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      v.play().catch((err) => console.log(`play: ${err}`));
    };
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      window.__events.push(`candidate:${candidate.address ?? "?"}`);
      signaling.sendIceCandidate(candidate);
    };
    pc.onconnectionstatechange = () => window.__events.push(`pc:${pc.connectionState}`);
    signaling.on("open", async () => {
      window.__events.push("signaling:open");
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      window.__offer = offer.sdp;
      signaling.sendSdpOffer(pc.localDescription);
    });
    signaling.on("sdpAnswer", async (answer) => {
      window.__events.push("sdpAnswer");
      await pc.setRemoteDescription(answer);
    });
    signaling.on("iceCandidate", (cand) => pc.addIceCandidate(cand).catch((e) => console.log(`addIceCandidate: ${e}`)));
    signaling.on("error", (e) => window.__events.push(`signaling:error ${e?.message ?? e}`));
    signaling.open();
    await new Promise((r) => setTimeout(r, 200));
  }, cfg);
}

await check("WebRTC live view: KVS signaling, the camera peer's answer, H.264 decoded", async (p) => {
  await startViewer(p, await viewerConfig(CHANNEL, `check-viewer-${Date.now()}`));
  const r = await advances(p, 2.5, 30_000).catch(async (err) => {
    const events = await p.evaluate(() => window.__events.join(", "));
    const camera = await (await fetch(`${aws.url}/__standin/webrtc`)).json();
    throw new Error(`${err.message}\n  viewer events: ${events}\n  camera: ${JSON.stringify(camera.sessions)} ${JSON.stringify(camera.stats)}`);
  });
  const offer = await p.evaluate(() => window.__offer);
  const h264 = /a=rtpmap:(\d+) H264\/90000/g;
  const pts = [...offer.matchAll(h264)].map((m) => m[1]);
  const fmtps = pts.map((pt) => new RegExp(`a=fmtp:${pt} (.*)`).exec(offer)?.[1] ?? "");
  if (!fmtps.some((f) => f.includes("packetization-mode=1") && f.includes("profile-level-id=42e01f")))
    throw new Error(`the offer has no H.264 42e01f packetization-mode=1: ${fmtps.join(" | ")}`);
  const stats = await p.evaluate(async () => {
    const out = {};
    (await window.__pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video")
        Object.assign(out, { framesDecoded: s.framesDecoded, decoder: s.decoderImplementation, codec: s.codecId });
    });
    return out;
  });
  if (!(stats.framesDecoded > 5)) throw new Error(`frames decoded: ${JSON.stringify(stats)}`);
  if (process.env.CHECK_SCREENSHOTS) await p.screenshot({ path: path.join(process.env.CHECK_SCREENSHOTS, "webrtc.png") });
  return `currentTime ${r.currentTime.toFixed(1)} s, ${r.width}x${r.height}, ${stats.framesDecoded} frames decoded by ${stats.decoder}`;
});

await check("WebRTC made to fail: /__standin/webrtc {disabled} leaves the offer unanswered", async (p) => {
  const channel = "aovis-webrtc-aovis-n4k-000003";
  await fetch(`${aws.url}/__standin/webrtc`, { method: "POST", body: JSON.stringify({ disabled: true, channel }) });
  try {
    await startViewer(p, await viewerConfig(channel, `check-viewer-${Date.now()}`));
    await p.waitForFunction(() => window.__events.includes("signaling:open"), null, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 4000));
    const events = await p.evaluate(() => window.__events);
    if (events.includes("sdpAnswer") || events.includes("pc:connected")) throw new Error(`connected anyway: ${events.join(", ")}`);
    return `events: ${events.join(", ")}`;
  } finally {
    await fetch(`${aws.url}/__standin/webrtc`, { method: "POST", body: JSON.stringify({ disabled: false, channel }) });
  }
});

await browser.close();
await new Promise((r) => page.close(r));
await aws.close();
console.log(failed ? `${failed} check(s) failed` : "all checks passed");
process.exit(failed ? 1 : 0);
