// HLS for the AWS stand-in: GetHLSStreamingSessionURL (POST /getHLSStreamingSessionURL) and the
// session's resources (GET, authorized by SessionToken): GetHLSMasterPlaylist, GetHLSMediaPlaylist,
// GetMP4InitFragment, GetMP4MediaFragment. Shapes from botocore's kinesis-video-archived-media
// 2017-09-30 model (GetHLSStreamingSessionURLInput, HLSFragmentSelector, HLSTimestampRange,
// HLSDiscontinuityMode, HLSDisplayFragmentTimestamp, Expires 300..43200, HLSMaxResults 1..5000)
// and docs.aws.amazon.com/kinesisvideostreams/latest/dg/API_reader_GetHLSStreamingSessionURL.html.
//
// What it does like KVS:
// - ON_DEMAND: the oldest fragments of the range, up to MaxMediaPlaylistFragmentResults (default
//   1000), then #EXT-X-ENDLIST. LIVE: the newest fragments (default 5), a sliding window refreshed
//   as fragments are ingested, "even if there is a gap between fragments". LIVE_REPLAY: from the
//   start, one more fragment as each fragment's duration elapses; ENDLIST once past EndTimestamp.
// - DiscontinuityMode: ALWAYS (a discontinuity before every fragment), NEVER, ON_DISCONTINUITY (gap
//   or overlap > 50 ms); the default is ALWAYS for SERVER_TIMESTAMP and NEVER for PRODUCER_TIMESTAMP.
//   Media and discontinuity sequence numbers count fragments and discontinuities from the session's
//   first playlist, so a refreshed LIVE playlist lines up with the previous one.
// - DisplayFragmentTimestamp ALWAYS adds #EXT-X-PROGRAM-DATE-TIME (the fragment's start, server or
//   producer timestamp by the selector type) before each fragment; the default is NEVER.
// - Fragment URLs carry the KVS FragmentNumber, the same as ListFragments returns.
// - CORS: the resources answer any origin (players fetch them from the page).
// The media is fMP4 (ContainerFormat MPEG_TS is accepted and answered as fMP4: nothing here plays TS).
import crypto from "node:crypto";
import { sendJson } from "../lib/http.mjs";
import { invalid, noRetention, notFound } from "./errors.mjs";
import { FRAGMENT_SECONDS, fragmentsIn, fragmentTime, takeFragments } from "./footage.mjs";
import { buildInitSegment, buildMediaFragment, CODEC, HEIGHT, WIDTH } from "./mp4.mjs";

const isTime = (v) => typeof v === "number" && Number.isFinite(v);
const DAY = 86400;

function checkRange(range, type, { endRequired }, now) {
  if (!range || typeof range !== "object") throw invalid("TimestampRange is required for ON_DEMAND and LIVE_REPLAY.");
  const { StartTimestamp: start, EndTimestamp: end } = range;
  if (!isTime(start)) throw invalid("StartTimestamp must be an epoch-seconds number.");
  if (end === undefined && !endRequired) return { start, end: undefined };
  if (!isTime(end)) throw invalid("EndTimestamp must be an epoch-seconds number.");
  if (end <= start) throw invalid("EndTimestamp must be later than StartTimestamp.");
  if (end - start > DAY) throw invalid("The time range between StartTimestamp and EndTimestamp must not exceed 24 hours.");
  if (type === "SERVER_TIMESTAMP" && end > now) throw invalid("EndTimestamp must be in the past for SERVER_TIMESTAMP.");
  return { start, end };
}

