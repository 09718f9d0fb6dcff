// Local stand-in for the ElevenLabs API (text-to-speech, voices, instant voice cloning).
// Shapes follow /work/shared/API-SHAPES.md §4 (from elevenlabs-python's Fern-generated client and the
// ElevenLabs help articles): `xi-api-key` auth, `{"detail":{"status","message"}}` errors, FastAPI
// 422 validation lists, quota_exceeded as 401. Codes marked "unconfirmed" are our best guess.
// TTS answers with real MP3 (lamejs) that depends deterministically on voice, text and settings.
//
// Test-only control endpoints (never part of the real API):
//   POST /__standin/faults  {mode, count?=1, voiceId?, textIncludes?} queue a fault for the next
//                           matching TTS calls; {clear:true} drops all queued faults.
//                           modes: quota_exceeded (401), system_busy (429),
//                           too_many_concurrent_requests (429), server_error (500),
//                           empty_audio (200, empty body), cut_stream (200, connection dropped mid-body)
//   GET  /__standin/faults  the queued faults
//   GET  /__standin/stats[?voiceId=&textIncludes=]  TTS call counts (every TTS request, any outcome)
//   POST /__standin/reset   clears faults, stats and cloned voices
//   GET  /__standin/previews/:voiceId.mp3  the preview_url audio of premade voices (public, no key)
import crypto from "node:crypto";
import { once } from "node:events";
import { readBody, sendJson, startServer } from "./lib/http.mjs";
import { MP3_FORMATS, pitchForVoiceId, synthesizeMp3 } from "./elevenlabs/audio.mjs";
import { PREMADE_VOICES } from "./elevenlabs/voices.mjs";

export const MAX_TTS_CHARACTERS = 5000;
const OTHER_FORMATS = /^(pcm|wav)_(8000|16000|22050|24000|44100|48000)$|^opus_48000_(32|64|96|128|192)$|^(ulaw|alaw)_8000$/;
// Unknown model ids are rejected like the real API does (status code unconfirmed).
const MODELS = new Set([
  "eleven_multilingual_v2",
  "eleven_multilingual_v1",
  "eleven_monolingual_v1",
  "eleven_turbo_v2",
  "eleven_turbo_v2_5",
  "eleven_flash_v2",
  "eleven_flash_v2_5",
  "eleven_v3",
]);
const FAULT_MODES = new Set(["quota_exceeded", "system_busy", "too_many_concurrent_requests", "server_error", "empty_audio", "cut_stream"]);
const SETTING_RANGES = { stability: [0, 1], similarity_boost: [0, 1], style: [0, 1], speed: [0.7, 1.2] };
const MAX_RECORDS = 10_000;
const CACHE_ENTRIES = 32;

function detail(res, status, code, message, headers) {
  sendJson(res, status, { detail: { status: code, message } }, headers);
}

function validation(res, errors) {
  sendJson(res, 422, { detail: errors });
}

const missing = (loc) => ({ loc, msg: "field required", type: "value_error.missing" });

function newVoiceId() {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.randomBytes(20), (b) => alphabet[b % alphabet.length]).join("");
}

/** Recognises the containers the real service decodes; anything else is "corrupted". */
function looksLikeAudio(buf) {
  if (buf.length < 4) return false;
  const ascii = (start, s) => buf.subarray(start, start + s.length).toString("latin1") === s;
  return (
    ascii(0, "ID3") ||
    (buf[0] === 0xff && (buf[1] & 0xe0) === 0xe0) || // MPEG audio frame sync (mp3/aac adts)
    (ascii(0, "RIFF") && ascii(8, "WAVE")) ||
    ascii(0, "OggS") ||
    ascii(0, "fLaC") ||
    (buf[0] === 0x1a && buf[1] === 0x45 && buf[2] === 0xdf && buf[3] === 0xa3) || // webm/matroska
    ascii(4, "ftyp") // mp4/m4a
  );
}

