/**
 * What components use (ADR 028): `const t = useT("watch"); t("live")`. The messages come from the
 * root loader (the served language only), so the server render and the hydrated page agree.
 *
 * `useT` is use-intl's translator with two savings (ADR 035, issue #11): its caches are kept per
 * language across requests (use-intl's provider makes new ones for every render, so every server
 * render parsed each message again), and a message with values is formatted by an IntlMessageFormat
 * kept for it (direct-format.ts) without use-intl's per-call wrapping. Rich text is use-intl's.
 */
import { useMemo } from "react";
import { useLocale, useMessages, type useTranslations } from "use-intl";
import { _createCache, _createIntlFormatters, createTranslator } from "use-intl/core";
import { messagesAt, withDirectFormatting } from "./direct-format";

export { useFormatter, useLocale } from "use-intl";

type Shared = { cache: ReturnType<typeof _createCache>; formatters: ReturnType<typeof _createIntlFormatters> };
// One per served language (use-intl's cache keys include the locale, so one would do; per locale
// keeps each small). The catalogue's messages bound what they hold.
const sharedCaches = new Map<string, Shared>();

function sharedFor(locale: string): Shared {
  let s = sharedCaches.get(locale);
  if (!s) {
    const cache = _createCache();
    s = { cache, formatters: _createIntlFormatters(cache) };
    sharedCaches.set(locale, s);
  }
  return s;
}

/** use-intl's `useTranslations`, typed by the English catalogue the same way (use-intl.d.ts). */
export const useT = function useT(namespace?: string) {
  const messages = useMessages();
  const locale = useLocale();
  return useMemo(() => {
    const { cache, formatters } = sharedFor(locale);
    const t = createTranslator({
      locale,
      messages,
      // The namespace is one of the catalogue's (the cast below types it as useTranslations does).
      namespace: namespace as never,
      // No message formats a date itself (they are given formatted strings): without a zone,
      // use-intl skips rebuilding its date formats with it on every call.
      _cache: cache,
      _formatters: formatters,
      // As the root's IntlProvider: a message that fails to format shows its key.
      onError: () => undefined,
    });
    return withDirectFormatting(t, messagesAt(messages, namespace), locale);
  }, [messages, locale, namespace]);
} as typeof useTranslations;
