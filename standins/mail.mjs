// Local stand-in for Resend's send-email API (ADR 019), on :8794. What it checks is what Resend
// checks, per its docs:
// - POST /emails (https://resend.com/docs/api-reference/emails/send-email): JSON body with `from`
//   ("a@b.c" or "Name <a@b.c>"), `to` (an address or an array of at most 50), `subject`, and
//   `html` and/or `text`; `Authorization: Bearer re_…`. 200 → {"id":"<uuid>"}.
// - Errors (https://resend.com/docs/api-reference/errors) are JSON {statusCode, name, message}:
//   401 missing_api_key, 403 invalid_api_key, 422 missing_required_field / validation_error,
//   400 invalid_idempotency_key, 409 invalid_idempotent_request, 500 application_error.
// - Idempotency-Key (https://resend.com/docs/dashboard/emails/idempotency-keys): 1–256 chars; the
//   same key with the same body within 24 h answers the first send's id and mails nothing; with
//   another body → 409. A request that failed is not remembered (its retry sends).
// - GET /emails/:id → the email object ({object:"email", id, to, from, subject, html, text, created_at, last_event}).
//
// For people: GET / is an inbox of every message kept, GET /messages/:id one message.
// For tests (no auth): GET /__standin/messages[?to=addr] → {messages:[{id,to,subject,text,html,sentAt,from}]}
// (`to` is the first recipient; `sentAt` ISO-8601), POST /__standin/fail {count, status?, to?} makes
// the next `count` sends (to `to`, if given) answer `status` (default 500) as Resend's 5xx, and
// POST /__standin/reset forgets everything.
import { randomUUID } from "node:crypto";
import { escapeHtml, readBody, sendHtml, sendJson, startServer } from "./lib/http.mjs";

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/;
const NAMED = /^[^<>]*<([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>$/;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const problem = (res, statusCode, name, message) => sendJson(res, statusCode, { statusCode, name, message });
const addressOf = (s) => (typeof s !== "string" ? null : ADDRESS.test(s.trim()) ? s.trim() : (NAMED.exec(s.trim())?.[1] ?? null));

/** @param {{port?: number, env?: Record<string,string>}} opts */
export async function startMail({ port = 8794, env = {} } = {}) {
  const apiKey = env.RESEND_API_KEY ?? "re_local_standin_key";
  /** @type {{id:string, from:string, to:string[], subject:string, text:string|null, html:string|null, createdAt:number}[]} */
  const messages = [];
  /** @type {Map<string, {body:string, id:string, at:number}>} */
  const idempotency = new Map();
  /** @type {{count:number, status:number, to:string|null}[]} */
  const failures = [];

  async function send(req, res) {
    const auth = req.headers.authorization ?? "";
    if (!auth) return problem(res, 401, "missing_api_key", "Missing API key in the authorization header.");
    if (auth !== `Bearer ${apiKey}`) return problem(res, 403, "invalid_api_key", "API key is invalid.");
    const raw = (await readBody(req, 40 * 1024 * 1024)).toString("utf8");
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(res, 422, "validation_error", "Invalid JSON body.");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return problem(res, 422, "validation_error", "The body must be a JSON object.");
    const missing = ["from", "to", "subject"].filter((k) => body[k] === undefined || body[k] === null || body[k] === "");
    if (missing.length) return problem(res, 422, "missing_required_field", `Missing \`${missing[0]}\` field.`);
    if (!addressOf(body.from))
      return problem(
        res,
        422,
        "validation_error",
        "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
      );
    const to = Array.isArray(body.to) ? body.to : [body.to];
    if (to.length === 0 || to.length > 50 || !to.every((t) => addressOf(t))) {
      return problem(
        res,
        422,
        "validation_error",
        "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
      );
    }
    if (typeof body.subject !== "string") return problem(res, 422, "validation_error", "Invalid `subject` field.");
    if (typeof body.html !== "string" && typeof body.text !== "string")
      return problem(res, 422, "validation_error", "Either `html` or `text` must be provided.");

    const key = req.headers["idempotency-key"];
    if (key !== undefined && (typeof key !== "string" || key.length < 1 || key.length > 256)) {
      return problem(res, 400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const now = Date.now();
    if (key) {
      const seen = idempotency.get(key);
      if (seen && now - seen.at < IDEMPOTENCY_TTL_MS) {
        if (seen.body !== raw) return problem(res, 409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
        return sendJson(res, 200, { id: seen.id });
      }
    }
    const recipients = to.map((t) => addressOf(t));
    const failure = failures.find((f) => f.count > 0 && (f.to === null || recipients.some((r) => r.toLowerCase() === f.to)));
    if (failure) {
      failure.count--;
      return problem(
        res,
        failure.status,
        failure.status === 429 ? "rate_limit_exceeded" : "application_error",
        "An unexpected error occurred (stand-in: failure on request).",
      );
    }
    const id = randomUUID();
    messages.push({ id, from: body.from, to: recipients, subject: body.subject, text: body.text ?? null, html: body.html ?? null, createdAt: now });
    if (key) idempotency.set(key, { body: raw, id, at: now });
    return sendJson(res, 200, { id });
  }

  const forTests = (m) => ({
    id: m.id,
    to: m.to[0],
    from: m.from,
    subject: m.subject,
    text: m.text,
    html: m.html,
    sentAt: new Date(m.createdAt).toISOString(),
  });

  function inbox(res) {
    const rows = [...messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${escapeHtml(new Date(m.createdAt).toISOString())}</td><td>${escapeHtml(m.to.join(", "))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`,
      )
      .join("");
    return sendHtml(
      res,
      200,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail stand-in inbox</title></head><body>
<h1>Mail stand-in inbox</h1><p>Every message the app sent through the Resend API stand-in (${messages.length}).</p>
${messages.length ? `<table><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>` : "<p>No messages yet.</p>"}
</body></html>`,
    );
  }

  function message(res, id) {
    const m = messages.find((x) => x.id === id);
    if (!m)
      return sendHtml(
        res,
        404,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><p>No such message. <a href="/">Inbox</a></p></body></html>`,
      );
    return sendHtml(
      res,
      200,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title></head><body>
<p><a href="/">Inbox</a></p><h1>${escapeHtml(m.subject)}</h1>
<p>From ${escapeHtml(m.from)} to ${escapeHtml(m.to.join(", "))}, ${escapeHtml(new Date(m.createdAt).toISOString())}</p>
${m.html ? `<iframe title="HTML body" sandbox srcdoc="${escapeHtml(m.html)}" style="width:100%;height:24rem;border:1px solid #ccc"></iframe>` : ""}
<h2>Text</h2><pre style="white-space:pre-wrap">${escapeHtml(m.text ?? "")}</pre></body></html>`,
    );
  }

  return startServer({
    service: "mail",
    port,
    async handler(req, res, url) {
      const p = url.pathname;
      if (req.method === "POST" && p === "/emails") return send(req, res);
      const byId = /^\/emails\/([0-9a-f-]{36})$/.exec(p);
      if (req.method === "GET" && byId) {
        if ((req.headers.authorization ?? "") !== `Bearer ${apiKey}`)
          return problem(res, 401, "missing_api_key", "Missing API key in the authorization header.");
        const m = messages.find((x) => x.id === byId[1]);
        if (!m) return problem(res, 404, "not_found", "Email not found");
        return sendJson(res, 200, {
          object: "email",
          id: m.id,
          to: m.to,
          from: m.from,
          subject: m.subject,
          html: m.html,
          text: m.text,
          created_at: new Date(m.createdAt).toISOString(),
          last_event: "delivered",
        });
      }
      if (req.method === "GET" && p === "/") return inbox(res);
      const page = /^\/messages\/([0-9a-f-]{36})$/.exec(p);
      if (req.method === "GET" && page) return message(res, page[1]);

      // CONTROL ENDPOINTS (tests and people; no auth, loopback only)
      if (req.method === "GET" && p === "/__standin/messages") {
        const to = url.searchParams.get("to")?.toLowerCase() ?? null;
        return sendJson(res, 200, { messages: messages.filter((m) => to === null || m.to.some((t) => t.toLowerCase() === to)).map(forTests) });
      }
      if (req.method === "POST" && p === "/__standin/fail") {
        const body = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
        const count = Number.isInteger(body.count) && body.count >= 0 ? body.count : 1;
        const status = Number.isInteger(body.status) && body.status >= 400 && body.status <= 599 ? body.status : 500;
        failures.push({ count, status, to: typeof body.to === "string" ? body.to.toLowerCase() : null });
        return sendJson(res, 200, { ok: true, count, status });
      }
      if (req.method === "POST" && p === "/__standin/reset") {
        messages.length = 0;
        idempotency.clear();
        failures.length = 0;
        return sendJson(res, 200, { ok: true });
      }
      return problem(res, 404, "not_found", "The requested endpoint does not exist.");
    },
  });
}
