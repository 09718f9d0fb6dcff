// What a stand-in stream "has recorded", as KVS fragments. One model serves every reader, so
// ListFragments, GetClip, the HLS playlists and GetImages always agree on what exists:
//
// - A stream records fixed-length fragments on a grid (t = k·FRAGMENT_SECONDS); a fragment exists
//   when its whole duration lies inside the footage: the last 30 days, minus the retention floor
//   (fault `retentionExpiresFootage`), minus gaps set through /__standin/gaps, minus, for the demo
//   cameras, a deterministic offline schedule (below).
// - ProducerTimestamp is the grid time; ServerTimestamp is when KVS received it (0.2–0.7 s later).
//   Selectors pick fragments by the timestamp of their type ("Only fragments with a start timestamp
//   greater than or equal to the given start time and less than or equal to the end time are
//   returned", FragmentSelector in botocore's kinesis-video-archived-media 2017-09-30 model).
// - A fragment is listed only once it has been ingested (server timestamp + length in the past).
// - FragmentNumber is a long decimal string that grows with ingestion order, like KVS's
//   ("The unique identifier of the fragment. This value monotonically increases based on the
//   ingestion order."); it encodes the producer time, so HLS URLs can carry it.
import { mediaFragmentSize } from "./mp4.mjs";
import { hash32 } from "./picture.mjs";

export const FRAGMENT_SECONDS = 4;
const HOUR = 3600;
const DAY = 24 * HOUR;
export const FOOTAGE_SECONDS = 30 * DAY;

/** Milliseconds between the producer's timestamp and KVS receiving the fragment (deterministic). */
function ingestLatencySec(streamName, t) {
  return (200 + (hash32(`${streamName}|${t}`) % 500)) / 1000;
}

const numberPrefix = (streamName) => `9134385233318${String(hash32(streamName) % 1000).padStart(3, "0")}`;

export function fragmentNumber(streamName, t) {
  return numberPrefix(streamName) + String(Math.round(t * 1000)).padStart(16, "0");
}

/** The producer time (epoch s) of one of this stream's fragment numbers, or null. */
export function fragmentTime(streamName, number) {
  const prefix = numberPrefix(streamName);
  if (typeof number !== "string" || !number.startsWith(prefix) || number.length !== prefix.length + 16 || !/^\d+$/.test(number)) return null;
  return Number(number.slice(prefix.length)) / 1000;
}

export function fragmentAt(streamName, t) {
  const lengthMs = FRAGMENT_SECONDS * 1000;
  return {
    t,
    number: fragmentNumber(streamName, t),
    producer: t,
    server: Math.round((t + ingestLatencySec(streamName, t)) * 1000) / 1000,
    lengthMs,
    size: mediaFragmentSize(lengthMs),
  };
}

// ---- the demo cameras' offline schedule ----------------------------------------------------
//
// Demo cameras (DEMO_IDS) were offline now and then, so a timeline drawn from ListFragments is
// worth looking at: most nights a few hours (the camera was unplugged), and a few minutes-long gaps
// a day (Wi-Fi drops). The schedule depends only on the stream name and the UTC day, so it is the
// same on every machine and every run. It only applies before `scheduleUntil` (the stand-in's start):
// from then on the camera is online, so live view and recent clips always work, and nothing already
// listed disappears while the stand-in runs.

function rng(seed) {
  let x = hash32(seed) || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export function scheduledGaps(streamName, day) {
  const r = rng(`${streamName}|${day}`);
  const start = day * DAY;
  const gaps = [];
  if (r() < 0.75) {
    const from = start + Math.floor((0.5 + r() * 4) * HOUR); // 00:30–04:30 UTC
    gaps.push({ start: from, end: from + Math.floor((1 + r() * 3) * HOUR) }); // 1–4 h
  }
  const short = 2 + Math.floor(r() * 4);
  for (let i = 0; i < short; i++) {
    const from = start + Math.floor((6 + r() * 17) * HOUR); // daytime
    gaps.push({ start: from, end: from + Math.floor((2 + r() * 23) * 60) }); // 2–25 min
  }
  return gaps;
}

function subtract(pieces, g) {
  return pieces.flatMap(([a, b]) => {
    if (g.end <= a || g.start >= b) return [[a, b]];
    const out = [];
    if (g.start > a) out.push([a, g.start]);
    if (g.end < b) out.push([g.end, b]);
    return out;
  });
}

/**
 * Footage of `stream` inside [start, end] (epoch seconds) as sorted [a, b] intervals.
 * opts: {now, floor (oldest second kept), scheduleUntil (demo schedule applies before it)}.
 */
export function footagePieces(stream, start, end, { now, floor, scheduleUntil }) {
  if (stream.retentionHours === 0) return [];
  let pieces = [[Math.max(start, floor), Math.min(end, now)]].filter(([a, b]) => b > a);
  if (!pieces.length) return pieces;
  if (stream.schedule && scheduleUntil > pieces[0][0]) {
    const [a, b] = [pieces[0][0], Math.min(pieces[0][1], scheduleUntil)];
    for (let day = Math.floor(a / DAY) - 1; day <= Math.floor(b / DAY); day++) {
      for (const g of scheduledGaps(stream.name, day)) pieces = subtract(pieces, { start: g.start, end: Math.min(g.end, scheduleUntil) });
    }
  }
  for (const g of stream.gaps) pieces = subtract(pieces, g);
  return pieces;
}

/**
 * Fragments of `stream` whose `type` timestamp lies in [start, end], oldest first, lazily (a month
 * is 648 000 of them). `after` (producer time) resumes a listing after that fragment.
 */
export function* fragmentsIn(stream, { type, start, end, after = -Infinity }, opts) {
  const F = FRAGMENT_SECONDS;
  const stamp = (f) => (type === "SERVER_TIMESTAMP" ? f.server : f.producer);
  // Server timestamps trail the producer's by < 1 s: look one second earlier for them; a fragment
  // that starts by `end` may run F seconds past it.
  for (const [a, b] of footagePieces(stream, Math.max(start - 1, after), end + F, opts)) {
    for (let t = Math.ceil(a / F) * F; t + F <= b + 1e-9; t += F) {
      if (t <= after) continue;
      const f = fragmentAt(stream.name, t);
      if (f.server + F > opts.now) return; // not ingested yet
      const s = stamp(f);
      if (s < start) continue;
      if (s > end) return;
      yield f;
    }
  }
}

/** Up to `max` fragments from fragmentsIn (an array). */
export function takeFragments(stream, selector, opts, max) {
  const out = [];
  if (max <= 0) return out;
  for (const f of fragmentsIn(stream, selector, opts)) {
    out.push(f);
    if (out.length >= max) break;
  }
  return out;
}

/** The fragment whose [producer, producer + length) holds epoch second `ts`, or null. */
export function fragmentCovering(stream, ts, opts) {
  const t = Math.floor(ts / FRAGMENT_SECONDS) * FRAGMENT_SECONDS;
  const [f] = takeFragments(stream, { type: "PRODUCER_TIMESTAMP", start: t, end: t }, opts, 1);
  return f ?? null;
}
