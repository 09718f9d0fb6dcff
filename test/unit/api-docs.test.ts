// docs/api.md documents every API route: each app/routes/api.*.tsx file has its `### /api/…`
// heading, and every heading there has its file (issue 15).
import { describe, expect, it } from "vitest";
import apiDoc from "../../docs/api.md?raw";

const routeFiles = Object.keys(import.meta.glob("../../app/routes/api.*.tsx")).map((p) => p.split("/").pop()!);

/** Remix's flat route file name as the URL path it serves: api.devices.$id.clip.tsx → /api/devices/:id/clip. */
function routePath(file: string): string {
  const segments = file
    .replace(/\.tsx$/, "")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s));
  return `/${segments.join("/")}`;
}

const documented = [...apiDoc.matchAll(/^### (\/api\/\S*)$/gm)].map((m) => m[1]);

describe("docs/api.md", () => {
  it("finds the route files", () => {
    expect(routeFiles.length).toBeGreaterThan(30);
    expect(routePath("api.devices.$id.clip.tsx")).toBe("/api/devices/:id/clip");
    expect(routePath("api.recordings._index.tsx")).toBe("/api/recordings");
  });

  it("lists every api.* route file, and no route without one", () => {
    const paths = routeFiles.map(routePath).sort();
    expect(
      paths.filter((p) => !documented.includes(p)),
      "routes missing from docs/api.md",
    ).toEqual([]);
    expect(
      documented.filter((p) => !paths.includes(p)),
      "documented routes without a file",
    ).toEqual([]);
    expect(new Set(documented).size, "a route documented twice").toBe(documented.length);
  });

  it("says for each route its method and auth, and names its errors by code", () => {
    const sections = apiDoc.split(/^### /m).slice(1);
    for (const section of sections) {
      const [heading, ...body] = section.split("\n");
      const text = body.join("\n");
      if (/^The same route as/m.test(text.trim())) continue;
      expect(text, heading).toMatch(/`(GET|POST|PUT|PATCH|DELETE)`/);
      expect(text, heading).toMatch(/· (public|session|Stripe's signature|the AWS IoT rule's token|Cloudflare Access \(staff\))/);
    }
  });
});
