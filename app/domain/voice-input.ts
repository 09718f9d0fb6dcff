/**
 * What voice studio input may contain, decided without I/O.
 * - Text to speak: 1–5 000 characters, counted as code points (as people and the provider count).
 * - An instant-voice-clone upload: 1–5 samples, each at most 10 MB, each declared as an audio type
 *   we accept AND starting with the magic bytes of an audio container (a renamed PDF sent as
 *   `audio/mpeg` is refused here, not by the provider).
 */
export const MAX_TEXT_CHARS = 5000;

export const charCount = (s: string): number => [...s].length;

export const MAX_CLONE_FILES = 5;
export const MAX_CLONE_FILE_BYTES = 10 * 1024 * 1024;
/** Bytes needed to recognise every container below. */
export const SNIFF_BYTES = 12;

export type AudioContainer = "mp3" | "wav" | "ogg" | "flac" | "webm" | "mp4";

/** Declared MIME types we accept (browsers and recorders use several names for the same thing). */
export const ACCEPTED_AUDIO_TYPES: Readonly<Record<string, AudioContainer>> = {
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/wav": "wav",
  "audio/wave": "wav",
  "audio/x-wav": "wav",
  "audio/vnd.wave": "wav",
  "audio/ogg": "ogg",
  "audio/opus": "ogg",
  "audio/flac": "flac",
  "audio/x-flac": "flac",
  "audio/webm": "webm",
  "audio/mp4": "mp4",
  "audio/m4a": "mp4",
  "audio/x-m4a": "mp4",
  "audio/aac": "mp3", // ADTS shares the MPEG frame sync
};

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** The audio container the first bytes belong to, or null. */
export function sniffAudio(head: Uint8Array): AudioContainer | null {
  if (ascii(head, 0, "ID3")) return "mp3";
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return "mp3"; // MPEG/ADTS frame sync
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return "wav";
  if (ascii(head, 0, "OggS")) return "ogg";
  if (ascii(head, 0, "fLaC")) return "flac";
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return "webm";
  if (ascii(head, 4, "ftyp")) return "mp4";
  return null;
}

export interface UploadedSample {
  name: string;
  /** Declared MIME type (may carry parameters, e.g. `audio/webm;codecs=opus`). */
  type: string;
  size: number;
  /** At least the first SNIFF_BYTES bytes (fewer only if the file is shorter). */
  head: Uint8Array;
}

export type UploadCheck =
  | { ok: true }
  | { ok: false; error: "no_files" | "too_many_files" | "file_too_large" | "unsupported_file_type" | "empty_file"; message: string; file?: string };

export function checkCloneSamples(files: readonly UploadedSample[]): UploadCheck {
  if (files.length === 0) return { ok: false, error: "no_files", message: "Add at least one audio sample." };
  if (files.length > MAX_CLONE_FILES) {
    return { ok: false, error: "too_many_files", message: `Upload at most ${MAX_CLONE_FILES} samples.` };
  }
  for (const f of files) {
    if (f.size === 0) return { ok: false, error: "empty_file", message: `${f.name} is empty.`, file: f.name };
    if (f.size > MAX_CLONE_FILE_BYTES) {
      return { ok: false, error: "file_too_large", message: `${f.name} is larger than 10 MB.`, file: f.name };
    }
    const declared = f.type.split(";")[0].trim().toLowerCase();
    if (!Object.hasOwn(ACCEPTED_AUDIO_TYPES, declared) || sniffAudio(f.head) === null) {
      return {
        ok: false,
        error: "unsupported_file_type",
        message: `${f.name} is not an audio file we accept (MP3, WAV, OGG, FLAC, WebM or M4A).`,
        file: f.name,
      };
    }
  }
  return { ok: true };
}
