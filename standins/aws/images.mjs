// GetImages for the AWS stand-in (kinesis-video-archived-media, POST /getImages on the data endpoint).
// Shapes from botocore's kinesis-video-archived-media 2017-09-30 model (GetImagesInput,
// GetImagesOutput, Image, ImageError, FormatConfig, WidthPixels, HeightPixels, GetImagesMaxResults)
// and docs.aws.amazon.com/kinesisvideostreams/latest/dg/API_reader_GetImages.html:
//   request  {StreamName | StreamARN, ImageSelectorType*: PRODUCER_TIMESTAMP | SERVER_TIMESTAMP,
//             StartTimestamp*, EndTimestamp* (at most 300 s after the start), SamplingInterval (ms),
//             Format*: JPEG | PNG, FormatConfig? {JPEGQuality: "1".."100", default 80},
//             WidthPixels? (1..3840) + HeightPixels? (1..2160), MaxResults? (1..100), NextToken?}
//   response {Images: [{TimeStamp, Error?: NO_MEDIA | MEDIA_ERROR, ImageContent?: base64}], NextToken?}
// Checks and readings where the docs leave room (the conservative one, ADR 003):
// - SamplingInterval: "The minimum value that can be provided is 200 ms" (current model; older docs
//   said 3000 ms). The model no longer lists it as required; we still require it.
// - "The default limit is 25 images per API response. Providing a MaxResults greater than this value
//   will result in a page size of 25": a page holds min(MaxResults, 25) images, the rest paginates.
// - Sampling starts at StartTimestamp and steps by SamplingInterval while before EndTimestamp ("If
//   the timestamp range is less than the sampling interval, the image from the startTimestamp will be
//   returned if available").
// - WidthPixels/HeightPixels: the two members' docs disagree on whether one alone is allowed; we
//   require both or neither (InvalidArgumentException), which every reading accepts.
// - A timestamp with no fragment (a gap, the future) gives {TimeStamp, Error: "NO_MEDIA"} and no
//   ImageContent.
// The pictures are real JPEG (jpeg-js) or PNG files of what the video shows at that second.
import fs from "node:fs";
import { createRequire } from "node:module";
import vm from "node:vm";
import zlib from "node:zlib";
import { invalid, noRetention } from "./errors.mjs";
import { FRAGMENT_SECONDS, takeFragments } from "./footage.mjs";
import { decodeToken, encodeToken } from "./fragments.mjs";
import { drawPicture, HEIGHT, pictureRgba, WIDTH } from "./picture.mjs";

export const MIN_SAMPLING_INTERVAL_MS = 200;
export const MAX_IMAGES_RANGE_SECONDS = 300;
export const IMAGES_PAGE_SIZE = 25;
const isTime = (v) => typeof v === "number" && Number.isFinite(v);

function png(rgba, width, height) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// jpeg-js builds its Huffman and colour tables on every encode() call (~115 ms, far more than
// encoding a thumbnail), and does not export the encoder it builds. We compile its encoder.js once
// to reach the JPEGEncoder constructor and keep one instance per quality.
const JPEGEncoder = (() => {
  const file = createRequire(import.meta.url).resolve("jpeg-js/lib/encoder.js");
  const module = { exports: {} };
  return vm.runInNewContext(`${fs.readFileSync(file, "utf8")}\n;JPEGEncoder`, { module, Buffer, console }, { filename: file });
})();
const encoders = new Map();
function encodeJpeg(rgba, width, height, quality) {
  let enc = encoders.get(quality);
  if (!enc) encoders.set(quality, (enc = new JPEGEncoder(quality)));
  return Buffer.from(enc.encode({ data: rgba, width, height }, 0)); // 0: keep the tables built for `quality`
}

/** The image file (JPEG or PNG) of `seed`'s picture at epoch second `sec`. */
export function renderImage(seed, sec, { format = "JPEG", quality = 80, width = WIDTH, height = HEIGHT } = {}) {
  const rgba = pictureRgba(drawPicture(seed, sec), width, height);
  if (format === "PNG") return png(rgba, width, height);
  return encodeJpeg(rgba, width, height, quality);
}

