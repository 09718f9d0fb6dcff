/**
 * Live view in the browser (a .client module: the WebRTC SDK never reaches the Worker bundle).
 * WebRTC first, through KVS signaling as VIEWER with the official SDK: the Worker hands out the
 * signaling endpoint, a presigned connect URL (the SDK signs nothing, so no AWS keys here) and the
 * ICE servers (GET /api/devices/:id/live). If no picture arrives within WEBRTC_PATIENCE_MS, or the
 * connection drops, HLS LIVE (GET /api/devices/:id/stream?mode=live) takes over; if that fails
 * too, the camera is offline.
 */
import { attachHls, NoHlsError, type HlsPlayback } from "./hls.client";

export type LiveState = "connecting" | "webrtc" | "hls" | "offline";

/**
 * What the player says beside its state: a code the page words in its language (LivePlayer), with
 * the technical detail or the server's sentence (already in the request's language) where there is one.
 */
export type LiveDetail =
  | { code: "dropped" | "webrtcTimeout" | "noHls" }
  | { code: "streamStopped"; detail: string }
  | { code: "message"; text: string }
  | { code: "failed"; detail: string };

/** Our API's refusal sentence (JSON `message`), said as is. */
class ApiError extends Error {}

/** How long WebRTC may take to show a picture before HLS takes over. */
export const WEBRTC_PATIENCE_MS = 6_000;
/** How long HLS may take to show a picture before the camera counts as offline. */
const HLS_PATIENCE_MS = 20_000;

interface LiveConfig {
  channelArn: string;
  region: string;
  clientId: string;
  endpoints: { wss: string; https: string };
  signedViewerUrl: string;
  iceServers: { urls: string[]; username?: string; credential?: string }[];
}

/** What this module uses of the SDK's SignalingClient (amazon-kinesis-video-streams-webrtc 2.9). */
interface Signaling {
  on(event: "open" | "close", fn: () => void): void;
  on(event: "sdpAnswer", fn: (answer: RTCSessionDescriptionInit) => void): void;
  on(event: "iceCandidate", fn: (candidate: RTCIceCandidateInit) => void): void;
  on(event: "error", fn: (err: unknown) => void): void;
  open(): void;
  close(): void;
  sendSdpOffer(offer: RTCSessionDescription): void;
  sendIceCandidate(candidate: RTCIceCandidate): void;
}
interface KvsWebRtc {
  Role: { VIEWER: string };
  SignalingClient: new (config: Record<string, unknown>) => Signaling;
}

async function loadSdk(): Promise<KvsWebRtc> {
  // The SDK's browser build is a script that sets window.KVSWebRTC (its CommonJS build needs Node).
  await import("amazon-kinesis-video-streams-webrtc/dist/kvs-webrtc.min.js");
  const sdk = (window as unknown as { KVSWebRTC?: KvsWebRtc }).KVSWebRTC;
  if (!sdk) throw new Error("the WebRTC SDK did not load");
  return sdk;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw body.message ? new ApiError(body.message) : new Error(`HTTP ${res.status}`);
  return body;
}

/** Resolves once `video` shows moving pictures (its time advancing while it plays). */
function whenPlaying(video: HTMLVideoElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let first: number | null = null;
    const timer = setInterval(() => {
      if (video.paused || video.readyState < 2) return;
      if (first === null) first = video.currentTime;
      else if (video.currentTime > first) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    signal.addEventListener("abort", () => {
      clearInterval(timer);
      reject(new Error("stopped"));
    });
  });
}

/** Waits for pictures in `video` for at most `ms`, then gives up; ends its timers either way. */
async function picturesWithin(video: HTMLVideoElement, ms: number, stop: AbortSignal): Promise<void> {
  const attempt = new AbortController();
  const onStop = () => attempt.abort();
  stop.addEventListener("abort", onStop);
  try {
    await Promise.race([whenPlaying(video, attempt.signal), timeout(ms, attempt.signal)]);
  } finally {
    stop.removeEventListener("abort", onStop);
    attempt.abort();
  }
}

