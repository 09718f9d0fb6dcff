// How `npm start` shows wrangler dev's output: nothing of wrangler's start-up chatter (banner,
// binding table) unless it fails, then one readable line per log line of the app.

/** Calls `onLine` with each complete line of a stream (the last partial one at its end). */
export function eachLine(stream, onLine) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = lines.pop();
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    if (rest) onLine(rest);
  });
}

// Wrangler's and workerd's colour codes, so matching works on what a person sees.
// eslint-disable-next-line no-control-regex
const plain = (line) => line.replace(/\x1b\[[0-9;]*m/g, "");

/** The URL wrangler announces once it serves ("Ready on http://127.0.0.1:8787"), or null. */
export const readyUrl = (line) => /Ready on (https?:\/\/\S+)/.exec(plain(line))?.[1] ?? null;

/** Lines that start a wrangler warning or error block ("▲ [WARNING]", "✘ [ERROR]"). */
export const isProblem = (line) => /^\s*(▲|✘|X) \[(WARNING|ERROR)\]/.test(plain(line));

const fieldText = (v) => (typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v));

/**
 * One line of the app's log (app/lib/log.server.ts: one JSON object per line) made readable;
 * other lines unchanged; null for lines that say nothing new (wrangler's own request line repeats
 * the app's `request` line, which also has the request id).
 */
export function presentLine(line) {
  const text = plain(line);
  if (/^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /.test(text)) return null;
  if (!text.startsWith("{")) return line;
  let entry;
  try {
    entry = JSON.parse(text);
  } catch {
    return line;
  }
  if (!entry || typeof entry.msg !== "string") return line;
  const { ts, level = "info", msg, ...fields } = entry;
  const at = typeof ts === "string" ? new Date(ts) : new Date();
  const time = (Number.isNaN(at.getTime()) ? new Date() : at).toLocaleTimeString("en-GB", { hour12: false }); // local HH:MM:SS
  if (msg === "request") {
    const { method, path, status, ms, requestId } = fields;
    return `${time} ${method} ${path} → ${status} (${ms} ms) ${requestId ?? ""}`.trimEnd();
  }
  const details = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${fieldText(v)}`)
    .join(" ");
  return `${time} ${level === "info" ? "" : `${String(level).toUpperCase()} `}${msg}${details ? ` ${details}` : ""}`;
}