function checkInput(input) {
  const type = input.ImageSelectorType;
  if (type !== "PRODUCER_TIMESTAMP" && type !== "SERVER_TIMESTAMP") throw invalid("ImageSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.");
  const { StartTimestamp: start, EndTimestamp: end, SamplingInterval: interval, Format: format } = input;
  if (!isTime(start) || !isTime(end)) throw invalid("StartTimestamp and EndTimestamp are required epoch-seconds numbers.");
  if (end < start) throw invalid("EndTimestamp must not be earlier than StartTimestamp.");
  if (end - start > MAX_IMAGES_RANGE_SECONDS)
    throw invalid(`The time range between StartTimestamp and EndTimestamp must not exceed ${MAX_IMAGES_RANGE_SECONDS} seconds.`);
  if (!Number.isInteger(interval)) throw invalid("SamplingInterval (milliseconds) is required.");
  if (interval < MIN_SAMPLING_INTERVAL_MS) throw invalid(`SamplingInterval must be at least ${MIN_SAMPLING_INTERVAL_MS} milliseconds.`);
  if (format !== "JPEG" && format !== "PNG") throw invalid("Format must be JPEG or PNG.");
  let quality = 80;
  if (input.FormatConfig !== undefined) {
    const cfg = input.FormatConfig;
    const keys = cfg && typeof cfg === "object" && !Array.isArray(cfg) ? Object.keys(cfg) : [];
    if (keys.length !== 1 || keys[0] !== "JPEGQuality") throw invalid("FormatConfig must have exactly one key, JPEGQuality.");
    const v = cfg.JPEGQuality;
    if (typeof v !== "string" || !/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 100)
      throw invalid("FormatConfig JPEGQuality must be a string holding an integer from 1 to 100.");
    quality = Number(v);
  }
  const { WidthPixels: w, HeightPixels: h } = input;
  if ((w === undefined) !== (h === undefined)) throw invalid("WidthPixels and HeightPixels must be given together.");
  if (w !== undefined && (!Number.isInteger(w) || w < 1 || w > 3840)) throw invalid("WidthPixels must be an integer between 1 and 3840.");
  if (h !== undefined && (!Number.isInteger(h) || h < 1 || h > 2160)) throw invalid("HeightPixels must be an integer between 1 and 2160.");
  const max = input.MaxResults;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 100)) throw invalid("MaxResults must be an integer between 1 and 100.");
  return { type, start, end, interval, format, quality, width: w ?? WIDTH, height: h ?? HEIGHT, pageSize: Math.min(max ?? IMAGES_PAGE_SIZE, IMAGES_PAGE_SIZE) };
}

/** The fragment holding `ts` by the selector's timestamp, or null. */
function fragmentFor(stream, type, ts, opts) {
  const L = FRAGMENT_SECONDS;
  const [f] = takeFragments(stream, { type, start: ts - L + 0.001, end: ts }, opts, 1);
  return f ?? null;
}

export function getImages({ stream, input, opts }) {
  const q = checkInput(input);
  if (stream.retentionHours === 0) throw noRetention(stream.name);
  let index = 0;
  if (input.NextToken !== undefined) {
    const token = decodeToken(input.NextToken, stream.arn, "gi");
    if (!token || token.a !== q.start || token.e !== q.end || token.i !== q.interval) throw invalid("The NextToken is invalid or does not match this request.");
    index = token.c;
  }
  const count = Math.max(1, Math.ceil(((q.end - q.start) * 1000) / q.interval));
  const images = [];
  for (; index < count && images.length < q.pageSize; index++) {
    const ts = Math.round((q.start + (index * q.interval) / 1000) * 1000) / 1000;
    const f = fragmentFor(stream, q.type, ts, opts);
    if (!f) {
      images.push({ TimeStamp: ts, Error: "NO_MEDIA" });
      continue;
    }
    const base = q.type === "SERVER_TIMESTAMP" ? f.server : f.producer;
    const second = f.producer + Math.min(FRAGMENT_SECONDS - 1, Math.floor(ts - base)); // the frame on screen then
    const file = renderImage(stream.name, second, q);
    images.push({ TimeStamp: ts, ImageContent: file.toString("base64") });
  }
  const out = { Images: images };
  if (index < count) out.NextToken = encodeToken({ k: "gi", s: stream.arn, a: q.start, e: q.end, i: q.interval, c: index });
  return out;
}
