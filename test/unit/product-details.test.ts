import { describe, expect, it } from "vitest";
import { CLOUD_PLANS, HARDWARE, SIM_PLANS } from "~/domain/plans";
import { cardImage, hardwareDetails, productImage, shippingLines, TRIAL_TERMS } from "~/domain/product-details";
import { CATALOGUES } from "~/i18n/catalogues";

describe("product details", () => {
  it("every camera and SIM plan has its own picture with alt text naming it, in every language; plans share their kind's", () => {
    for (const p of [...HARDWARE, ...SIM_PLANS]) {
      const img = cardImage(p);
      expect(img?.src, p.sku).toMatch(/^\/images\/products\/[a-z0-9-]+\.svg$/);
      for (const c of Object.values(CATALOGUES)) expect(c.store.imageAlt[img!.altKey].length, p.sku).toBeGreaterThan(20);
      expect(productImage(p)).toEqual(img);
    }
    for (const c of Object.values(CATALOGUES))
      expect(
        HARDWARE.every(
          (p) => c.store.imageAlt[cardImage(p)!.altKey].startsWith(`${p.name}：`) || c.store.imageAlt[cardImage(p)!.altKey].startsWith(`${p.name}:`),
        ),
      ).toBe(true);
    for (const p of CLOUD_PLANS) {
      expect(cardImage(p)).toBeNull();
      expect(productImage(p)?.src).toBe("/images/products/cloud-plan.svg");
    }
  });

  it("every camera has a spec table and what is in the box, with words for every row in every language", () => {
    for (const p of HARDWARE) {
      const d = hardwareDetails(p.sku)!;
      expect(d.specs.length, p.sku).toBeGreaterThanOrEqual(8);
      expect(d.specs).toContain("warranty");
      for (const [lang, c] of Object.entries(CATALOGUES)) {
        const words = c.store.products[p.sku as keyof typeof c.store.products] as { specs?: Record<string, string>; box?: Record<string, string> };
        expect(Object.keys(words.specs ?? {}), `${lang} ${p.sku}`).toEqual([...d.specs]);
        expect(Object.keys(words.box ?? {}), `${lang} ${p.sku}`).toEqual([...d.inTheBox]);
        expect(words.box![d.inTheBox[0]]).toContain(p.name);
      }
    }
    expect(hardwareDetails("aovis-sim-data-5gb")).toBeNull();
  });

  it("the trial is told from the catalogue's numbers; shipping lines only on physical products, the warranty on cameras", () => {
    expect(TRIAL_TERMS).toEqual({ freeDays: 30, historyDays: 1 });
    expect(shippingLines("hardware")).toEqual(["shipping", "returns", "warranty"]);
    expect(shippingLines("sim_plan")).toEqual(["shipping", "returns"]);
    expect(shippingLines("cloud_plan")).toEqual([]);
  });

  it("the English product words are the catalogue's (what D1 is seeded with), for every listed product, and every language has them", async () => {
    const { allCatalogProducts } = await import("~/domain/plans");
    const listed = allCatalogProducts().filter((p) => p.listed);
    for (const [lang, c] of Object.entries(CATALOGUES)) expect(Object.keys(c.store.products).sort(), lang).toEqual(listed.map((p) => p.sku).sort());
    for (const p of listed) {
      const words = CATALOGUES.en.store.products[p.sku as keyof typeof CATALOGUES.en.store.products];
      expect(words.description, p.sku).toBe(p.description);
      expect(Object.values(words.features), p.sku).toEqual(p.features);
      expect(Object.keys(CATALOGUES["zh-CN"].store.products[p.sku as keyof typeof CATALOGUES.en.store.products].features)).toEqual(Object.keys(words.features));
    }
  });
});