/** GetHLSStreamingSessionURL for a resolved `stream`. Returns {HLSStreamingSessionURL}. */
export function createHlsSession({ state, stream, input, base, opts }) {
  const now = opts.now;
  const mode = input.PlaybackMode ?? "LIVE";
  if (!["LIVE", "LIVE_REPLAY", "ON_DEMAND"].includes(mode)) throw invalid("PlaybackMode must be LIVE, LIVE_REPLAY or ON_DEMAND.");
  const selector = input.HLSFragmentSelector;
  const type = selector?.FragmentSelectorType ?? "SERVER_TIMESTAMP";
  if (type !== "SERVER_TIMESTAMP" && type !== "PRODUCER_TIMESTAMP") throw invalid("FragmentSelectorType must be SERVER_TIMESTAMP or PRODUCER_TIMESTAMP.");
  const expires = input.Expires ?? 300;
  if (!Number.isInteger(expires) || expires < 300 || expires > 43200) throw invalid("Expires must be between 300 and 43200 seconds.");
  if (input.ContainerFormat !== undefined && !["FRAGMENTED_MP4", "MPEG_TS"].includes(input.ContainerFormat)) throw invalid("ContainerFormat is invalid.");
  const discontinuity = input.DiscontinuityMode ?? (type === "SERVER_TIMESTAMP" ? "ALWAYS" : "NEVER");
  if (!["ALWAYS", "NEVER", "ON_DISCONTINUITY"].includes(discontinuity)) throw invalid("DiscontinuityMode must be ALWAYS, NEVER or ON_DISCONTINUITY.");
  const display = input.DisplayFragmentTimestamp ?? "NEVER";
  if (display !== "ALWAYS" && display !== "NEVER") throw invalid("DisplayFragmentTimestamp must be ALWAYS or NEVER.");
  const maxResults = input.MaxMediaPlaylistFragmentResults ?? (mode === "ON_DEMAND" ? 1000 : 5);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 5000) throw invalid("MaxMediaPlaylistFragmentResults must be between 1 and 5000.");
  if (stream.retentionHours === 0) throw noRetention(stream.name);
  let range;
  if (mode === "LIVE") {
    if (selector?.TimestampRange) throw invalid("TimestampRange must not be set when PlaybackMode is LIVE.");
    // "... a session with a PlaybackMode of LIVE is requested for a stream that has no fragments
    // within the last 30 seconds" → ResourceNotFoundException (model, ResourceNotFoundException).
    if (!takeFragments(stream, { type: "SERVER_TIMESTAMP", start: now - 30, end: now }, opts, 1).length)
      throw notFound("No fragments were ingested in the last 30 seconds.");
    range = { start: now - (maxResults + 3) * FRAGMENT_SECONDS, end: undefined };
  } else {
    range = checkRange(selector?.TimestampRange, type, { endRequired: mode === "ON_DEMAND" }, now);
    if (!takeFragments(stream, { type, start: range.start, end: range.end ?? now }, opts, 1).length)
      throw notFound("No fragments found in the requested time range.");
  }
  for (const [t, s] of state.hlsSessions) if (s.expiresAt < Date.now()) state.hlsSessions.delete(t);
  const token = crypto.randomBytes(24).toString("base64url");
  state.hlsSessions.set(token, {
    stream: stream.name,
    mode,
    type,
    range,
    maxResults,
    discontinuity,
    display,
    expiresAt: Date.now() + expires * 1000,
    createdSec: now,
    cursor: null,
  });
  return { HLSStreamingSessionURL: `${base}/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=${token}` };
}

const stampOf = (session, f) => (session.type === "SERVER_TIMESTAMP" ? f.server : f.producer);
const isBreak = (session, prev, f) =>
  session.discontinuity === "ALWAYS" || (session.discontinuity === "ON_DISCONTINUITY" && Math.abs(f.producer - (prev.producer + prev.lengthMs / 1000)) > 0.05);

/** The fragments of the session's current media playlist (oldest first). */
function playlistFragments(session, stream, opts) {
  const { now } = opts;
  const F = FRAGMENT_SECONDS;
  if (session.mode === "ON_DEMAND")
    return takeFragments(stream, { type: session.type, start: session.range.start, end: session.range.end }, opts, session.maxResults);
  if (session.mode === "LIVE") {
    const recent = takeFragments(stream, { type: session.type, start: Math.max(session.range.start, now - 120), end: now }, opts, 1000);
    return recent.slice(-session.maxResults);
  }
  // LIVE_REPLAY: fragments become available as real time elapses from the start.
  const reached = session.range.start + (now - session.createdSec) + F;
  const end = Math.min(session.range.end ?? now, reached, now);
  return takeFragments(stream, { type: session.type, start: session.range.start, end }, opts, 100000).slice(-session.maxResults);
}

/**
 * Media sequence and discontinuity sequence of `first`, counted from the first fragment this session
 * ever listed (kept in session.cursor and moved forward as a LIVE window slides).
 */
function sequences(session, stream, first, opts) {
  if (!session.cursor) session.cursor = { frag: first, seq: 0, disc: 0 };
  const c = session.cursor;
  if (first.t > c.frag.t) {
    let prev = c.frag;
    for (const f of fragmentsIn(stream, { type: session.type, start: stampOf(session, c.frag), end: stampOf(session, first), after: c.frag.t }, opts)) {
      c.seq++;
      if (isBreak(session, prev, f)) c.disc++;
      prev = f;
      if (f.t >= first.t) break;
    }
    c.frag = first;
  }
  return { seq: c.seq, disc: c.disc };
}

