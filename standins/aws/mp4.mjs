// Tiny, dependency-free H.264 + MP4 writer for the AWS stand-in's GetClip and HLS answers.
//
// KVS returns real H.264 in MP4 (GetClip: "traditional MP4"; HLS: fMP4 init + media fragments,
// see the GetClip / GetHLSStreamingSessionURL docs in botocore's kinesis-video-archived-media model).
// We have no encoder here, so the pictures are written by hand with the two simplest tools the
// H.264 spec (ITU-T H.264, 7.3) offers: an IDR picture made only of I_PCM macroblocks (raw
// samples, no prediction, no entropy coding) and P pictures whose macroblocks are all skipped
// (the previous picture repeated). Both are valid Constrained Baseline, so browsers and ffprobe
// decode the result. The picture shows a per-stream tint and a bar whose position is the
// minute of the hour, so different clips look different.

export const WIDTH = 160;
export const HEIGHT = 90;
const MB_W = Math.ceil(WIDTH / 16);
const MB_H = Math.ceil(HEIGHT / 16);
const MB_COUNT = MB_W * MB_H;
const LOG2_MAX_FRAME_NUM = 8;
const PROFILE_IDC = 66; // Baseline
const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + set1 => Constrained Baseline
const LEVEL_IDC = 30;
export const CODEC = "avc1.42C01E";

