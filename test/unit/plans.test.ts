import { describe, expect, it } from "vitest";
import {
  allCatalogProducts,
  canonicalSku,
  CLOUD_PLANS,
  CLOUD_TRIAL,
  cloudPlanByCode,
  cloudPlanBySku,
  LEGACY_SKU_ALIASES,
  PRICE_VARIABLE_ALIASES,
  productBySku,
  stripePriceKeys,
  VOICE_PRESETS,
  VOICE_TIERS,
  voiceTierByCode,
} from "~/domain/plans";

describe("cloud plans", () => {
  it("prices and history windows match the product sheet", () => {
    expect(CLOUD_PLANS.map((p) => [p.code, p.priceCents, p.historyDays, p.interval])).toEqual([
      ["local", 0, 0, null],
      ["starter", 199, 1, "month"],
      ["standard", 499, 7, "month"],
      ["premium", 999, 30, "month"],
    ]);
  });

  it("local is never purchasable and grants nothing; every paid plan grants playback, summaries and search", () => {
    const local = cloudPlanByCode("local")!;
    expect(local.purchasable).toBe(false);
    expect(local.stripePriceKey).toBeNull();
    expect(local.grants).toEqual([]);
    for (const p of CLOUD_PLANS.filter((p) => p.code !== "local")) {
      expect(p.purchasable).toBe(true);
      expect(p.stripePriceKey).toMatch(/^STRIPE_PRICE_/);
      expect(p.grants).toEqual([
        { key: "cloud_playback", quota: p.historyDays },
        { key: "ai_summary", quota: null },
        { key: "smart_search", quota: null },
      ]);
    }
  });

  it("the trial grants one day of playback for 30 days and is not listed", () => {
    expect(CLOUD_TRIAL.sku).toBe("aovis-daily-backup-starter-trial");
    expect(CLOUD_TRIAL.durationDays).toBe(30);
    expect(CLOUD_TRIAL.grants).toEqual([{ key: "cloud_playback", quota: 1 }]);
    expect(CLOUD_TRIAL.listed).toBe(false);
  });
});

describe("voice tiers", () => {
  it("prices, quotas and flags match the product sheet", () => {
    expect(VOICE_TIERS.map((t) => [t.code, t.priceCents, t.monthlyGenerations, t.slidersUnlocked, t.customPresets])).toEqual([
      ["FREE", 0, 10, false, false],
      ["BASIC", 999, 100, false, false],
      ["PREMIUM", 2999, null, true, true],
    ]);
  });

  it("Free has 3–5 presets, Basic 10+, Premium all of them, each a subset of the system presets", () => {
    const ids = new Set(VOICE_PRESETS.map((p) => p.id));
    const free = voiceTierByCode("FREE")!.presetIds;
    const basic = voiceTierByCode("BASIC")!.presetIds;
    const premium = voiceTierByCode("PREMIUM")!.presetIds;
    expect(free.length).toBeGreaterThanOrEqual(3);
    expect(free.length).toBeLessThanOrEqual(5);
    expect(basic.length).toBeGreaterThanOrEqual(10);
    expect([...premium].sort()).toEqual([...ids].sort());
    for (const id of [...free, ...basic]) expect(ids.has(id)).toBe(true);
    expect(free.every((id) => basic.includes(id))).toBe(true);
  });
});

describe("catalogue", () => {
  it("has unique SKUs, a NEXA camera and a SIM data plan", () => {
    const all = allCatalogProducts();
    expect(new Set(all.map((p) => p.sku)).size).toBe(all.length);
    expect(all.some((p) => p.kind === "hardware" && p.name.startsWith("NEXA"))).toBe(true);
    expect(all.some((p) => p.kind === "sim_plan")).toBe(true);
  });

  it("every product sold through Stripe names a config key, never a price id", () => {
    const keys = stripePriceKeys();
    expect(keys.length).toBe(new Set(keys).size);
    for (const k of keys) expect(k).toMatch(/^STRIPE_PRICE_[A-Z0-9_]+$/);
    for (const p of allCatalogProducts()) expect(JSON.stringify(p)).not.toMatch(/"price_/);
  });
});

// ADR 021: the existing deployment's names.
describe("legacy names", () => {
  it("the cloud plans carry the deployment's skus; the old ones resolve to the same plans", () => {
    expect(CLOUD_PLANS.filter((p) => p.purchasable).map((p) => p.sku)).toEqual([
      "aovis-cloud-storage-starter",
      "aovis-cloud-storage-standard",
      "aovis-cloud-storage-premium",
    ]);
    expect(CLOUD_TRIAL.sku).toBe("aovis-daily-backup-starter-trial");
    for (const [old, now] of Object.entries(LEGACY_SKU_ALIASES)) {
      expect(cloudPlanBySku(old)).toBe(cloudPlanBySku(now));
      expect(productBySku(old)?.sku).toBe(now);
    }
    expect(canonicalSku("nexa-prime-4k")).toBe("nexa-prime-4k");
  });

  it("every aliased price variable is one of the catalogue's price keys, and no name is used twice", () => {
    const keys = stripePriceKeys();
    for (const [ours, theirs] of Object.entries(PRICE_VARIABLE_ALIASES)) {
      expect(keys).toContain(ours);
      expect(keys).not.toContain(theirs);
    }
    expect(new Set(Object.values(PRICE_VARIABLE_ALIASES)).size).toBe(Object.keys(PRICE_VARIABLE_ALIASES).length);
  });
});
