import { describe, expect, it } from "vitest";
import { CLOUD_PLANS, HARDWARE, SIM_PLANS } from "~/domain/plans";
import { cardImage, hardwareDetails, productImage } from "~/domain/product-details";

describe("product details", () => {
  it("every camera and SIM plan has its own picture with alt text naming it; plans share their kind's", () => {
    for (const p of [...HARDWARE, ...SIM_PLANS]) {
      const img = cardImage(p);
      expect(img?.src, p.sku).toMatch(/^\/images\/products\/[a-z0-9-]+\.svg$/);
      expect(img!.alt.length, p.sku).toBeGreaterThan(30);
      expect(productImage(p)).toEqual(img);
    }
    expect(HARDWARE.every((p) => cardImage(p)!.alt.startsWith(`${p.name}:`))).toBe(true);
    for (const p of CLOUD_PLANS) {
      expect(cardImage(p)).toBeNull();
      expect(productImage(p)?.src).toBe("/images/products/cloud-plan.svg");
    }
  });

  it("every camera has a spec table, what is in the box, and the trial told from the catalogue", () => {
    for (const p of HARDWARE) {
      const d = hardwareDetails(p.sku)!;
      expect(d.specs.length, p.sku).toBeGreaterThanOrEqual(8);
      expect(d.specs.map(([label]) => label)).toContain("Warranty");
      expect(d.inTheBox[0]).toContain(p.name);
      expect(d.trial).toBe("Free trial: 30 days free, 24 hours of cloud history, from the camera's first activation");
    }
    expect(hardwareDetails("aovis-sim-data-5gb")).toBeNull();
  });
});