export async function startElevenlabs({ port, env = {} } = {}) {
  const clonedVoices = new Map();
  let faults = [];
  let records = [];
  let voicesAdded = 0;
  const audioCache = new Map();

  const voiceById = (id) => PREMADE_VOICES.find((v) => v.voice_id === id) ?? clonedVoices.get(id);

  const authorized = (req, res) => {
    const key = req.headers["xi-api-key"];
    if (env.ELEVENLABS_API_KEY && key === env.ELEVENLABS_API_KEY) return true;
    detail(res, 401, "invalid_api_key", "Invalid API key");
    return false;
  };

  const publicVoice = (v, origin) => {
    const { pitchHz, ...rest } = v;
    return v.category === "premade"
      ? { ...rest, preview_url: `${origin}/__standin/previews/${v.voice_id}.mp3`, samples: null, settings: null, is_owner: false }
      : { ...rest };
  };

  function takeFault(voiceId, text) {
    const f = faults.find((f) => (!f.voiceId || f.voiceId === voiceId) && (!f.textIncludes || text.includes(f.textIncludes)));
    if (!f) return null;
    f.remaining -= 1;
    if (f.remaining <= 0) faults = faults.filter((x) => x !== f);
    return f.mode;
  }

  async function* audioChunks(voice, text, settings, format) {
    const key = JSON.stringify([voice.voice_id, voice.pitchHz, text, settings, format]);
    const cached = audioCache.get(key);
    if (cached) {
      yield* cached;
      return;
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of synthesizeMp3({ text, pitchHz: voice.pitchHz, settings, format })) {
      chunks.push(chunk);
      size += chunk.length;
      yield chunk;
    }
    if (size < 2 * 1024 * 1024) {
      audioCache.set(key, chunks);
      if (audioCache.size > CACHE_ENTRIES) audioCache.delete(audioCache.keys().next().value);
    }
  }

  async function streamAudio(req, res, chunks, cut) {
    res.writeHead(200, { "Content-Type": "audio/mpeg", "request-id": crypto.randomUUID() });
    res.flushHeaders();
    for await (const chunk of chunks) {
      if (res.destroyed) return;
      if (cut) {
        // Half a chunk, then the connection dies: the client sees headers + a truncated body.
        res.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)));
        setTimeout(() => res.destroy(), 30);
        return;
      }
      if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
    res.end();
  }

  async function textToSpeech(req, res, url, voiceId, endpoint) {
    const rec = {
      at: Date.now(),
      endpoint,
      voiceId,
      outputFormat: url.searchParams.get("output_format") ?? "mp3_44100_128",
      text: null,
      modelId: null,
      voiceSettings: null,
      status: 0,
      outcome: "",
    };
    records.push(rec);
    if (records.length > MAX_RECORDS) records = records.slice(-MAX_RECORDS / 2);
    const fail = (status, code, message, headers) => {
      Object.assign(rec, { status, outcome: code });
      detail(res, status, code, message, headers);
    };
    const invalid = (errors) => {
      Object.assign(rec, { status: 422, outcome: "validation_error" });
      validation(res, errors);
    };

    if (!authorized(req, res)) return Object.assign(rec, { status: 401, outcome: "invalid_api_key" });
    let body;
    try {
      body = JSON.parse((await readBody(req, 1024 * 1024)).toString("utf8"));
    } catch {
      return invalid([{ loc: ["body", 0], msg: "Expecting value", type: "value_error.jsondecode" }]);
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return invalid([{ loc: ["body"], msg: "value is not a valid dict", type: "type_error.dict" }]);
    }
    const errors = [];
    if (body.text === undefined || body.text === null) errors.push(missing(["body", "text"]));
    else if (typeof body.text !== "string") errors.push({ loc: ["body", "text"], msg: "str type expected", type: "type_error.str" });
    else if (body.text.trim() === "")
      errors.push({ loc: ["body", "text"], msg: "ensure this value has at least 1 characters", type: "value_error.any_str.min_length" });
    if (body.model_id !== undefined && body.model_id !== null && typeof body.model_id !== "string") {
      errors.push({ loc: ["body", "model_id"], msg: "str type expected", type: "type_error.str" });
    }
    const vs = body.voice_settings ?? {};
    if (typeof vs !== "object" || Array.isArray(vs)) {
      errors.push({ loc: ["body", "voice_settings"], msg: "value is not a valid dict", type: "type_error.dict" });
    } else {
      for (const [field, [min, max]] of Object.entries(SETTING_RANGES)) {
        const v = vs[field];
        if (v === undefined || v === null) continue;
        if (typeof v !== "number" || !Number.isFinite(v))
          errors.push({ loc: ["body", "voice_settings", field], msg: "value is not a valid float", type: "type_error.float" });
        else if (v < min || v > max)
          errors.push({
            loc: ["body", "voice_settings", field],
            msg: `ensure this value is between ${min} and ${max}`,
            type: "value_error.number.not_in_range",
            ctx: { ge: min, le: max },
          });
      }
      if (vs.use_speaker_boost !== undefined && vs.use_speaker_boost !== null && typeof vs.use_speaker_boost !== "boolean") {
        errors.push({ loc: ["body", "voice_settings", "use_speaker_boost"], msg: "value could not be parsed to a boolean", type: "type_error.bool" });
      }
    }
    const format = rec.outputFormat;
    if (!MP3_FORMATS[format] && !OTHER_FORMATS.test(format)) {
      errors.push({ loc: ["query", "output_format"], msg: `value is not a valid enumeration member`, type: "type_error.enum" });
    }
    if (errors.length) return invalid(errors);

    const text = body.text;
    Object.assign(rec, { text, modelId: body.model_id ?? null, voiceSettings: body.voice_settings ?? null });
    if (body.model_id && !MODELS.has(body.model_id)) {
      return fail(400, "model_not_found", `A model with model ID ${body.model_id} does not exist.`);
    }
    const voice = voiceById(voiceId);
    if (!voice) return fail(400, "voice_not_found", `A voice with the voice_id ${voiceId} was not found.`);
    const chars = [...text].length;
    if (chars > MAX_TTS_CHARACTERS) {
      return fail(
        400,
        "max_character_limit_exceeded",
        `You are sending ${chars} characters in a single request, but the maximum is ${MAX_TTS_CHARACTERS} characters.`,
      );
    }
    if (!MP3_FORMATS[format]) return fail(501, "not_implemented_by_standin", `The stand-in only produces mp3_* output formats, not ${format}.`);

    const fault = takeFault(voiceId, text);
    if (fault === "quota_exceeded") {
      return fail(
        401,
        "quota_exceeded",
        `This request exceeds your quota of 10000. You have 0 credits remaining, while ${chars} credits are required for this request.`,
      );
    }
    if (fault === "system_busy") return fail(429, "system_busy", "We're experiencing a heavy volume of requests. Please try again later.");
    if (fault === "too_many_concurrent_requests") {
      return fail(429, "too_many_concurrent_requests", "Too many concurrent requests for your subscription.", {
        "current-concurrent-requests": "3",
        "maximum-concurrent-requests": "2",
      });
    }
    if (fault === "server_error") return fail(500, "internal_server_error", "An internal server error occurred.");
    if (fault === "empty_audio") {
      Object.assign(rec, { status: 200, outcome: "fault:empty_audio" });
      res.writeHead(200, { "Content-Type": "audio/mpeg", "request-id": crypto.randomUUID() });
      res.flushHeaders();
      return res.end();
    }
    const settings = {
      stability: vs.stability ?? 0.5,
      similarity_boost: vs.similarity_boost ?? 0.75,
      style: vs.style ?? 0,
      speed: vs.speed ?? 1,
    };
    Object.assign(rec, { status: 200, outcome: fault === "cut_stream" ? "fault:cut_stream" : "audio" });
    await streamAudio(req, res, audioChunks(voice, text, settings, format), fault === "cut_stream");
  }

  async function addVoice(req, res) {
    if (!authorized(req, res)) return;
    const type = req.headers["content-type"] ?? "";
    const raw = await readBody(req);
    let form;
    try {
      if (!/^multipart\/form-data;/i.test(type)) throw new Error("not multipart");
      form = await new Request("http://standin/", { method: "POST", headers: { "content-type": type }, body: raw }).formData();
    } catch {
      return sendJson(res, 400, { detail: "There was an error parsing the body" });
    }
    const errors = [];
    const name = form.get("name");
    if (typeof name !== "string" || name.trim() === "") errors.push(missing(["body", "name"]));
    const parts = [...form.getAll("files"), ...form.getAll("files[]")];
    if (parts.length === 0) errors.push(missing(["body", "files"]));
    parts.forEach((p, i) => {
      if (typeof p === "string") errors.push({ loc: ["body", "files", i], msg: "Expected UploadFile, received: <class 'str'>", type: "value_error" });
    });
    let labels = {};
    const rawLabels = form.get("labels");
    if (rawLabels !== null) {
      try {
        labels = typeof rawLabels === "string" && rawLabels !== "" ? JSON.parse(rawLabels) : {};
        if (!labels || typeof labels !== "object" || Array.isArray(labels) || Object.values(labels).some((v) => typeof v !== "string")) throw new Error();
      } catch {
        errors.push({ loc: ["body", "labels"], msg: "labels must be a JSON-encoded object of strings", type: "value_error.jsondecode" });
      }
    }
    const description = form.get("description");
    if (description !== null && typeof description !== "string")
      errors.push({ loc: ["body", "description"], msg: "str type expected", type: "type_error.str" });
    if (errors.length) return validation(res, errors);

    const samples = [];
    for (const file of parts) {
      const bytes = Buffer.from(await file.arrayBuffer());
      if (!looksLikeAudio(bytes)) {
        // Message as reported by users; the status code is unconfirmed.
        return detail(res, 400, "corrupted_file", `File upload is corrupted. Please ensure it is playable audio. (${file.name})`);
      }
      const hash = crypto.createHash("md5").update(bytes).digest("hex");
      if (samples.some((s) => s.hash === hash)) return detail(res, 400, "duplicate_files", "You cannot upload the same file twice.");
      samples.push({ sample_id: newVoiceId(), file_name: file.name, mime_type: file.type || "application/octet-stream", size_bytes: bytes.length, hash });
    }
    const voice_id = newVoiceId();
    clonedVoices.set(voice_id, {
      voice_id,
      name: name.trim(),
      category: "cloned",
      labels,
      description: description || null,
      preview_url: null,
      samples,
      settings: null,
      is_owner: true,
      created_at_unix: Math.floor(Date.now() / 1000),
      pitchHz: pitchForVoiceId(voice_id),
    });
    voicesAdded += 1;
    sendJson(res, 200, { voice_id, requires_verification: false });
  }

  async function preview(res, voiceId) {
    const voice = PREMADE_VOICES.find((v) => v.voice_id === voiceId);
    if (!voice) return sendJson(res, 404, { detail: "Not Found" });
    const chunks = audioChunks(voice, `Hello, my name is ${voice.name}.`, { stability: 0.5, similarity_boost: 0.75, style: 0, speed: 1 }, "mp3_44100_128");
    const parts = [];
    for await (const c of chunks) parts.push(c);
    const data = Buffer.concat(parts);
    res.writeHead(200, { "Content-Type": "audio/mpeg", "Content-Length": data.length, "Cache-Control": "public, max-age=86400" });
    res.end(data);
  }

  function stats(url) {
    const voiceId = url.searchParams.get("voiceId");
    const textIncludes = url.searchParams.get("textIncludes");
    const matching = records.filter((r) => (!voiceId || r.voiceId === voiceId) && (!textIncludes || (r.text ?? "").includes(textIncludes)));
    const byOutcome = {};
    for (const r of matching) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
    return {
      ttsCalls: matching.length,
      ttsAudio: byOutcome.audio ?? 0,
      byOutcome,
      voicesAdded,
      recent: matching
        .slice(-20)
        .map(({ text, ...r }) => ({ ...r, textLength: text === null ? null : [...text].length, textPreview: text?.slice(0, 200) ?? null })),
    };
  }

  async function control(req, res, url) {
    const path = url.pathname;
    if (path === "/__standin/faults" && req.method === "POST") {
      let body;
      try {
        body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
      } catch {
        return sendJson(res, 400, { error: "invalid_json" });
      }
      if (body.clear) faults = [];
      else {
        const count = body.count ?? 1;
        if (!FAULT_MODES.has(body.mode) || !Number.isInteger(count) || count < 1) {
          return sendJson(res, 400, { error: "invalid_fault", message: `mode must be one of ${[...FAULT_MODES].join(", ")}; count a positive integer` });
        }
        faults.push({ mode: body.mode, remaining: count, voiceId: body.voiceId ?? null, textIncludes: body.textIncludes ?? null });
      }
      return sendJson(res, 200, { faults });
    }
    if (path === "/__standin/faults" && req.method === "GET") return sendJson(res, 200, { faults });
    if (path === "/__standin/stats" && req.method === "GET") return sendJson(res, 200, stats(url));
    if (path === "/__standin/reset" && req.method === "POST") {
      faults = [];
      records = [];
      voicesAdded = 0;
      clonedVoices.clear();
      audioCache.clear();
      return sendJson(res, 200, { ok: true });
    }
    const m = /^\/__standin\/previews\/([A-Za-z0-9]+)\.mp3$/.exec(path);
    if (m && req.method === "GET") return preview(res, m[1]);
    return sendJson(res, 404, { error: "not_found" });
  }

  return startServer({
    service: "elevenlabs",
    port,
    handler: async (req, res, url) => {
      const path = url.pathname.replace(/\/+$/, "");
      if (path.startsWith("/__standin/")) return control(req, res, url);
      if (path === "/v1/voices") {
        if (req.method !== "GET") return sendJson(res, 405, { detail: "Method Not Allowed" });
        if (!authorized(req, res)) return;
        const origin = `http://${req.headers.host}`;
        const voices = [...PREMADE_VOICES, ...clonedVoices.values()].map((v) => publicVoice(v, origin));
        return sendJson(res, 200, { voices });
      }
      if (path === "/v1/voices/add") {
        if (req.method !== "POST") return sendJson(res, 405, { detail: "Method Not Allowed" });
        return addVoice(req, res);
      }
      const one = /^\/v1\/voices\/([^/]+)$/.exec(path);
      if (one && one[1] !== "add") {
        // DELETE /v1/voices/{voice_id} → {"status":"ok"}; an unknown voice is 404 (API-SHAPES.md).
        if (req.method !== "DELETE") return sendJson(res, 405, { detail: "Method Not Allowed" });
        if (!authorized(req, res)) return;
        const id = decodeURIComponent(one[1]);
        if (!clonedVoices.delete(id)) return sendJson(res, 404, { detail: { status: "voice_not_found", message: "A voice with that id was not found." } });
        return sendJson(res, 200, { status: "ok" });
      }
      const tts = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(path);
      if (tts) {
        if (req.method !== "POST") return sendJson(res, 405, { detail: "Method Not Allowed" });
        return textToSpeech(req, res, url, decodeURIComponent(tts[1]), tts[2] ? "stream" : "convert");
      }
      return sendJson(res, 404, { detail: "Not Found" });
    },
  });
}