function timeout(ms: number, signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error("timed out")), ms);
    signal.addEventListener("abort", () => clearTimeout(t));
  });
}

/**
 * Starts live view in `video`; `onState` hears every change (with a detail for people). Returns a
 * stop function that ends whatever is running.
 */
export function startLive(video: HTMLVideoElement, deviceId: string, onState: (state: LiveState, detail?: LiveDetail) => void): () => void {
  const stop = new AbortController();
  let pc: RTCPeerConnection | null = null;
  let signaling: Signaling | null = null;
  let hls: HlsPlayback | null = null;

  const endWebRtc = () => {
    try {
      signaling?.close();
    } catch {}
    pc?.close();
    pc = null;
    signaling = null;
    video.srcObject = null;
  };

  async function webRtc(attempt: AbortSignal): Promise<void> {
    const cfg = await getJson<LiveConfig>(`/api/devices/${encodeURIComponent(deviceId)}/live`);
    const sdk = await loadSdk();
    const peer = new RTCPeerConnection({ iceServers: cfg.iceServers.map(({ urls, username, credential }) => ({ urls, username, credential })) });
    pc = peer;
    const client = new sdk.SignalingClient({
      channelARN: cfg.channelArn,
      channelEndpoint: cfg.endpoints.wss,
      clientId: cfg.clientId,
      role: sdk.Role.VIEWER,
      region: cfg.region,
      // The Worker presigned the connect URL; the SDK would refuse ws:// (the stand-in) if it signed.
      requestSigner: { getSignedURL: async () => cfg.signedViewerUrl },
    });
    signaling = client;
    peer.addTransceiver("video", { direction: "recvonly" });
    peer.ontrack = (e) => {
      video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      video.play().catch(() => {});
    };
    peer.onicecandidate = ({ candidate }) => {
      if (candidate) client.sendIceCandidate(candidate);
    };
    client.on("open", async () => {
      const offer = await peer.createOffer();
      await peer.setLocalDescription(offer);
      if (peer.localDescription) client.sendSdpOffer(peer.localDescription);
    });
    client.on("sdpAnswer", (answer) => peer.setRemoteDescription(answer).catch(() => {}));
    client.on("iceCandidate", (candidate) => peer.addIceCandidate(candidate).catch(() => {}));
    client.on("error", () => {});
    client.open();
    await picturesWithin(video, WEBRTC_PATIENCE_MS, attempt);
    // A connection that drops later hands over to HLS.
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === "failed" || peer.connectionState === "disconnected") {
        if (!stop.signal.aborted && pc === peer) void fallback({ code: "dropped" });
      }
    };
  }

  async function fallback(detail: LiveDetail): Promise<void> {
    endWebRtc();
    if (stop.signal.aborted) return;
    onState("connecting", detail);
    try {
      const { url } = await getJson<{ url: string }>(`/api/devices/${encodeURIComponent(deviceId)}/stream?mode=live`);
      if (stop.signal.aborted) return;
      video.muted = true;
      hls = await attachHls(video, url, { live: true, onFatal: (d) => !stop.signal.aborted && onState("offline", { code: "streamStopped", detail: d }) });
      video.play().catch(() => {});
      await picturesWithin(video, HLS_PATIENCE_MS, stop.signal);
      if (!stop.signal.aborted) onState("hls");
    } catch (err) {
      if (stop.signal.aborted) return;
      if (err instanceof ApiError) onState("offline", { code: "message", text: err.message });
      else if (err instanceof NoHlsError) onState("offline", { code: "noHls" });
      else onState("offline", { code: "failed", detail: err instanceof Error ? err.message : String(err) });
    }
  }

  (async () => {
    onState("connecting");
    video.muted = true;
    try {
      await webRtc(stop.signal);
      if (!stop.signal.aborted) onState("webrtc");
    } catch {
      if (!stop.signal.aborted) await fallback({ code: "webrtcTimeout" });
    }
  })();

  return () => {
    stop.abort();
    endWebRtc();
    hls?.destroy();
    hls = null;
  };
}
