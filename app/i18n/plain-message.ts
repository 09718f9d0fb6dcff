/**
 * Most catalogue messages that take values are text with `{name}` holes ("Owned since {date}").
 * ICU gives such a hole the value as text (a number is `String(n)`, not locale-formatted:
 * intl-messageformat's formatToParts), so filling it needs no parser. use-intl instead builds an
 * IntlMessageFormat per message and serialises its arguments into a cache key on every call, which
 * was a quarter of the devices page's render CPU (profiled, ADR 035).
 *
 * Only messages with no other syntax take this path: no quoting apostrophe, no tags, no `#`,
 * no plural/select/number/date arguments. Values other than strings and numbers (React nodes, dates),
 * a missing value, or any other message: use-intl's translator, unchanged.
 * test/unit/i18n-plain-message.test.ts holds both paths to the same output over every catalogue message.
 */

type Part = string | { arg: string };

// An apostrophe quotes only before ICU syntax or another apostrophe ("camera's" is plain text).
const SIMPLE = /^(?:[^{}'<>#]|'(?![{}<>#|'])|\{\s*[A-Za-z_$][\w$]*\s*\})*$/;
const HOLE = /\{\s*([A-Za-z_$][\w$]*)\s*\}/g;

// Catalogue messages only (a bounded set): compiled once per isolate.
const compiled = new Map<string, readonly Part[] | null>();

/** The message's parts, or null when it has syntax beyond `{name}` holes. */
export function plainParts(message: string): readonly Part[] | null {
  let parts = compiled.get(message);
  if (parts !== undefined) return parts;
  if (!SIMPLE.test(message)) parts = null;
  else {
    const out: Part[] = [];
    let last = 0;
    for (const m of message.matchAll(HOLE)) {
      if (m.index > last) out.push(message.slice(last, m.index));
      out.push({ arg: m[1] });
      last = m.index + m[0].length;
    }
    if (last < message.length) out.push(message.slice(last));
    parts = out;
  }
  compiled.set(message, parts);
  return parts;
}

/** The filled message, or null when a value is missing or is not a string or number. */
export function fillPlain(parts: readonly Part[], values: Record<string, unknown>): string | null {
  let s = "";
  for (const p of parts) {
    if (typeof p === "string") s += p;
    else {
      const v = values[p.arg];
      if (typeof v === "string") s += v;
      else if (typeof v === "number") s += String(v);
      else return null;
    }
  }
  return s;
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

/**
 * `t` with the plain fast path in front of its call form; `t.rich`, `t.markup`, `t.raw` and `t.has`
 * are use-intl's own.
 */
export function withPlainMessages<T>(translator: T, namespaceMessages: unknown): T {
  const t = translator as unknown as Translator;
  const plain = (key: string, values?: Record<string, unknown>, formats?: unknown): string => {
    if (values && formats === undefined) {
      const message = messagesAt(namespaceMessages, key);
      if (typeof message === "string") {
        const parts = plainParts(message);
        const filled = parts ? fillPlain(parts, values) : null;
        if (filled !== null) return filled;
      }
    }
    return t(key, values, formats);
  };
  return Object.assign(plain, { rich: t.rich, markup: t.markup, raw: t.raw, has: t.has }) as unknown as T;
}
