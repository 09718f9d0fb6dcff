/**
 * A mail in its recipient's language (ADR 019): the catalogue of that locale fills in the content,
 * and one layout turns it into the plain-text and HTML bodies. Every fact is escaped in HTML.
 */
import type { MailKind, MailLocale } from "~/domain/mail-policy";
import { formatDate } from "~/lib/format";
import { en } from "./templates/en";
import { zhCN } from "./templates/zh-CN";
import type { MailCatalogue, MailContent, MailPayloads } from "./types";

export const MAIL_CATALOGUES: Record<MailLocale, MailCatalogue> = { en, "zh-CN": zhCN };

/** Intl's tag for each mail locale (dates). */
const INTL_LOCALE: Record<MailLocale, string> = { en: "en-US", "zh-CN": "zh-CN" };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function renderMail<K extends MailKind>(kind: K, payload: MailPayloads[K], opts: { locale: MailLocale; timeZone?: string | null }): RenderedMail {
  const catalogue = MAIL_CATALOGUES[opts.locale];
  const intl = INTL_LOCALE[opts.locale];
  const tz = opts.timeZone ?? "UTC";
  const content: MailContent = (catalogue[kind] as (p: MailPayloads[K], f: { date(ms: number): string }) => MailContent)(payload, {
    date: (ms) => formatDate(ms, intl, tz),
  });
  const text = [...content.paragraphs, ...(content.action ? [`${content.action.label}: ${content.action.url}`] : []), "--", catalogue.footer].join("\n\n");
  const html = [
    `<!doctype html><html lang="${opts.locale}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem;margin:auto;padding:1rem">`,
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    content.action
      ? `<p><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:.6rem 1rem;background:#0b5cad;color:#fff;border-radius:.4rem;text-decoration:none">${escapeHtml(content.action.label)}</a></p><p style="font-size:.9em">${escapeHtml(content.action.url)}</p>`
      : "",
    `<hr><p style="font-size:.85em;color:#555">${escapeHtml(catalogue.footer)}</p></body></html>`,
  ].join("");
  return { subject: content.subject, text, html };
}
