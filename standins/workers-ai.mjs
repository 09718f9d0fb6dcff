// Local stand-in for Workers AI's REST API (ADR 016): POST /client/v4/accounts/{account}/ai/run/{model}
// with `Authorization: Bearer <token>`, JSON in, Cloudflare's envelope out:
//   200 {"result": {"response": "...", "usage": {...}}, "success": true, "errors": [], "messages": []}
//   4xx/5xx {"result": null, "success": false, "errors": [{"code": n, "message": "..."}], "messages": []}
// Request shapes follow the model schemas in cloudflare-docs (src/content/workers-ai-models/*.json):
// text generation takes `prompt` or `messages` [{role, content}], optional max_tokens (integer),
// temperature (0..5); the vision model takes `image` as an array of bytes (0..255) or a string.
// Error codes: 10000 authentication error (401, the Cloudflare API's code for a bad token),
// 7003 unknown account route (404), 5007 no such model (400), 5006 input validation (400).
// Those code numbers are what the API is seen to send; unconfirmed against a primary source.
//
// What it answers: descriptions and summaries derived from what the app put in the prompt (the
// camera's detections, the day's event lines), so the whole path runs offline and tests can tell
// which event a description is for. The picture is checked to be a JPEG or PNG, not looked at.
//
// Test controls (no auth): see CONTROL ENDPOINTS at the bottom.
import { readBody, sendJson, startServer } from "./lib/http.mjs";

const MODELS = {
  "@cf/meta/llama-3.2-11b-vision-instruct": { vision: true },
  "@cf/llava-hf/llava-1.5-7b-hf": { vision: true },
  "@cf/meta/llama-3.1-8b-instruct": { vision: false },
  "@cf/meta/llama-3.1-8b-instruct-fp8-fast": { vision: false },
};

const envelope = (result) => ({ result, success: true, errors: [], messages: [] });
const failure = (res, status, code, message) => sendJson(res, status, { result: null, success: false, errors: [{ code, message }], messages: [] });

/** The sentence a camera's detections stand for (what a vision model would see in the picture). */
export function describeDetections(type, labels = []) {
  const has = (w) => labels.includes(w);
  switch (type) {
    case "package":
      return has("courier") || has("delivery") ? "A courier leaves a parcel at the door" : "A parcel is left at the door";
    case "person":
      return has("courier") ? "A courier walks up to the door" : "A person walks up to the front door";
    case "vehicle":
      return has("truck") ? "A delivery truck stops in front of the house" : "A car pulls into the driveway";
    case "animal":
      if (has("cat")) return "A cat crosses the yard";
      if (has("dog")) return "A dog runs across the lawn";
      if (has("bird")) return "A bird lands near the camera";
      return "An animal moves through the yard";
    case "sound":
      return "A loud sound is heard near the camera";
    default:
      return "Something moves in front of the camera";
  }
}

/** `Camera detections (may be wrong): package 0.91, person 0.40; labels: parcel, courier` → the first type and the labels. */
function readDetections(text) {
  const m = /Camera detections[^:]*:\s*([a-z]+)\s+[0-9.]+[^;\n]*(?:;\s*labels:\s*([^\n]*))?/i.exec(text);
  if (!m) return null;
  const labels = (m[2] ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return { type: m[1].toLowerCase(), labels };
}

const plural = (n, one, many) => (n === 1 ? `a ${one}` : `${n} ${many}`);
const NOUNS = {
  person: ["person", "people"],
  vehicle: ["car", "cars"],
  motion: ["movement", "movements"],
  sound: ["loud sound", "loud sounds"],
};

/** A day's sentence from the prompt's event lines ("14:02 package — A courier…", "19:40 animal (cat) — …"). */
export function summarizeLines(text) {
  const label = /starts with "([^"]+):"/.exec(text)?.[1] ?? "Today";
  const events = [];
  for (const line of text.split("\n")) {
    const m = /^(\d{2}:\d{2}) ([a-z]+)(?: \(([^)]*)\))?(?: — (.*))?$/.exec(line.trim());
    if (m) events.push({ time: m[1], type: m[2], labels: (m[3] ?? "").split(/,\s*/).filter(Boolean) });
  }
  if (!events.length) return `${label}: nothing happened in front of the camera.`;
  const parts = [];
  for (const type of ["person", "vehicle"]) {
    const n = events.filter((e) => e.type === type).length;
    if (n) parts.push(plural(n, ...NOUNS[type]));
  }
  for (const e of events.filter((e) => e.type === "package")) parts.push(`a parcel at ${e.time}`);
  for (const e of events.filter((e) => e.type === "animal")) parts.push(`${e.labels[0] ? `a ${e.labels[0]}` : "an animal"} at ${e.time}`);
  for (const type of ["sound", "motion"]) {
    const n = events.filter((e) => e.type === type).length;
    if (n) parts.push(plural(n, ...NOUNS[type]));
  }
  return `${label}: ${parts.join(", ")}.`;
}

