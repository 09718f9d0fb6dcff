// The picture every stand-in camera "films": what a viewer sees in GetClip MP4s, HLS fragments,
// GetImages thumbnails and the WebRTC live view. It is a function of (stream, second), so every
// way of looking at a moment shows the same thing: a per-stream tint, a bar whose position is the
// minute of the hour, and the time written in (HH:MM:SS and the date, UTC) with a 5×7 bitmap font,
// so people and tests can see which moment (and that live is live) at a glance.
//
// Planes are YCbCr 4:2:0 at macroblock-aligned size (what the H.264 writer codes); WIDTH×HEIGHT is
// the visible picture (the SPS crops the padding away).

export const WIDTH = 160;
export const HEIGHT = 90;
export const MB_W = Math.ceil(WIDTH / 16);
export const MB_H = Math.ceil(HEIGHT / 16);
export const PLANE_W = MB_W * 16;
export const PLANE_H = MB_H * 16;
/** Macroblock rows holding the clock and the date: re-coded every second in P pictures. */
export const CLOCK_MB_ROWS = [2, 3];

const TIME_SCALE = 2;
const TIME_Y = 33; // inside macroblock row 2 (y 32..47), 14 px tall
const DATE_Y = 52; // inside macroblock row 3 (y 48..63), 7 px tall

// 5×7 glyphs, one string per row ("#" = ink).
const GLYPHS = {
  0: [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
  1: ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
  2: [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
  3: ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
  4: ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
  5: ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
  6: ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
  7: ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
  8: [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
  9: [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
  ":": ["     ", "  #  ", "  #  ", "     ", "  #  ", "  #  ", "     "],
  "-": ["     ", "     ", "     ", "#####", "     ", "     ", "     "],
  U: ["#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
  T: ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
  C: [" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "],
  " ": ["     ", "     ", "     ", "     ", "     ", "     ", "     "],
};

export function hash32(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const pad2 = (n) => String(n).padStart(2, "0");

/** "HH:MM:SS" and "YYYY-MM-DD UTC" of an epoch second. */
export function clockText(sec) {
  const d = new Date(Math.floor(sec) * 1000);
  return {
    time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
    date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} UTC`,
  };
}

function drawText(y, text, x0, y0, scale, luma) {
  let x = x0;
  for (const ch of text) {
    const g = GLYPHS[ch] ?? GLYPHS[" "];
    for (let gy = 0; gy < 7; gy++) {
      for (let gx = 0; gx < 5; gx++) {
        if (g[gy][gx] !== "#") continue;
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) y[(y0 + gy * scale + sy) * PLANE_W + x + gx * scale + sx] = luma;
        }
      }
    }
    x += 6 * scale;
  }
}

/**
 * The picture of `seed` (stream name) at epoch second `sec`: {y, cb, cr} planes (Uint8Array,
 * PLANE_W×PLANE_H luma, half size chroma). Sample values stay in 16..235 / 16..240, never 0..3, so
 * the I_PCM bytes never need emulation prevention and every fragment has the same size.
 */
export function drawPicture(seed, sec) {
  const h = hash32(seed);
  const cb = 80 + (h & 0x5f);
  const cr = 80 + ((h >>> 8) & 0x5f);
  const y = new Uint8Array(PLANE_W * PLANE_H);
  const barPos = (((((Math.floor(sec) % 3600) + 3600) % 3600) / 60) | 0) / 59;
  const barX = Math.round(barPos * (WIDTH - 4));
  for (let py = 0; py < PLANE_H; py++) {
    const base = 40 + Math.round((Math.min(py, HEIGHT) / HEIGHT) * 100); // vertical gradient
    for (let px = 0; px < PLANE_W; px++) y[py * PLANE_W + px] = px >= barX && px < barX + 4 ? 200 : base;
  }
  // A dark band behind the text keeps it legible over the bar and the gradient.
  for (let py = 32; py < 64; py++) for (let px = 8; px < WIDTH - 8; px++) y[py * PLANE_W + px] = 24;
  const { time, date } = clockText(sec);
  drawText(y, time, Math.floor((WIDTH - (time.length * 6 - 1) * TIME_SCALE) / 2), TIME_Y, TIME_SCALE, 235);
  drawText(y, date, Math.floor((WIDTH - (date.length * 6 - 1)) / 2), DATE_Y, 1, 200);
  const cw = PLANE_W / 2;
  const ch = PLANE_H / 2;
  const cbPlane = new Uint8Array(cw * ch).fill(cb);
  const crPlane = new Uint8Array(cw * ch).fill(cr);
  // Neutral chroma behind the text (white letters on black, whatever the tint).
  for (let py = 16; py < 32; py++) for (let px = 4; px < cw - 4; px++) cbPlane[py * cw + px] = crPlane[py * cw + px] = 128;
  return { y, cb: cbPlane, cr: crPlane };
}

/** The visible picture as RGBA (BT.601 studio range → full range), optionally resized (nearest). */
export function pictureRgba(picture, outW = WIDTH, outH = HEIGHT) {
  const out = Buffer.alloc(outW * outH * 4);
  const cw = PLANE_W / 2;
  for (let oy = 0; oy < outH; oy++) {
    const sy = Math.min(HEIGHT - 1, Math.floor((oy * HEIGHT) / outH));
    for (let ox = 0; ox < outW; ox++) {
      const sx = Math.min(WIDTH - 1, Math.floor((ox * WIDTH) / outW));
      const Y = 1.164 * (picture.y[sy * PLANE_W + sx] - 16);
      const U = picture.cb[(sy >> 1) * cw + (sx >> 1)] - 128;
      const V = picture.cr[(sy >> 1) * cw + (sx >> 1)] - 128;
      const o = (oy * outW + ox) * 4;
      out[o] = clamp(Y + 1.596 * V);
      out[o + 1] = clamp(Y - 0.392 * U - 0.813 * V);
      out[o + 2] = clamp(Y + 2.017 * U);
      out[o + 3] = 255;
    }
  }
  return out;
}

const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)));
