/**
 * use-intl formats a message with values by building an IntlMessageFormat per render and, on every
 * call, merging its date formats and serialising them into a cache key: a quarter of the devices
 * page's render CPU (profiled, ADR 035). `useT` formats catalogue messages directly instead, with
 * one IntlMessageFormat per message and language for the isolate's life (the catalogues bound
 * them), so plurals, selects and quoting are ICU's exactly as before.
 *
 * Rich text (tags), values that are not strings or numbers (React nodes, dates) and anything that
 * fails to format are left to use-intl's translator, unchanged.
 * test/unit/i18n-direct-format.test.ts holds both paths to the same output over every catalogue message.
 */
import { IntlMessageFormat } from "intl-messageformat";

const compiled = new Map<string, IntlMessageFormat | null>();
/** A message with any ICU syntax (arguments, tags, quoting). */
const PLAIN_TEXT_NOT = /[{}<]|'[{}<#|']/;

/** The message formatted with `values`, or null when use-intl should do it. */
export function formatDirect(message: string, locale: string, values: Record<string, unknown>): string | null {
  if (message.includes("<")) return null;
  for (const k in values) {
    const v = values[k];
    if (typeof v !== "string" && typeof v !== "number") return null;
  }
  const key = `${locale}\u0000${message}`;
  let format = compiled.get(key);
  if (format === undefined) {
    try {
      format = new IntlMessageFormat(message, locale);
    } catch {
      format = null;
    }
    compiled.set(key, format);
  }
  if (!format) return null;
  try {
    const out = format.format(values as Record<string, string | number>);
    return typeof out === "string" ? out : null;
  } catch {
    return null; // a missing value: use-intl's own fallback (the key)
  }
}

/** The message or subtree at a dotted path ("devices.copy"), or undefined. */
export function messagesAt(messages: unknown, key: string | undefined): unknown {
  if (!key) return messages;
  let node = messages;
  for (const k of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

type Translator = ((key: string, values?: Record<string, unknown>, formats?: unknown) => string) & Record<string, unknown>;

/** `t` with direct formatting in front of its call form; `t.rich`, `t.markup`, `t.raw` and `t.has` are use-intl's own. */
export function withDirectFormatting<T>(translator: T, namespaceMessages: unknown, locale: string): T {
  const t = translator as unknown as Translator;
  const direct = (key: string, values?: Record<string, unknown>, formats?: unknown): string => {
    if (formats === undefined) {
      const message = messagesAt(namespaceMessages, key);
      if (typeof message === "string") {
        if (!values) {
          // Plain text is handed back as written (what use-intl does); anything else is use-intl's.
          if (!PLAIN_TEXT_NOT.test(message)) return message;
        } else {
          const out = formatDirect(message, locale, values);
          if (out !== null) return out;
        }
      }
    }
    return t(key, values, formats);
  };
  return Object.assign(direct, { rich: t.rich, markup: t.markup, raw: t.raw, has: t.has }) as unknown as T;
}
