import { servedLanguage } from "~/i18n/i18n.server";

/**
 * The Intl locale for the served language (ADR 028): dates and numbers follow the language of the
 * text around them, never a header's other language (de-DE gets English text and en-US dates).
 */
export function requestLocale(request: Request): string {
  return servedLanguage(request).intlLocale;
}
