// Tiny, dependency-free H.264 + MP4 writer for the AWS stand-in's GetClip and HLS answers.
//
// KVS returns real H.264 in MP4 (GetClip: "traditional MP4"; HLS: fMP4 init + media fragments,
// see the GetClip / GetHLSStreamingSessionURL docs in botocore's kinesis-video-archived-media model).
// We have no encoder here, so the pictures are written by hand with the two simplest tools the
// H.264 spec (ITU-T H.264, 7.3) offers: an IDR picture made only of I_PCM macroblocks (raw
// samples, no prediction, no entropy coding) and P pictures whose macroblocks are all skipped
// (the previous picture repeated). Both are valid Constrained Baseline, so browsers and ffprobe
// decode the result. The picture (./picture.mjs) shows a per-stream tint, the minute of the hour
// as a bar and the time written in; P pictures re-code the clock's macroblock rows as I_PCM
// (intra macroblocks are allowed in P slices, 7.4.5 table 7-13: mb_type 5 + 25) and skip the rest,
// so the clock ticks every second at a fraction of an IDR's size.
import { CLOCK_MB_ROWS, drawPicture, HEIGHT, MB_H, MB_W, PLANE_W, WIDTH } from "./picture.mjs";

export { HEIGHT, WIDTH };
const MB_COUNT = MB_W * MB_H;
const LOG2_MAX_FRAME_NUM = 8;
const PROFILE_IDC = 66; // Baseline
const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + set1 => Constrained Baseline
const LEVEL_IDC = 30;
export const CODEC = "avc1.42C01E";