// Asked for Simplified Chinese (the app's prompt for a Chinese-reading owner), a model answers in
// Chinese: the same facts, worded as a Chinese summary would be.
const ZH_COUNTED = { person: "有人出现", vehicle: "车辆出现", sound: "较大声响", motion: "画面移动" };
const ZH_ANIMALS = { cat: "猫", dog: "狗", bird: "鸟", fox: "狐狸", deer: "鹿", squirrel: "松鼠", rabbit: "兔子" };

export function summarizeLinesZh(text) {
  const label = /starts with "([^"]+)[:：]"/.exec(text)?.[1] ?? "今天";
  const events = [];
  for (const line of text.split("\n")) {
    const m = /^(\d{2}:\d{2}) ([a-z]+)(?: \(([^)]*)\))?(?: — (.*))?$/.exec(line.trim());
    if (m) events.push({ time: m[1], type: m[2], labels: (m[3] ?? "").split(/,\s*/).filter(Boolean) });
  }
  if (!events.length) return `${label}：镜头前没有任何动静。`;
  const parts = [];
  const count = (type) => events.filter((e) => e.type === type).length;
  for (const type of ["person", "vehicle"]) if (count(type)) parts.push(`${ZH_COUNTED[type]} ${count(type)} 次`);
  for (const e of events.filter((e) => e.type === "package")) parts.push(`${e.time} 有包裹`);
  for (const e of events.filter((e) => e.type === "animal")) parts.push(`${e.time} 有${ZH_ANIMALS[e.labels[0]] ?? "动物"}`);
  for (const type of ["sound", "motion"]) if (count(type)) parts.push(`${ZH_COUNTED[type]} ${count(type)} 次`);
  return `${label}：${parts.join("、")}。`;
}

function validate(model, input) {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "Type mismatch of '/', 'object' expected";
  const hasPrompt = typeof input.prompt === "string";
  const hasMessages = Array.isArray(input.messages);
  if (!hasPrompt && !hasMessages) return "Required properties missing: 'prompt' or 'messages'";
  if (hasPrompt && (input.prompt.length < 1 || input.prompt.length > 131072)) return "Length of '/prompt' must be between 1 and 131072";
  if (hasMessages) {
    if (!input.messages.length) return "'/messages' must not be empty";
    for (const [i, m] of input.messages.entries()) {
      if (!m || typeof m.role !== "string" || typeof m.content !== "string") return `Required properties missing at '/messages/${i}': 'role', 'content'`;
    }
  }
  if (input.max_tokens !== undefined && !Number.isInteger(input.max_tokens)) return "Type mismatch of '/max_tokens', 'integer' expected";
  if (input.temperature !== undefined && (typeof input.temperature !== "number" || input.temperature < 0 || input.temperature > 5))
    return "'/temperature' must be between 0 and 5";
  if (input.image !== undefined) {
    if (!MODELS[model].vision) return "Unknown property '/image'";
    const img = input.image;
    if (typeof img === "string") return img.length ? null : "'/image' must not be empty";
    if (!Array.isArray(img) || !img.length) return "Type mismatch of '/image', 'array' expected";
    if (img.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) return "'/image' items must be integers between 0 and 255";
    const jpeg = img[0] === 0xff && img[1] === 0xd8;
    const png = img[0] === 0x89 && img[1] === 0x50 && img[2] === 0x4e && img[3] === 0x47;
    if (!jpeg && !png) return "'/image' is not a JPEG or PNG picture";
  }
  return null;
}

/**
 * @param {{port: number, env?: Record<string,string>}} opts
 * env: WORKERS_AI_ACCOUNT_ID, WORKERS_AI_API_TOKEN (the app's configuration).
 */
