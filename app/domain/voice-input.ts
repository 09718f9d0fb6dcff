/**
 * What voice studio input may contain, decided without I/O.
 * - Text to speak: 1–5 000 characters, counted as code points (as people and the provider count).
 * - An instant-voice-clone upload: 1–5 samples, each at most 10 MB, each declared as an audio type
 *   we accept AND starting with the magic bytes of an audio container (a renamed PDF sent as
 *   `audio/mpeg` is refused here, not by the provider).
 */
import { ok, refuse, type Ok, type Refusal } from "./result";

export const MAX_TEXT_CHARS = 5000;

export const charCount = (s: string): number => [...s].length;

export const MAX_CLONE_FILES = 5;
export const MAX_CLONE_FILE_BYTES = 10 * 1024 * 1024;
/** Largest clone upload read at all: every sample at its maximum plus 1 MiB of multipart overhead. */
export const MAX_CLONE_UPLOAD_BYTES = MAX_CLONE_FILES * MAX_CLONE_FILE_BYTES + 1024 * 1024;
/**
 * A favourite a client uploads with its own audio (POST /api/recordings): one file under the same
 * checks as a clone sample (checkCloneSamples: size, declared type and magic bytes), and its fields.
 */
export const MAX_FAVORITE_UPLOAD_BYTES = MAX_CLONE_FILE_BYTES + 64 * 1024;
export const VOICE_NAME_MAX = 100;
export const PRESET_USED_MAX = 60;
/** The uploaded audioConfig: a flat JSON object of at most this many characters. */
export const AUDIO_CONFIG_MAX_CHARS = 2000;
/** Cloned voices one user may keep (each holds a voice slot of our provider account). */
export const MAX_CLONES_PER_USER = 10;
export const CLONE_NAME_MAX = 100;
export const CLONE_DESCRIPTION_MAX = 500;
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

/** The containers above as people know them, for copy ("MP3, WAV, … or M4A"). */
export const ACCEPTED_AUDIO_NAMES: readonly string[] = ["MP3", "WAV", "OGG", "FLAC", "WebM", "M4A"];

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
  | Ok
  | Refusal<"no_files">
  | Refusal<"too_many_files", { max: number }>
  | Refusal<"file_too_large", { file: string; maxBytes: number }>
  | Refusal<"unsupported_file_type" | "empty_file", { file: string }>;

export function checkCloneSamples(files: readonly UploadedSample[]): UploadCheck {
  if (files.length === 0) return refuse("no_files");
  if (files.length > MAX_CLONE_FILES) return refuse("too_many_files", { max: MAX_CLONE_FILES });
  for (const f of files) {
    if (f.size === 0) return refuse("empty_file", { file: f.name });
    if (f.size > MAX_CLONE_FILE_BYTES) return refuse("file_too_large", { file: f.name, maxBytes: MAX_CLONE_FILE_BYTES });
    const declared = f.type.split(";")[0].trim().toLowerCase();
    if (!Object.hasOwn(ACCEPTED_AUDIO_TYPES, declared) || sniffAudio(f.head) === null) return refuse("unsupported_file_type", { file: f.name });
  }
  return ok();
}
