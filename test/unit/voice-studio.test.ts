import { describe, expect, it } from "vitest";
import { decideRange } from "~/domain/byte-range";
import { checkCloneSamples, MAX_CLONE_FILE_BYTES, sniffAudio, type UploadedSample } from "~/domain/voice-input";
import { limitBytes } from "~/http/body.server";

describe("decideRange", () => {
  const size = 1000;
  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=10-10", 10, 10],
    ["bytes=990-", 990, 999],
    ["bytes=500-5000", 500, 999],
    ["bytes=-1", 999, 999],
    ["bytes=-200", 800, 999],
    ["bytes=-5000", 0, 999],
    ["BYTES=0-0", 0, 0],
    [" bytes=1-2 ", 1, 2],
  ])("%s → %i-%i", (header, start, end) => {
    expect(decideRange(header, size)).toEqual({ kind: "partial", start, end, length: end - start + 1, contentRange: `bytes ${start}-${end}/${size}` });
  });

  it.each(["bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=5000-6000"])("%s → unsatisfiable", (header) => {
    expect(decideRange(header, size)).toEqual({ kind: "unsatisfiable", contentRange: "bytes */1000" });
  });

  it.each([null, "", "bytes=", "bytes=-", "bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=a-b", "bytes=1.5-2"])("%s → whole object", (header) => {
    expect(decideRange(header, size)).toEqual({ kind: "full" });
  });

  it("an empty object has nothing to range over", () => {
    expect(decideRange("bytes=0-", 0).kind).toBe("unsatisfiable");
    expect(decideRange("bytes=-5", 0).kind).toBe("unsatisfiable");
  });
});

const bytes = (...xs: (number | string)[]) => new Uint8Array(xs.flatMap((x) => (typeof x === "string" ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe("sniffAudio", () => {
  it.each([
    ["mp3", bytes("ID3", 4, 0)],
    ["mp3", bytes(0xff, 0xfb, 0x90, 0x64)],
    ["mp3", bytes(0xff, 0xf1, 0x50, 0x80)], // AAC ADTS
    ["wav", bytes("RIFF", 0, 0, 0, 0, "WAVE")],
    ["ogg", bytes("OggS", 0)],
    ["flac", bytes("fLaC", 0)],
    ["webm", bytes(0x1a, 0x45, 0xdf, 0xa3)],
    ["mp4", bytes(0, 0, 0, 0x20, "ftypM4A ")],
  ])("%s", (kind, head) => {
    expect(sniffAudio(head)).toBe(kind);
  });

  it.each([
    ["pdf", bytes("%PDF-1.7")],
    ["png", bytes(0x89, "PNG")],
    ["riff avi", bytes("RIFF", 0, 0, 0, 0, "AVI ")],
    ["text", bytes("hello world!")],
    ["empty", bytes()],
    ["truncated", bytes(0xff)],
  ])("%s → null", (_, head) => {
    expect(sniffAudio(head)).toBeNull();
  });
});

describe("checkCloneSamples", () => {
  const wav = (over: Partial<UploadedSample> = {}): UploadedSample => ({
    name: "a.wav",
    type: "audio/wav",
    size: 2048,
    head: bytes("RIFF", 0, 0, 0, 0, "WAVE"),
    ...over,
  });

  it("accepts 1 to 5 real audio samples of up to 10 MB, with MIME parameters", () => {
    expect(checkCloneSamples([wav()])).toEqual({ ok: true });
    expect(checkCloneSamples(Array.from({ length: 5 }, () => wav({ size: MAX_CLONE_FILE_BYTES })))).toEqual({ ok: true });
    expect(checkCloneSamples([wav({ type: "audio/webm;codecs=opus", head: bytes(0x1a, 0x45, 0xdf, 0xa3) })])).toEqual({ ok: true });
  });

  it.each([
    ["no_files", []],
    ["too_many_files", Array.from({ length: 6 }, () => wav())],
    ["file_too_large", [wav(), wav({ name: "big.wav", size: MAX_CLONE_FILE_BYTES + 1 })]],
    ["empty_file", [wav({ size: 0 })]],
    ["unsupported_file_type", [wav({ type: "text/plain" })]],
    ["unsupported_file_type", [wav({ type: "" })]],
    ["unsupported_file_type", [wav({ type: "constructor" })]],
    ["unsupported_file_type", [wav({ type: "audio/mpeg", head: bytes("%PDF-1.7") })]],
    ["unsupported_file_type", [wav({ type: "video/mp4", head: bytes(0, 0, 0, 0x20, "ftypisom") })]],
  ] as [string, UploadedSample[]][])("%s", (error, files) => {
    const r = checkCloneSamples(files);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(error);
  });
});

describe("limitBytes", () => {
  /** An endless source of 1 KiB chunks that counts what was pulled and whether it was cancelled. */
  function source() {
    const state = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          state.pulled++;
          c.enqueue(new Uint8Array(1024));
        },
        cancel() {
          state.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, state };
  }

  it("passes a body under the cap through unchanged", async () => {
    const bytes = new Uint8Array(3000).map((_, i) => i & 0xff);
    const limited = limitBytes(new Response(bytes).body!, 3000);
    expect(new Uint8Array(await new Response(limited.stream).arrayBuffer())).toEqual(bytes);
    expect(limited.exceeded()).toBe(false);
  });

  it("errors once more than the cap went by, stops reading and cancels the source", async () => {
    const { stream, state } = source();
    const limited = limitBytes(stream, 10 * 1024);
    await expect(new Response(limited.stream).arrayBuffer()).rejects.toThrow(/larger than/);
    expect(limited.exceeded()).toBe(true);
    expect(state.pulled).toBeLessThan(20);
    await new Promise((r) => setTimeout(r, 0));
    expect(state.cancelled).toBe(true);
  });
});
