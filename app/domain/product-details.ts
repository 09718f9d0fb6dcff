/**
 * What a product page tells a buyer beyond the catalogue row (app/domain/plans.ts stays the one source
 * of names, prices and what a plan grants): the picture, which spec rows and box contents a camera
 * has, and the free trial's terms (ADR 029). Pure and static, like the catalogue. The words (alt
 * text, spec values, what is in the box, shipping and returns) are the store catalogue's, per
 * language (app/i18n/<lang>/store.ts, keyed by the codes here; ADR 028).
 */
import { CLOUD_TRIAL, type ProductKind } from "./plans";

/** The key of an illustration's alt text (store catalogue `imageAlt.<key>`). */
export type ImageKey = "nexaPrime4k" | "nexaMini2k" | "simData" | "cloudPlan" | "voiceStudio";

export interface ProductImage {
  /** Served from public/ by Workers Assets (never part of the Worker bundle). */
  src: string;
  altKey: ImageKey;
}

/** A spec table row (store catalogue `specLabel.<code>`, its value `products.<sku>.specs.<code>`). */
export type SpecCode =
  "video" | "fieldOfView" | "nightVision" | "audio" | "privacy" | "connectivity" | "localStorage" | "weatherRating" | "use" | "power" | "size" | "warranty";

export interface HardwareDetails {
  /** The rows, in the order the table shows them. */
  specs: readonly SpecCode[];
  /** What is in the box, in order (store catalogue `products.<sku>.box.<code>`). */
  inTheBox: readonly string[];
}

/** Our own illustrations, one per camera model (drawn for us; public/images/products). */
const IMAGES: Readonly<Record<string, ProductImage>> = {
  "nexa-prime-4k": { src: "/images/products/nexa-prime-4k.svg", altKey: "nexaPrime4k" },
  "nexa-mini-2k": { src: "/images/products/nexa-mini-2k.svg", altKey: "nexaMini2k" },
  "aovis-sim-data-5gb": { src: "/images/products/sim-data.svg", altKey: "simData" },
};

const KIND_IMAGES: Partial<Record<ProductKind, ProductImage>> = {
  cloud_plan: { src: "/images/products/cloud-plan.svg", altKey: "cloudPlan" },
  voice_tier: { src: "/images/products/voice-studio.svg", altKey: "voiceStudio" },
};

/** The product page's picture: the product's own, else its kind's. */
export function productImage(p: { sku: string; kind: ProductKind }): ProductImage | null {
  return IMAGES[p.sku] ?? KIND_IMAGES[p.kind] ?? null;
}

/** A card's picture: only a product's own (four identical clouds in a row say nothing). */
export function cardImage(p: { sku: string }): ProductImage | null {
  return IMAGES[p.sku] ?? null;
}

/** The free trial's numbers, for the sentence that tells them ("30 days free, 24 hours of cloud history"). */
export const TRIAL_TERMS = {
  freeDays: CLOUD_TRIAL.durationDays,
  historyDays: CLOUD_TRIAL.grants.find((g) => g.key === "cloud_playback")?.quota ?? 0,
} as const;

export const HARDWARE_DETAILS: Readonly<Record<string, HardwareDetails>> = {
  "nexa-prime-4k": {
    specs: ["video", "fieldOfView", "nightVision", "audio", "connectivity", "localStorage", "weatherRating", "power", "size", "warranty"],
    inTheBox: ["camera", "mount", "power", "cableCover", "guide"],
  },
  "nexa-mini-2k": {
    specs: ["video", "fieldOfView", "nightVision", "audio", "privacy", "connectivity", "localStorage", "use", "power", "size", "warranty"],
    inTheBox: ["camera", "power", "mount", "guide"],
  },
};

export function hardwareDetails(sku: string): HardwareDetails | null {
  return HARDWARE_DETAILS[sku] ?? null;
}

/** The shipping and returns lines on a physical product (ADR 029): the warranty only on cameras. */
export function shippingLines(kind: ProductKind): readonly ("shipping" | "returns" | "warranty")[] {
  return kind === "hardware" ? ["shipping", "returns", "warranty"] : kind === "sim_plan" ? ["shipping", "returns"] : [];
}
