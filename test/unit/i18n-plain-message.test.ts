// useT fills `{name}` messages itself (app/i18n/plain-message.ts, ADR 035): for every message of
// every catalogue it takes, the result must be exactly use-intl's, whatever the values; every
// other message must be left to use-intl.
import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { CATALOGUES } from "~/i18n/catalogues";
import { fillPlain, plainParts, withPlainMessages } from "~/i18n/plain-message";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === "string" ? [[key, v] as [string, string]] : leaves(v, key);
  });
}

const holes = (message: string) => [...message.matchAll(/\{\s*([A-Za-z_$][\w$]*)\s*\}/g)].map((m) => m[1]);

describe("plain messages", () => {
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    it(`${lang}: every message the fast path takes comes out as use-intl's, for text and numbers`, () => {
      const intl = createTranslator({ locale: lang as "en", messages: catalogue, onError: () => undefined });
      let taken = 0;
      for (const [key, message] of leaves(catalogue as unknown as Tree)) {
        const parts = plainParts(message);
        if (!parts) continue;
        taken++;
        for (const sample of [(n: string) => `‹${n}›`, () => "it's {not} <b>ICU</b> #1", () => 0, () => 1234.5, () => -2]) {
          const values = Object.fromEntries(holes(message).map((n) => [n, sample(n)]));
          expect(fillPlain(parts, values), `${lang}:${key}`).toBe(intl(key as never, values as never));
        }
      }
      expect(taken).toBeGreaterThan(100); // most messages with values are plain
    });
  }

  it("leaves ICU syntax to use-intl: plurals, selects, tags, quoting apostrophes and #", () => {
    for (const m of [
      "{n, plural, one {# day} other {# days}}",
      "{sim, select, yes {with} other {}}",
      "<b>{camera}</b> is ready",
      "'{quoted}' stays as written",
      "it''s",
      "room #{n}",
      "{ unbalanced",
    ])
      expect(plainParts(m), m).toBeNull();
    // An apostrophe before a letter is text in ICU.
    expect(plainParts("the camera's {name}")).toEqual(["the camera's ", { arg: "name" }]);
  });

  it("hands use-intl what it cannot fill itself: a missing value, a React node, a date, formats", () => {
    const messages = { a: { hello: "Hello {name}", count: "{n, plural, one {# cat} other {# cats}}" } };
    const base = createTranslator({ locale: "en", messages, namespace: "a", onError: () => undefined });
    const t = withPlainMessages(base, messages.a) as unknown as (k: string, v?: Record<string, unknown>) => string;
    expect(t("hello", { name: "Ada" })).toBe("Hello Ada");
    expect(t("count", { n: 2 })).toBe("2 cats");
    expect(t("hello", {})).toBe("a.hello"); // use-intl's fallback for a missing value: the key
    expect(t("hello", { name: new Date(0) })).toBe(base("hello", { name: new Date(0) } as never));
    expect(t("hello")).toBe(base("hello"));
  });
});
