/**
 * Resend's send-email API (ADR 019): POST {RESEND_API_BASE}/emails, `Authorization: Bearer re_…`,
 * JSON `{ from, to: [..], subject, text, html }` → 200 `{ id }`. Errors are JSON
 * `{ statusCode, name, message }` (https://resend.com/docs/api-reference/errors). The
 * `Idempotency-Key` header makes a resend of the same key within 24 h answer the first send's id
 * without mailing again (https://resend.com/docs/dashboard/emails/idempotency-keys): every outbox
 * row sends with its own id as the key. The base URL is configuration, so the same code reaches
 * Resend in production and the stand-in (standins/mail.mjs) locally and in tests.
 */
import { getConfig } from "./config.server";

/** A send slower than this counts as failed (the cron retries; the idempotency key covers a late success). */
const TIMEOUT_MS = 10_000;

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type SendOutcome =
  | { ok: true; id: string }
  /** `name` is Resend's error name, or ours: not_configured, network_error, unreadable_answer. */
  | { ok: false; status: number; name: string; message: string };

export async function sendWithResend(env: Env, mail: OutgoingMail, idempotencyKey: string): Promise<SendOutcome> {
  const config = getConfig(env);
  if (!config.RESEND_API_KEY || !config.MAIL_FROM) {
    return { ok: false, status: 0, name: "not_configured", message: "RESEND_API_KEY and MAIL_FROM must be set to send mail" };
  }
  let res: Response;
  try {
    res = await fetch(`${config.RESEND_API_BASE.replace(/\/$/, "")}/emails`, {
      method: "POST",
      headers: { Authorization: `Bearer ${config.RESEND_API_KEY}`, "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
      body: JSON.stringify({ from: config.MAIL_FROM, to: [mail.to], subject: mail.subject, text: mail.text, html: mail.html }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, status: 0, name: "network_error", message: err instanceof Error ? err.message : String(err) };
  }
  const body = (await res.json().catch(() => null)) as { id?: unknown; name?: unknown; message?: unknown } | null;
  if (res.ok && typeof body?.id === "string") return { ok: true, id: body.id };
  return {
    ok: false,
    status: res.status,
    name: typeof body?.name === "string" ? body.name : "unreadable_answer",
    message: typeof body?.message === "string" ? body.message : `HTTP ${res.status}`,
  };
}
