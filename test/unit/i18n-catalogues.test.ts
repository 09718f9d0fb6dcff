// Every language's catalogue has exactly the English keys, every message parses as ICU with the
// same arguments, and every key that code names (t("…") under useT/translatorFor) exists (ADR 028).
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { CATALOGUES } from "~/i18n/catalogues";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) names.add(m[1]);
  return [...names].sort();
}

const en = leaves(CATALOGUES.en as unknown as Tree);

describe("message catalogues", () => {
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    const other = leaves(catalogue as unknown as Tree);
    it(`${lang} has exactly the English keys`, () => {
      expect(
        [...other.keys()].filter((k) => !en.has(k)),
        "keys only in " + lang,
      ).toEqual([]);
      expect(
        [...en.keys()].filter((k) => !other.has(k)),
        "keys missing from " + lang,
      ).toEqual([]);
    });
    it(`${lang} messages parse and take the English arguments`, () => {
      for (const [key, message] of other) {
        expect(() => new IntlMessageFormat(message, lang), `${lang}:${key}`).not.toThrow();
        expect(message.trim(), `${lang}:${key} is empty`).not.toBe("");
        expect(argumentsOf(message), `${lang}:${key}`).toEqual(argumentsOf(en.get(key)!));
      }
    });
  }

  it("zh-CN is translated (no message identical to English with two English words)", () => {
    const zh = leaves(CATALOGUES["zh-CN"] as unknown as Tree);
    const untranslated = [...zh].filter(([k, v]) => v === en.get(k) && /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(v.replace(/AOVIS Edge|\{[^}]*\}/g, "")));
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });

  // Types already refuse an unknown key in t("…"); this also catches a namespace typed loosely.
  it("every key used in code exists", () => {
    const sources = import.meta.glob(["../../app/**/*.tsx", "../../app/**/*.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    const missing: string[] = [];
    for (const [file, src] of Object.entries(sources)) {
      if (file.includes("/app/i18n/")) continue; // its doc comments show examples
      // const t = useT("ns") / translatorFor(x, "ns"), then t("key") / t.rich("key") in the same file.
      // A binding covers the source up to the next binding of the same name (one per component).
      const bindings = [...src.matchAll(/const (\w+) = (?:useT|translatorFor)\((?:[^,()]+,\s*)?"([\w.]+)"\)/g)];
      bindings.forEach((b, i) => {
        const [, name, ns] = b;
        const next = bindings.slice(i + 1).find((o) => o[1] === name);
        const scope = src.slice(b.index, next?.index ?? src.length);
        for (const m of scope.matchAll(new RegExp(`\\b${name}(?:\\.rich|\\.markup|\\.raw|\\.has)?\\("([\\w.]+)"`, "g"))) {
          const full = `${ns}.${m[1]}`;
          if (!en.has(full) && ![...en.keys()].some((k) => k.startsWith(full + "."))) missing.push(`${file}: ${full}`);
        }
      });
    }
    expect(missing).toEqual([]);
  });
});
