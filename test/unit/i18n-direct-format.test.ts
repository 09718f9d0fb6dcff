// useT formats catalogue messages with values itself (app/i18n/direct-format.ts, ADR 035): for
// every message of every catalogue, with text, numbers and every select branch, the result must be
// exactly use-intl's; rich text and other values must be left to use-intl.
import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { CATALOGUES } from "~/i18n/catalogues";
import { formatDirect, withDirectFormatting } from "~/i18n/direct-format";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === "string" ? [[key, v] as [string, string]] : leaves(v, key);
  });
}

/** Each argument of `message` with the values to try for it: numbers for plurals, every branch (and one more) for selects. */
function argumentValues(message: string): Map<string, (string | number)[]> {
  const out = new Map<string, (string | number)[]>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_$][\w$]*)\s*(?:,\s*(plural|selectordinal|select)\s*,)?/g)) {
    const [, name, kind] = m;
    if (kind === "select") {
      const branches = [...message.slice(m.index).matchAll(/([\w=]+)\s*\{/g)].map((b) => b[1]).filter((b) => !b.startsWith("="));
      out.set(name, [...new Set([...branches, "zz-none"])]);
    } else if (kind) out.set(name, [0, 1, 2, 5, 21, 1234.5]);
    else if (!out.has(name)) out.set(name, ["‹text›", "it's {x} #1", 0, 7, 1234.5]);
  }
  return out;
}

describe("direct formatting of catalogue messages", () => {
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    it(`${lang}: every message comes out exactly as use-intl formats it`, () => {
      const intl = createTranslator({ locale: lang as "en", messages: catalogue, onError: () => undefined });
      let checked = 0;
      for (const [key, message] of leaves(catalogue as unknown as Tree)) {
        if (message.includes("<")) {
          expect(formatDirect(message, lang, {}), `${lang}:${key} has tags`).toBeNull();
          continue;
        }
        const args = argumentValues(message);
        const rounds = Math.max(1, ...[...args.values()].map((v) => v.length));
        for (let i = 0; i < rounds; i++) {
          const values = Object.fromEntries([...args].map(([name, vs]) => [name, vs[i % vs.length]]));
          expect(formatDirect(message, lang, values), `${lang}:${key} ${JSON.stringify(values)}`).toBe(intl(key as never, values as never));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(300);
    });
  }

  it("a message asked for without values comes out as use-intl's too, for every catalogue message", () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      const intl = createTranslator({ locale: lang as "en", messages: catalogue, onError: () => undefined });
      const t = withDirectFormatting(intl, catalogue, lang) as unknown as (k: string) => string;
      for (const [key] of leaves(catalogue as unknown as Tree)) expect(t(key), `${lang}:${key}`).toBe(intl(key as never));
    }
  });

  it("leaves to use-intl what it does not format itself: a missing value, a React node or a date, and rich text", () => {
    const messages = { a: { hello: "Hello {name}", count: "{n, plural, one {# cat} other {# cats}}", rich: "<b>{name}</b>" } };
    const base = createTranslator({ locale: "en", messages, namespace: "a", onError: () => undefined });
    const t = withDirectFormatting(base, messages.a, "en") as unknown as ((k: string, v?: Record<string, unknown>) => string) & typeof base;
    expect(formatDirect(messages.a.hello, "en", { name: "Ada" })).toBe("Hello Ada");
    expect(t("hello", { name: "Ada" })).toBe("Hello Ada");
    expect(t("count", { n: 1 })).toBe("1 cat");
    expect(formatDirect(messages.a.hello, "en", {})).toBeNull();
    expect(t("hello", {})).toBe("a.hello"); // use-intl's fallback for a missing value: the key
    expect(formatDirect(messages.a.hello, "en", { name: new Date(0) })).toBeNull();
    expect(formatDirect(messages.a.rich, "en", { name: "x" })).toBeNull();
    expect(t.rich("rich", { name: "x", b: (c) => `[${String(c)}]` })).toEqual(base.rich("rich", { name: "x", b: (c) => `[${String(c)}]` }));
  });
});
