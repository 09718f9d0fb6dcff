// The root sends each page only the catalogue areas app/i18n/areas.ts names for its URL (ADR 034).
// This reads every page route, the layouts above it and every module they import (not *.server.ts,
// which speak through translatorFor on the server), collects the areas their components name in
// useT("…"), and fails when a page's URL would not be sent one of them.
import { describe, expect, it } from "vitest";
import { areasFor, sameAreas } from "~/i18n/areas";

const sources = import.meta.glob(["../../app/**/*.tsx", "../../app/**/*.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const byPath = new Map(Object.entries(sources).map(([k, v]) => [k.replace(/^(\.\.\/)+/, ""), v])); // "app/routes/x.tsx"

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("~/") ? `app/${spec.slice(2)}` : spec.startsWith(".") ? new URL(spec, `file:///${from}`).pathname.slice(1) : null;
  if (!base) return null;
  for (const ext of ["", ".tsx", ".ts", "/index.ts", "/index.tsx"]) if (byPath.has(base + ext)) return base + ext;
  return null;
}

function areasUsed(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file) || file.startsWith("app/i18n/") || file.endsWith(".server.ts")) return out;
  seen.add(file);
  const src = byPath.get(file) ?? "";
  for (const m of src.matchAll(/useT\("(\w+)/g)) out.add(m[1]);
  for (const m of src.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)) {
    const dep = resolve(file, m[1]);
    if (dep) for (const a of areasUsed(dep, seen)) out.add(a);
  }
  return out;
}

/** A URL the route file answers (flat routes: dots are slashes, $param is a value, _index is the parent). */
function sampleUrl(id: string): string | null {
  const segments = id.split(".").filter((s) => s !== "_index");
  if (segments.includes("$")) return null; // the splat: its page is the root's 404
  return "/" + segments.map((s) => (s.startsWith("$") ? "x" : s)).join("/");
}

const pages = [...byPath.keys()].filter((f) => /^app\/routes\/[^/]+\.tsx$/.test(f) && /export default/.test(byPath.get(f)!));

describe("catalogue areas per page", () => {
  it("finds the pages (a parsing guard: the list can't silently be empty)", () => {
    expect(pages.length).toBeGreaterThan(15);
    expect([...areasUsed("app/routes/account.devices.$id.tsx")]).toEqual(expect.arrayContaining(["devices", "watch", "events", "services"]));
  });

  for (const file of pages) {
    const id = file.slice("app/routes/".length, -".tsx".length);
    const url = sampleUrl(id);
    if (url === null) continue;
    it(`${url} (${id}) is sent every area its page and layouts use`, () => {
      const segments = id.split(".");
      const layouts = segments
        .slice(0, -1)
        .map((_, i) => `app/routes/${segments.slice(0, i + 1).join(".")}.tsx`)
        .filter((f) => byPath.has(f));
      const used = new Set(["common", ...areasUsed("app/root.tsx")]);
      for (const f of [...layouts, file]) for (const a of areasUsed(f)) used.add(a);
      const sent = areasFor(url);
      expect([...used].filter((a) => !sent.includes(a as never)).sort(), `areas ${url} uses but isn't sent`).toEqual([]);
    });
  }

  it("a navigation between pages of different areas reloads the root's messages; within one page's areas it doesn't", () => {
    expect(sameAreas("/store", "/store/nexa-prime-4k")).toBe(true);
    expect(sameAreas("/account/devices/abc", "/account/devices/def")).toBe(true);
    expect(sameAreas("/account/devices", "/account/devices/abc")).toBe(false); // the players and timeline
    expect(sameAreas("/store", "/account/devices")).toBe(false);
    expect(sameAreas("/account/devices", "/account/services")).toBe(false);
  });
});
