// Deterministic "speech" for the ElevenLabs stand-in: one short tone per character (pitch from the
// code point and the voice, length scaled by speed), encoded to real MP3 with lamejs so browsers,
// R2 and players handle it exactly like provider audio. Same input → same bytes.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { Mp3Encoder } from "@breezystack/lamejs";

/** mp3_{sampleRate}_{kbps} values the real API documents (API-SHAPES.md §4). */
export const MP3_FORMATS = {
  mp3_22050_32: { sampleRate: 22050, kbps: 32 },
  mp3_24000_48: { sampleRate: 24000, kbps: 48 },
  mp3_44100_32: { sampleRate: 44100, kbps: 32 },
  mp3_44100_64: { sampleRate: 44100, kbps: 64 },
  mp3_44100_96: { sampleRate: 44100, kbps: 96 },
  mp3_44100_128: { sampleRate: 44100, kbps: 128 },
  mp3_44100_192: { sampleRate: 44100, kbps: 192 },
};

const TONE_MS = 35;
const SPACE_MS = 50;
const PAUSE_MS = 140;
const EDGE_MS = 80;
// 16 MPEG frames per encoder call: small enough to stream and to keep the event loop responsive.
const SAMPLES_PER_CHUNK = 1152 * 16;

/** A stable pitch (Hz) for any voice id, used for voices without a declared pitch (clones). */
export function pitchForVoiceId(voiceId) {
  let h = 2166136261;
  for (let i = 0; i < voiceId.length; i++) h = Math.imul(h ^ voiceId.charCodeAt(i), 16777619) >>> 0;
  return 110 + (h % 160);
}

function segments(text, speed) {
  const segs = [];
  const ms = (x) => x / speed;
  segs.push({ ms: EDGE_MS, freq: 0 });
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (/\s/u.test(ch)) segs.push({ ms: ms(SPACE_MS), freq: 0 });
    else if (/[.,!?;:\u2026\u3002\uff0c]/u.test(ch)) segs.push({ ms: ms(PAUSE_MS), freq: 0 });
    else segs.push({ ms: ms(TONE_MS), step: (cp % 19) - 6 });
  }
  segs.push({ ms: EDGE_MS, freq: 0 });
  return segs;
}

/** Renders the PCM (Int16, mono) for a text. */
export function renderPcm({ text, pitchHz, settings, sampleRate }) {
  const speed = settings.speed ?? 1;
  const stability = settings.stability ?? 0.5;
  const style = settings.style ?? 0;
  const similarity = settings.similarity_boost ?? 0.75;
  const segs = segments(text, speed);
  const lens = segs.map((s) => Math.max(1, Math.round((s.ms / 1000) * sampleRate)));
  const out = new Int16Array(lens.reduce((a, b) => a + b, 0));
  const ramp = Math.round(0.004 * sampleRate);
  const vibratoDepth = (1 - stability) * 0.03;
  let pos = 0;
  for (let i = 0; i < segs.length; i++) {
    const len = lens[i];
    const s = segs[i];
    if (s.step !== undefined) {
      const f = pitchHz * 2 ** (s.step / 12);
      let phase = 0;
      for (let n = 0; n < len; n++) {
        const t = (pos + n) / sampleRate;
        phase += (2 * Math.PI * f * (1 + vibratoDepth * Math.sin(2 * Math.PI * 5.5 * t))) / sampleRate;
        const env = Math.min(1, n / ramp, (len - n) / ramp);
        const v = Math.sin(phase) + style * 0.5 * Math.sin(2 * phase) + similarity * 0.2 * Math.sin(3 * phase);
        out[pos + n] = Math.round(env * 0.3 * 32767 * (v / (1 + style * 0.5 + similarity * 0.2)));
      }
    }
    pos += len;
  }
  return out;
}

/**
 * Yields MP3 bytes chunk by chunk, giving the event loop a turn between chunks (the stand-ins share
 * one Node process, so a long text must not stall the others).
 */
export async function* synthesizeMp3({ text, pitchHz, settings, format }) {
  const { sampleRate, kbps } = MP3_FORMATS[format];
  const pcm = renderPcm({ text, pitchHz, settings, sampleRate });
  const encoder = new Mp3Encoder(1, sampleRate, kbps);
  for (let i = 0; i < pcm.length; i += SAMPLES_PER_CHUNK) {
    const mp3 = encoder.encodeBuffer(pcm.subarray(i, i + SAMPLES_PER_CHUNK));
    if (mp3.length) yield copyBytes(mp3);
    await yieldToLoop();
  }
  const tail = encoder.flush();
  if (tail.length) yield copyBytes(tail);
}

// lamejs hands back Int8Array views; copy so a later encoder call can never alter sent bytes.
function copyBytes(view) {
  return Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.length));
}