export async function startWorkersAi({ port, env = {} } = {}) {
  const account = env.WORKERS_AI_ACCOUNT_ID || "local0account0000000000000000000";
  const token = env.WORKERS_AI_API_TOKEN || "cf_local_standin_workers_ai_token";
  const state = { calls: {}, faults: [], lastInputs: [] };

  const server = await startServer({
    service: "workersAi",
    port,
    handler: async (req, res, url) => {
      if (url.pathname.startsWith("/__standin/")) return control(state, req, res, url);
      const m = /^\/client\/v4\/accounts\/([^/]+)\/ai\/run\/(.+)$/.exec(url.pathname);
      if (!m || req.method !== "POST") return failure(res, 404, 7000, "No route for that URI");
      const auth = req.headers.authorization ?? "";
      if (auth !== `Bearer ${token}`) return failure(res, 401, 10000, "Authentication error");
      if (decodeURIComponent(m[1]) !== account)
        return failure(res, 404, 7003, "Could not route to /accounts/ai/run, perhaps your object identifier is invalid?");
      const model = decodeURIComponent(m[2]);
      if (!MODELS[model]) return failure(res, 400, 5007, `No such model ${model} or task`);
      const raw = await readBody(req, 10 * 1024 * 1024);
      let input;
      try {
        input = JSON.parse(raw.toString("utf8"));
      } catch {
        return failure(res, 400, 5006, "Error: invalid JSON body");
      }
      const problem = validate(model, input);
      if (problem) return failure(res, 400, 5006, `AiError: Bad input: Error: ${problem}`);
      const text = input.prompt ?? input.messages.map((x) => x.content).join("\n");
      state.calls[model] = (state.calls[model] ?? 0) + 1;
      state.lastInputs.push({ model, text, image: input.image === undefined ? null : Array.isArray(input.image) ? input.image.length : input.image.length });
      if (state.lastInputs.length > 50) state.lastInputs.shift();

      const fault = state.faults.find((f) => !f.match || text.includes(f.match));
      if (fault) {
        if (--fault.count <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
        return failure(
          res,
          fault.status,
          fault.status === 429 ? 3040 : 3001,
          fault.status === 429 ? "Capacity temporarily exceeded" : "Unknown internal error (injected)",
        );
      }

      let response;
      const detections = readDetections(text);
      if (MODELS[model].vision) {
        if (input.image === undefined) return failure(res, 400, 5006, "AiError: Bad input: this stand-in describes pictures: send 'image'");
        response = detections ? describeDetections(detections.type, detections.labels) : "A view of the front of the house";
      } else {
        response = /Simplified Chinese/.test(text) ? summarizeLinesZh(text) : summarizeLines(text);
      }
      const promptTokens = Math.ceil(text.length / 4) + (input.image ? 1601 : 0);
      const completionTokens = Math.ceil(response.length / 4);
      return sendJson(
        res,
        200,
        envelope({ response, usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
      );
    },
  });
  return { ...server, state };
}

// ---- CONTROL ENDPOINTS (tests and local mode only) ------------------------------------------
//   GET  /__standin/health                         (shared)
//   POST /__standin/faults {count, status?: 429|500|503, match?: "text in the prompt"}
//        the next `count` calls (whose prompt contains `match`) fail with that status; {clear: true} drops them.
//   GET  /__standin/stats                          {calls: {model: n}, lastInputs: [{model, text, image}]}
async function control(state, req, res, url) {
  if (url.pathname === "/__standin/stats" && req.method === "GET") return sendJson(res, 200, { calls: state.calls, lastInputs: state.lastInputs });
  if (url.pathname === "/__standin/faults" && req.method === "POST") {
    let b;
    try {
      b = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
    } catch {
      return sendJson(res, 400, { error: "bad_request", message: "body must be JSON" });
    }
    if (b.clear === true) state.faults = [];
    else {
      if (!Number.isInteger(b.count) || b.count < 1) return sendJson(res, 400, { error: "bad_request", message: "count must be a positive integer" });
      const status = b.status ?? 500;
      if (![429, 500, 503].includes(status)) return sendJson(res, 400, { error: "bad_request", message: "status must be 429, 500 or 503" });
      state.faults.push({ count: b.count, status, match: typeof b.match === "string" ? b.match : undefined });
    }
    return sendJson(res, 200, { faults: state.faults });
  }
  return sendJson(res, 404, { error: "not_found", message: `Unknown stand-in control ${req.method} ${url.pathname}` });
}