class BitWriter {
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
    this.len = 0;
    this.cur = 0;
    this.n = 0;
  }
  ensure(extra) {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  bit(b) {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.n === 8) {
      this.ensure(1);
      this.buf[this.len++] = this.cur;
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
  alignZero() {
    while (this.n !== 0) this.bit(0);
  }
  /** Appends whole bytes; only called when aligned (I_PCM samples). */
  copy(src) {
    this.ensure(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }
  trailing() {
    this.bit(1);
    this.alignZero();
  }
  done() {
    return this.buf.subarray(0, this.len);
  }
}

/** Whether 00 00 0x (x ≤ 3) occurs: I_PCM samples never hold 0..3, so zeros are rare (indexOf skips). */
function needsEscaping(rbsp) {
  for (let i = rbsp.indexOf(0); i >= 0 && i + 2 < rbsp.length; i = rbsp.indexOf(0, i + 1)) {
    if (rbsp[i + 1] === 0 && rbsp[i + 2] <= 3) return true;
  }
  return false;
}

/** RBSP -> NAL unit payload with emulation-prevention bytes (7.4.1). */
function nal(headerByte, rbsp) {
  if (!needsEscaping(rbsp)) {
    const out = new Uint8Array(1 + rbsp.length);
    out[0] = headerByte;
    out.set(rbsp, 1);
    return out;
  }
  const out = new Uint8Array(1 + rbsp.length + Math.ceil(rbsp.length / 2));
  out[0] = headerByte;
  let o = 1;
  let zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const b = rbsp[i];
    if (zeros >= 2 && b <= 3) {
      out[o++] = 3;
      zeros = 0;
    }
    out[o++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, o);
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

function pcmMacroblock(w, picture, mbx, mby) {
  w.alignZero(); // pcm_alignment_zero_bit
  for (let y = 0; y < 16; y++) {
    const row = (mby * 16 + y) * PLANE_W + mbx * 16;
    w.copy(picture.y.subarray(row, row + 16));
  }
  const cw = PLANE_W / 2;
  for (const plane of [picture.cb, picture.cr]) {
    for (let y = 0; y < 8; y++) {
      const row = (mby * 8 + y) * cw + mbx * 8;
      w.copy(plane.subarray(row, row + 8));
    }
  }
}

/** An IDR picture made only of I_PCM macroblocks. */
function idrSlice(picture, idrPicId) {
  const w = new BitWriter(MB_COUNT * 400);
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I (all slices)
  w.ue(0); // pic_parameter_set_id
  w.bits(0, LOG2_MAX_FRAME_NUM); // frame_num
  w.ue(idrPicId & 1); // idr_pic_id: 0/1 both pad to the same byte, so every IDR has one size
  w.bit(0); // no_output_of_prior_pics_flag
  w.bit(0); // long_term_reference_flag
  w.se(0); // slice_qp_delta
  for (let mby = 0; mby < MB_H; mby++) {
    for (let mbx = 0; mbx < MB_W; mbx++) {
      w.ue(25); // mb_type I_PCM
      pcmMacroblock(w, picture, mbx, mby);
    }
  }
  w.trailing();
  return nal(0x65, w.done());
}

function pSliceHeader(w, frameNum) {
  w.ue(0); // first_mb_in_slice
  w.ue(5); // slice_type: P (all slices)
  w.ue(0); // pic_parameter_set_id
  w.bits(frameNum % (1 << LOG2_MAX_FRAME_NUM), LOG2_MAX_FRAME_NUM);
  w.bit(0); // num_ref_idx_active_override_flag
  w.bit(0); // ref_pic_list_modification_flag_l0
  w.bit(0); // adaptive_ref_pic_marking_mode_flag
  w.se(0); // slice_qp_delta
}

/** A P picture whose macroblocks are all P_Skip (repeats the reference picture). */
function skipSlice(frameNum) {
  const w = new BitWriter();
  pSliceHeader(w, frameNum);
  w.ue(MB_COUNT); // mb_skip_run covering the whole picture
  w.trailing();
  return nal(0x41, w.done());
}

/** A P picture re-coding the clock rows as I_PCM (mb_type 30 in a P slice), the rest skipped. */
function clockSlice(picture, frameNum) {
  const w = new BitWriter(CLOCK_MB_ROWS.length * MB_W * 400);
  pSliceHeader(w, frameNum);
  const [first, last] = [CLOCK_MB_ROWS[0], CLOCK_MB_ROWS[CLOCK_MB_ROWS.length - 1]];
  w.ue(first * MB_W); // mb_skip_run up to the clock
  for (let mby = first; mby <= last; mby++) {
    for (let mbx = 0; mbx < MB_W; mbx++) {
      if (mby !== first || mbx !== 0) w.ue(0); // no skipped macroblocks in between
      w.ue(30); // mb_type: I_PCM in a P slice
      pcmMacroblock(w, picture, mbx, mby);
    }
  }
  const rest = (MB_H - 1 - last) * MB_W;
  if (rest > 0) w.ue(rest);
  w.trailing();
  return nal(0x41, w.done());
}

/**
 * NAL units (no start codes, no length prefixes) for live sources such as the WebRTC camera peer:
 * `idr` with SPS and PPS first, `clock` (the time rows re-coded) and `skip` (nothing changed).
 */
export const nalUnits = {
  idr: (seed, sec, idrPicId = 0) => [SPS, PPS, idrSlice(drawPicture(seed, sec), idrPicId)],
  clock: (seed, sec, frameNum) => [clockSlice(drawPicture(seed, sec), frameNum)],
  skip: (frameNum) => [skipSlice(frameNum)],
};

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
  return fullBox(
    "tkhd",
    0,
    3,
    u32(0),
    u32(0),
    u32(1),
    u32(0),
    u32(duration),
    zeros(8),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    MATRIX,
    u32(WIDTH << 16),
    u32(HEIGHT << 16),
  );
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

/** One second per picture: an IDR at the fragment's start, then the clock re-coded each second. */
function fragmentSamples(seed, startSec, durationMs, idrPicId) {
  const count = Math.max(1, Math.ceil(durationMs / 1000));
  const samples = [sample(idrSlice(drawPicture(seed, startSec), idrPicId))];
  for (let i = 1; i < count; i++) samples.push(sample(clockSlice(drawPicture(seed, startSec + i), i)));
  return { samples, durations: spread(durationMs, count) };
}

/**
 * A progressive MP4 (ftyp, moov, mdat) of `fragments` ([{startSec, durationMs}], as GetClip
 * returns them: one after the other, gaps closed up). Each fragment starts with an IDR picture.
 */
export function buildClip({ seed = "aovis", fragments }) {
  const samples = [];
  const durations = [];
  const syncSamples = [];
  fragments.forEach((f, i) => {
    const part = fragmentSamples(seed, f.startSec, Math.max(1, Math.round(f.durationMs)), i);
    syncSamples.push(samples.length + 1);
    samples.push(...part.samples);
    durations.push(...part.durations);
  });
  const duration = durations.reduce((a, b) => a + b, 0);

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
          fullBox("stss", 0, 0, u32(syncSamples.length), ...syncSamples.map(u32)),
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
  const empty = [fullBox("stts", 0, 0, u32(0)), fullBox("stsc", 0, 0, u32(0)), fullBox("stsz", 0, 0, u32(0), u32(0)), fullBox("stco", 0, 0, u32(0))];
  return concat([
    ftyp("iso6", ["iso6", "isom", "mp41", "avc1"]),
    box("moov", mvhd(0), box("trak", tkhd(0), mdia(0, empty)), box("mvex", fullBox("trex", 0, 0, u32(1), u32(1), u32(0), u32(0), u32(0)))),
  ]);
}

/**
 * One fMP4 media fragment (moof + mdat) starting at `baseMs` on the track timeline, showing the
 * seconds from `startSec`: an IDR picture, then the clock re-coded at 1 fps.
 */
export function buildMediaFragment({ seed = "aovis", sequence, baseMs, startSec, durationMs }) {
  const duration = Math.max(1, Math.round(durationMs));
  const { samples, durations } = fragmentSamples(seed, startSec, duration, sequence);
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

const sizes = new Map();
/**
 * The byte size of every media fragment of `durationMs` (ListFragments' FragmentSizeInBytes):
 * I_PCM samples never need emulation prevention and the idr_pic_id pads to the same byte, so
 * the size depends on the duration only.
 */
export function mediaFragmentSize(durationMs) {
  let n = sizes.get(durationMs);
  if (n === undefined) {
    n = buildMediaFragment({ seed: "size", sequence: 1, baseMs: 0, startSec: 0, durationMs }).length;
    sizes.set(durationMs, n);
  }
  return n;
}
