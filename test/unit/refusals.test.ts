import { describe, expect, it } from "vitest";
import { refuse } from "~/domain/result";
import { REFUSAL_AREAS, REFUSALS, refusalFacts, refusalMessage, refusalStatus } from "~/http/refusals";
import { parseInput } from "~/http/input.server";
import { ActivateInput } from "~/models/devices/inputs";

describe("the refusal table", () => {
  it("defines each code in exactly one area", () => {
    const seen = new Map<string, string>();
    for (const [area, table] of Object.entries(REFUSAL_AREAS)) {
      for (const code of Object.keys(table)) {
        expect(seen.get(code), `${code} is in ${seen.get(code)} and ${area}`).toBeUndefined();
        seen.set(code, area);
      }
    }
    expect(seen.size).toBe(Object.keys(REFUSALS).length);
  });
  it("maps every code to a 4xx/5xx status", () => {
    for (const [code, spec] of Object.entries(REFUSALS)) expect(spec.status, code).toBeGreaterThanOrEqual(400);
  });
  it("words a refusal from its facts and exposes only the listed ones", () => {
    const r = refuse("not_found", { subject: "device" as const, secret: "x" });
    expect(refusalStatus(r)).toBe(404);
    expect(refusalMessage(r)).toBe("No such device.");
    expect(refusalFacts(r)).toEqual({});
    const limited = refuse("rate_limited", { limit: "video" as const, retryAfterSeconds: 3 });
    expect(refusalStatus(limited)).toBe(429);
    expect(refusalFacts(limited)).toEqual({ retryAfterSeconds: 3 });
  });
});

describe("input parsing", () => {
  it("names each bad field in plain words, never zod's own text", () => {
    const r = parseInput(ActivateInput, { serial: "x", activationCode: "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([...new Set(r.issues.map((i) => i.field))].sort()).toEqual(["activationCode", "serial"]);
    expect(r.issues.find((i) => i.field === "serial")?.problem).toBe("Enter the serial number from the label, e.g. N4K-000001.");
    for (const i of r.issues) expect(i.problem).not.toMatch(/expected|Too small|Too big|Invalid input/);
    const missing = parseInput(ActivateInput, {});
    expect(missing.ok === false && missing.issues.map((i) => i.problem)).toEqual(["This is required.", "This is required."]);
  });
});
