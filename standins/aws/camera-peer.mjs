// The stand-in camera: the MASTER of every signaling channel (unless a real master connects). It
// answers a viewer's SDP_OFFER with werift (WebRTC in TypeScript for Node; devDependency: there is
// no camera here, and werift needs no native build), sends its ICE candidates as ICE_CANDIDATE
// messages, and once connected streams live H.264 video: the stand-in's own pictures (./mp4.mjs
// nalUnits, the current time drawn in) at a steady FPS, an IDR every IDR_INTERVAL_S seconds,
// packetized into RTP by RFC 6184 (single NAL unit packets, FU-A above the MTU), 90 kHz clock,
// marker bit on the last packet of each picture.
//
// Codec: H.264 Constrained Baseline, packetization-mode=1, profile-level-id 42e01f, the H.264 that
// every Chromium offers (werift's useH264 codec); our SPS says level 3.0, within 3.1.
import { RTCPeerConnection, RtpHeader, RtpPacket, useH264 } from "werift";
import { nalUnits } from "./mp4.mjs";

const FPS = 5;
const IDR_INTERVAL_S = 2;
const MTU = 1200; // RTP payload bytes, well under the path MTU with SRTP and headers
const CLOCK = 90000;

/** RTP payloads of one access unit (RFC 6184 §5.6 single NAL unit, §5.8 FU-A). */
export function packetize(nals) {
  const out = [];
  for (const nal of nals) {
    if (nal.length <= MTU) {
      out.push(Buffer.from(nal));
      continue;
    }
    const indicator = (nal[0] & 0xe0) | 28; // F + NRI of the NAL, type 28 = FU-A
    const type = nal[0] & 0x1f;
    for (let o = 1; o < nal.length; o += MTU - 2) {
      const end = Math.min(nal.length, o + MTU - 2);
      const header = (o === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
      out.push(Buffer.concat([Buffer.from([indicator, header]), Buffer.from(nal.subarray(o, end))]));
    }
  }
  return out;
}

export function createCameraPeers({ stats }) {
  /** `${channel}|${viewer}` → session */
  const sessions = new Map();

  function stop(key) {
    const s = sessions.get(key);
    if (!s) return;
    sessions.delete(key);
    clearInterval(s.timer);
    Promise.resolve(s.pc.close()).catch(() => {});
  }

  function startStreaming(s) {
    if (s.timer) return;
    const transceiver = s.pc.getTransceivers().find((t) => t.kind === "video" && !t.rejected);
    if (!transceiver) return;
    let frame = 0;
    let seq = Math.floor(Math.random() * 65535);
    let ts = Math.floor(Math.random() * 2 ** 31);
    let frameNum = 0;
    let idrId = 0;
    let lastSec = -1;
    const send = async (nals) => {
      const payloads = packetize(nals);
      for (let i = 0; i < payloads.length; i++) {
        const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: ts >>> 0, marker: i === payloads.length - 1 });
        seq = (seq + 1) & 0xffff;
        await transceiver.sender.sendRtp(new RtpPacket(header, payloads[i]));
      }
    };
    s.timer = setInterval(() => {
      const sec = Math.floor(Date.now() / 1000);
      let nals;
      if (frame % (FPS * IDR_INTERVAL_S) === 0 || s.wantsKeyframe) {
        s.wantsKeyframe = false;
        frameNum = 0;
        nals = nalUnits.idr(s.seed, sec, idrId++);
      } else {
        frameNum++;
        nals = sec !== lastSec ? nalUnits.clock(s.seed, sec, frameNum) : nalUnits.skip(frameNum);
      }
      lastSec = sec;
      frame++;
      ts += CLOCK / FPS;
      s.frames++;
      stats.framesSent++;
      send(nals).catch(() => {});
    }, 1000 / FPS);
  }

  async function onOffer(channel, viewerId, offer, reply) {
    const key = `${channel}|${viewerId}`;
    stop(key);
    const pc = new RTCPeerConnection({
      codecs: { video: [useH264()], audio: [] },
      iceServers: [],
      // Loopback too, so a viewer in a network namespace with only `lo` still connects.
      iceAdditionalHostAddresses: ["127.0.0.1"],
    });
    const s = { pc, seed: channel, frames: 0, timer: null, wantsKeyframe: true, state: "new", pendingCandidates: [] };
    sessions.set(key, s);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) reply("ICE_CANDIDATE", candidate.toJSON());
    };
    pc.connectionStateChange.subscribe((state) => {
      s.state = state;
      if (state === "connected") {
        stats.connected++;
        startStreaming(s);
      }
      if (state === "failed" || state === "closed") stop(key);
    });
    await pc.setRemoteDescription(offer);
    for (const t of pc.getTransceivers()) if (t.kind === "video") t.setDirection("sendonly");
    await pc.setLocalDescription(await pc.createAnswer());
    stats.answers++;
    reply("SDP_ANSWER", { type: "answer", sdp: pc.localDescription.sdp });
    for (const c of s.pendingCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => {});
  }

  return {
    /** A viewer's message (payload already decoded from base64 JSON); `reply(type, obj)` answers it. */
    onMessage(channel, viewerId, type, payload, reply) {
      if (type === "SDP_OFFER") {
        stats.offers++;
        if (payload?.type !== "offer" || typeof payload.sdp !== "string") return;
        onOffer(channel, viewerId, payload, reply).catch((err) => {
          stats.errors++;
          stats.lastError = String(err?.message ?? err);
          stop(`${channel}|${viewerId}`);
        });
      } else if (type === "ICE_CANDIDATE") {
        const s = sessions.get(`${channel}|${viewerId}`);
        if (!s || !payload?.candidate) return;
        if (!s.pc.remoteDescription) s.pendingCandidates.push(payload);
        else s.pc.addIceCandidate(payload).catch(() => {});
      }
    },
    onViewerGone(channel, viewerId) {
      stop(`${channel}|${viewerId}`);
    },
    describe: () =>
      [...sessions.entries()].map(([key, s]) => ({ channel: key.split("|")[0], viewer: key.split("|")[1], state: s.state, framesSent: s.frames })),
    close() {
      for (const key of [...sessions.keys()]) stop(key);
    },
  };
}