class BitWriter {
  constructor() {
    this.bytes = [];
    this.cur = 0;
    this.n = 0;
  }
  bit(b) {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.n === 8) {
      this.bytes.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
  bits(value, count) {
    for (let i = count - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }
  ue(v) {
    const x = v + 1;
    const len = 32 - Math.clz32(x);
    this.bits(0, len - 1);
    this.bits(x, len);
  }
  se(v) {
    this.ue(v <= 0 ? -2 * v : 2 * v - 1);
  }
  get aligned() {
    return this.n === 0;
  }
  alignZero() {
    while (this.n !== 0) this.bit(0);
  }
  byte(b) {
    // only called when aligned
    this.bytes.push(b & 0xff);
  }
  trailing() {
    this.bit(1);
    this.alignZero();
  }
  done() {
    return Uint8Array.from(this.bytes);
  }
}

/** RBSP -> NAL unit payload with emulation-prevention bytes (7.4.1). */
function nal(headerByte, rbsp) {
  const out = [headerByte];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

function sps() {
  const w = new BitWriter();
  w.bits(PROFILE_IDC, 8);
  w.bits(CONSTRAINT_FLAGS, 8);
  w.bits(LEVEL_IDC, 8);
  w.ue(0); // seq_parameter_set_id
  w.ue(LOG2_MAX_FRAME_NUM - 4);
  w.ue(2); // pic_order_cnt_type 2: output order = decoding order, no extra syntax
  w.ue(1); // max_num_ref_frames
  w.bit(0); // gaps_in_frame_num_value_allowed_flag
  w.ue(MB_W - 1);
  w.ue(MB_H - 1);
  w.bit(1); // frame_mbs_only_flag
  w.bit(1); // direct_8x8_inference_flag
  const cropBottom = (MB_H * 16 - HEIGHT) / 2; // 4:2:0 crop unit is 2 rows
  const cropRight = (MB_W * 16 - WIDTH) / 2;
  if (cropBottom || cropRight) {
    w.bit(1);
    w.ue(0);
    w.ue(cropRight);
    w.ue(0);
    w.ue(cropBottom);
  } else {
    w.bit(0);
  }
  w.bit(0); // vui_parameters_present_flag
  w.trailing();
  return nal(0x67, w.done());
}

function pps() {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.bit(0); // entropy_coding_mode_flag (CAVLC)
  w.bit(0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.bit(0); // weighted_pred_flag
  w.bits(0, 2); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.bit(0); // deblocking_filter_control_present_flag
  w.bit(0); // constrained_intra_pred_flag
  w.bit(0); // redundant_pic_cnt_present_flag
  w.trailing();
  return nal(0x68, w.done());
}

export const SPS = sps();
export const PPS = pps();

function hash32(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** An IDR picture of I_PCM macroblocks: tint from the stream name, a bar at `barPos` (0..1). */
function idrSlice(seed, barPos, idrPicId) {
  const h = hash32(seed);
  const cb = 80 + (h & 0x5f);
  const cr = 80 + ((h >>> 8) & 0x5f);
  const barX = Math.min(WIDTH - 4, Math.max(0, Math.round(barPos * (WIDTH - 4))));
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I (all slices)
  w.ue(0); // pic_parameter_set_id
  w.bits(0, LOG2_MAX_FRAME_NUM); // frame_num
  w.ue(idrPicId & 0xffff); // idr_pic_id
  w.bit(0); // no_output_of_prior_pics_flag
  w.bit(0); // long_term_reference_flag
  w.se(0); // slice_qp_delta
  for (let mby = 0; mby < MB_H; mby++) {
    for (let mbx = 0; mbx < MB_W; mbx++) {
      w.ue(25); // mb_type I_PCM
      w.alignZero(); // pcm_alignment_zero_bit
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const px = mbx * 16 + x;
          const py = mby * 16 + y;
          let luma = 40 + Math.round((py / HEIGHT) * 120); // vertical gradient
          if (px >= barX && px < barX + 4) luma = 235;
          w.byte(Math.max(16, Math.min(235, luma)));
        }
      }
      for (let i = 0; i < 64; i++) w.byte(cb);
      for (let i = 0; i < 64; i++) w.byte(cr);
    }
  }
  w.trailing();
  return nal(0x65, w.done());
}

/** A P picture whose macroblocks are all P_Skip (repeats the reference picture). */
function skipSlice(frameNum) {
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(5); // slice_type: P (all slices)
  w.ue(0); // pic_parameter_set_id
  w.bits(frameNum % (1 << LOG2_MAX_FRAME_NUM), LOG2_MAX_FRAME_NUM);
  w.bit(0); // num_ref_idx_active_override_flag
  w.bit(0); // ref_pic_list_modification_flag_l0
  w.bit(0); // adaptive_ref_pic_marking_mode_flag
  w.se(0); // slice_qp_delta
  w.ue(MB_COUNT); // mb_skip_run covering the whole picture
  w.trailing();
  return nal(0x41, w.done());
}

/** Length-prefixed (4 bytes) sample, as avcC lengthSizeMinusOne = 3 says. */
function sample(nalUnit) {
  const out = new Uint8Array(4 + nalUnit.length);
  new DataView(out.buffer).setUint32(0, nalUnit.length);
  out.set(nalUnit, 4);
  return out;
}

// ---- ISO BMFF boxes (ISO/IEC 14496-12) ------------------------------------------------------

function concat(parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u8(...v) {
  return Uint8Array.from(v);
}
function u16(v) {
  return u8((v >>> 8) & 0xff, v & 0xff);
}
function u32(v) {
  return u8((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
function u64(v) {
  const hi = Math.floor(v / 2 ** 32);
  return concat([u32(hi), u32(v >>> 0)]);
}
function str(s) {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
function zeros(n) {
  return new Uint8Array(n);
}

function box(type, ...payload) {
  const body = concat(payload);
  return concat([u32(8 + body.length), str(type), body]);
}
function fullBox(type, version, flags, ...payload) {
  return box(type, u8(version), u8((flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff), ...payload);
}

const MATRIX = concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);
const TIMESCALE = 1000; // ms

function ftyp(major, compat) {
  return box("ftyp", str(major), u32(512), ...compat.map(str));
}

function mvhd(duration) {
  return fullBox("mvhd", 0, 0, u32(0), u32(0), u32(TIMESCALE), u32(duration), u32(0x10000), u16(0x100), zeros(10), MATRIX, zeros(24), u32(2));
}

function tkhd(duration) {
  return fullBox("tkhd", 0, 3, u32(0), u32(0), u32(1), u32(0), u32(duration), zeros(8), u16(0), u16(0), u16(0), u16(0), MATRIX, u32(WIDTH << 16), u32(HEIGHT << 16));
}

function avc1() {
  const avcC = box("avcC", u8(1, PROFILE_IDC, CONSTRAINT_FLAGS, LEVEL_IDC, 0xff, 0xe1), u16(SPS.length), SPS, u8(1), u16(PPS.length), PPS);
  return box(
    "avc1",
    zeros(6),
    u16(1), // data_reference_index
    zeros(16),
    u16(WIDTH),
    u16(HEIGHT),
    u32(0x00480000),
    u32(0x00480000),
    u32(0),
    u16(1), // frame_count
    zeros(32), // compressorname
    u16(0x18),
    u16(0xffff),
    avcC,
  );
}

function mdia(duration, stblBoxes) {
  return box(
    "mdia",
    fullBox("mdhd", 0, 0, u32(0), u32(0), u32(TIMESCALE), u32(duration), u16(0x55c4), u16(0)),
    fullBox("hdlr", 0, 0, u32(0), str("vide"), zeros(12), str("VideoHandler\0")),
    box(
      "minf",
      fullBox("vmhd", 0, 1, zeros(8)),
      box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1))),
      box("stbl", fullBox("stsd", 0, 0, u32(1), avc1()), ...stblBoxes),
    ),
  );
}

/** Sample durations (ms) for `count` frames spread evenly over `durationMs`. */
function spread(durationMs, count) {
  const base = Math.floor(durationMs / count);
  const out = new Array(count).fill(base);
  out[count - 1] += durationMs - base * count;
  return out;
}

/**
 * A progressive MP4 (ftyp, moov, mdat) lasting `durationMs`: one IDR picture then skipped
 * pictures, at most `maxFrames` frames. Returns the whole file (tens of kilobytes at most).
 */
export function buildClip({ seed = "aovis", durationMs, barPos = 0, maxFrames = 120 }) {
  const duration = Math.max(1, Math.round(durationMs));
  const count = Math.max(1, Math.min(maxFrames, Math.ceil(duration / 1000)));
  const samples = [sample(idrSlice(seed, barPos, 0))];
  for (let i = 1; i < count; i++) samples.push(sample(skipSlice(i)));
  const durations = spread(duration, count);

  const sttsEntries = [];
  for (const d of durations) {
    const last = sttsEntries[sttsEntries.length - 1];
    if (last && last[1] === d) last[0]++;
    else sttsEntries.push([1, d]);
  }
  const makeMoov = (chunkOffset) =>
    box(
      "moov",
      mvhd(duration),
      box(
        "trak",
        tkhd(duration),
        mdia(duration, [
          fullBox("stts", 0, 0, u32(sttsEntries.length), ...sttsEntries.map(([n, d]) => concat([u32(n), u32(d)]))),
          fullBox("stss", 0, 0, u32(1), u32(1)),
          fullBox("stsc", 0, 0, u32(1), u32(1), u32(samples.length), u32(1)),
          fullBox("stsz", 0, 0, u32(0), u32(samples.length), ...samples.map((s) => u32(s.length))),
          fullBox("stco", 0, 0, u32(1), u32(chunkOffset)),
        ]),
      ),
    );
  const head = ftyp("isom", ["isom", "iso2", "avc1", "mp41"]);
  const moovSize = makeMoov(0).length;
  const mdat = box("mdat", ...samples);
  return concat([head, makeMoov(head.length + moovSize + 8), mdat]);
}

/** fMP4 initialization segment (HLS EXT-X-MAP): ftyp + moov with mvex, no samples. */
export function buildInitSegment() {
  const empty = [
    fullBox("stts", 0, 0, u32(0)),
    fullBox("stsc", 0, 0, u32(0)),
    fullBox("stsz", 0, 0, u32(0), u32(0)),
    fullBox("stco", 0, 0, u32(0)),
  ];
  return concat([
    ftyp("iso6", ["iso6", "isom", "mp41", "avc1"]),
    box(
      "moov",
      mvhd(0),
      box("trak", tkhd(0), mdia(0, empty)),
      box("mvex", fullBox("trex", 0, 0, u32(1), u32(1), u32(0), u32(0), u32(0))),
    ),
  ]);
}

/**
 * One fMP4 media fragment (moof + mdat) starting at `baseMs` on the track timeline: an IDR picture
 * then skipped pictures at 1 fps.
 */
export function buildMediaFragment({ seed = "aovis", sequence, baseMs, durationMs, barPos = 0 }) {
  const duration = Math.max(1, Math.round(durationMs));
  const count = Math.max(1, Math.min(30, Math.ceil(duration / 1000)));
  const samples = [sample(idrSlice(seed, barPos, sequence))];
  for (let i = 1; i < count; i++) samples.push(sample(skipSlice(i)));
  const durations = spread(duration, count);
  // trun flags: data-offset, sample-duration, sample-size, sample-flags present.
  const makeMoof = (dataOffset) =>
    box(
      "moof",
      fullBox("mfhd", 0, 0, u32(sequence)),
      box(
        "traf",
        fullBox("tfhd", 0, 0x020000, u32(1)), // default-base-is-moof
        fullBox("tfdt", 1, 0, u64(Math.max(0, Math.round(baseMs)))),
        fullBox(
          "trun",
          0,
          0x000701,
          u32(samples.length),
          u32(dataOffset),
          ...samples.map((s, i) => concat([u32(durations[i]), u32(s.length), u32(i === 0 ? 0x02000000 : 0x01010000)])),
        ),
      ),
    );
  const moofSize = makeMoof(0).length;
  return concat([makeMoof(moofSize + 8), box("mdat", ...samples)]);
}