function mediaPlaylist(session, stream, q, opts) {
  const frags = playlistFragments(session, stream, opts);
  const F = FRAGMENT_SECONDS;
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", `#EXT-X-TARGETDURATION:${F}`];
  const { seq, disc } = frags.length ? sequences(session, stream, frags[0], opts) : { seq: 0, disc: 0 };
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${seq}`);
  if (session.mode !== "ON_DEMAND") lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${disc}`);
  if (session.mode === "ON_DEMAND") lines.push("#EXT-X-PLAYLIST-TYPE:VOD");
  lines.push(`#EXT-X-MAP:URI="getMP4InitFragment.mp4?${q}"`);
  frags.forEach((f, i) => {
    if (i > 0 && isBreak(session, frags[i - 1], f)) lines.push("#EXT-X-DISCONTINUITY");
    if (session.display === "ALWAYS") lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(stampOf(session, f) * 1000).toISOString()}`);
    lines.push(`#EXTINF:${(f.lengthMs / 1000).toFixed(3)},`, `getMP4MediaFragment.mp4?FragmentNumber=${f.number}&${q}`);
  });
  const ended =
    session.mode === "ON_DEMAND" ||
    (session.mode === "LIVE_REPLAY" && session.range.end !== undefined && session.range.start + (opts.now - session.createdSec) >= session.range.end);
  if (ended) lines.push("#EXT-X-ENDLIST");
  return lines.join("\n") + "\n";
}

/** GET /hls/v1/* */
export function serveHls({ state, req, res, url, opts }) {
  const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Content-Length, x-amzn-ErrorType, x-amzn-RequestId" };
  const fail = (status, code, message) =>
    sendJson(res, status, { __type: code, message }, { ...cors, "x-amzn-ErrorType": code, "x-amzn-RequestId": crypto.randomUUID() });
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...cors, "Access-Control-Allow-Methods": "GET, HEAD", "Access-Control-Allow-Headers": "*", "Access-Control-Max-Age": "600" });
    return res.end();
  }
  const token = url.searchParams.get("SessionToken") ?? "";
  const session = state.hlsSessions.get(token);
  // kinesis-video-archived-media model: NotAuthorizedException "Status Code: 403 ... or the token has expired."
  if (!session || session.expiresAt < Date.now()) return fail(403, "NotAuthorizedException", "The session token is invalid or has expired.");
  const stream = state.streams.get(session.stream);
  if (!stream) return fail(404, "ResourceNotFoundException", `Stream ${session.stream} not found.`);
  const q = `SessionToken=${encodeURIComponent(token)}`;
  const file = url.pathname.slice("/hls/v1/".length);
  const text = (body) => {
    res.writeHead(200, { ...cors, "Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "no-cache" });
    res.end(body);
  };
  const media = (bytes) => {
    res.writeHead(200, { ...cors, "Content-Type": "video/mp4", "Content-Length": bytes.length });
    res.end(bytes);
  };
  if (file === "getHLSMasterPlaylist.m3u8") {
    return text(
      `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=${WIDTH}x${HEIGHT},CODECS="${CODEC}"\ngetHLSMediaPlaylist.m3u8?${q}\n`,
    );
  }
  if (file === "getHLSMediaPlaylist.m3u8") return text(mediaPlaylist(session, stream, q, opts));
  if (file === "getMP4InitFragment.mp4") return media(buildInitSegment());
  if (file === "getMP4MediaFragment.mp4") {
    const t = fragmentTime(stream.name, url.searchParams.get("FragmentNumber"));
    const [f] = t === null ? [] : takeFragments(stream, { type: "PRODUCER_TIMESTAMP", start: t, end: t }, opts, 1);
    if (!f) return fail(404, "ResourceNotFoundException", "Fragment not found.");
    // Track time counts from the session's timeline origin, so it only ever grows in a session.
    const origin = Math.floor(session.range.start);
    return media(
      buildMediaFragment({
        seed: stream.name,
        sequence: Math.round(f.t / FRAGMENT_SECONDS),
        baseMs: (f.t - origin) * 1000,
        startSec: f.t,
        durationMs: f.lengthMs,
      }),
    );
  }
  return fail(404, "ResourceNotFoundException", `Unknown HLS resource ${file}`);
}
