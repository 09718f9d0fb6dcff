/**
 * Which language a request is served in (ADR 028). Pure: the cookie the switcher set wins, then the
 * Accept-Language header by q-value, then English.
 *
 * - en, en-* → English; the Intl locale is that tag when it names a region (en-GB dates stay British).
 * - zh, zh-CN, zh-SG, zh-Hans(-*) → Simplified Chinese (zh-CN).
 * - zh-TW, zh-HK, zh-MO, zh-Hant(-*) (Traditional) is not written: a later tag in the header that we
 *   do write wins ("zh-TW, en;q=0.8" → en); when no tag matches at all, Simplified is served, which a
 *   Traditional reader reads far more easily than English.
 * - any other language (de-DE…) → English, and `<html lang>` says "en": never a tag over text in
 *   another language (WCAG 3.1.1).
 */
export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

export function isLanguage(v: unknown): v is Language {
  return typeof v === "string" && (LANGUAGES as readonly string[]).includes(v);
}

/** The language and the Intl locale (dates, numbers) a page is rendered with. */
export interface Served {
  language: Language;
  intlLocale: string;
}

const INTL_DEFAULT: Record<Language, string> = { en: "en-US", "zh-CN": "zh-CN" };

function parseAcceptLanguage(header: string): string[] {
  return header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const qv = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), q: Number.isFinite(qv) ? qv : 0, i };
    })
    .filter((t) => t.tag && t.q > 0 && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(t.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((t) => t.tag);
}

const SIMPLIFIED = /^zh(-(cn|sg|hans)(-.*)?)?$/i;
const TRADITIONAL = /^zh-(tw|hk|mo|hant)(-.*)?$/i;

function englishIntl(tag: string): string {
  if (!/^en-[a-z]{2}$/i.test(tag)) return INTL_DEFAULT.en;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? INTL_DEFAULT.en;
  } catch {
    return INTL_DEFAULT.en;
  }
}

/** The language named by an Accept-Language header, or null when it names none we write. */
export function languageFromAcceptLanguage(header: string | null | undefined): Served | null {
  if (!header) return null;
  const tags = parseAcceptLanguage(header);
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower === "en" || lower.startsWith("en-")) return { language: "en", intlLocale: englishIntl(tag) };
    if (SIMPLIFIED.test(lower)) return { language: "zh-CN", intlLocale: INTL_DEFAULT["zh-CN"] };
  }
  if (tags.some((t) => TRADITIONAL.test(t))) return { language: "zh-CN", intlLocale: INTL_DEFAULT["zh-CN"] };
  return null;
}

/** Cookie (the switcher's choice) > Accept-Language > English. */
export function negotiateLanguage(cookieValue: string | null | undefined, acceptLanguage: string | null | undefined): Served {
  if (isLanguage(cookieValue)) {
    // The header may still tell which English (en-GB) the visitor reads dates in.
    const fromHeader = languageFromAcceptLanguage(acceptLanguage);
    return { language: cookieValue, intlLocale: fromHeader?.language === cookieValue ? fromHeader.intlLocale : INTL_DEFAULT[cookieValue] };
  }
  return languageFromAcceptLanguage(acceptLanguage) ?? { language: DEFAULT_LANGUAGE, intlLocale: INTL_DEFAULT[DEFAULT_LANGUAGE] };
}
