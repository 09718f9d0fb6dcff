/**
 * What a product page tells a buyer beyond the catalogue row (app/domain/plans.ts stays the one source
 * of names, prices and what a plan grants): the picture, the spec sheet, what is in the box, and the
 * shipping and returns promise (ADR 029). Pure and static, like the catalogue.
 */
import { trialSummary } from "./plan-comparison";
import { CLOUD_TRIAL, type ProductKind } from "./plans";

export interface ProductImage {
  /** Served from public/ by Workers Assets (never part of the Worker bundle). */
  src: string;
  alt: string;
}

export interface HardwareDetails {
  specs: readonly (readonly [label: string, value: string])[];
  inTheBox: readonly string[];
}

/** Our own illustrations, one per camera model (drawn for us; public/images/products). */
const IMAGES: Readonly<Record<string, ProductImage>> = {
  "nexa-prime-4k": {
    src: "/images/products/nexa-prime-4k.svg",
    alt: "NEXA Prime 4K: a white outdoor bullet camera on a wall mount, with a large lens, a night-vision ring and an LTE antenna",
  },
  "nexa-mini-2k": {
    src: "/images/products/nexa-mini-2k.svg",
    alt: "NEXA Mini 2K: a compact rounded indoor camera on a small stand, with a sliding privacy shutter beside the lens",
  },
  "aovis-sim-data-5gb": { src: "/images/products/sim-data.svg", alt: "An AOVIS nano SIM card with gold contacts and LTE signal bars" },
};

const KIND_IMAGES: Partial<Record<ProductKind, ProductImage>> = {
  cloud_plan: { src: "/images/products/cloud-plan.svg", alt: "A cloud holding recorded video clips above a timeline" },
  voice_tier: { src: "/images/products/voice-studio.svg", alt: "A studio microphone beside a sound wave" },
};

/** The product page's picture: the product's own, else its kind's. */
export function productImage(p: { sku: string; kind: ProductKind }): ProductImage | null {
  return IMAGES[p.sku] ?? KIND_IMAGES[p.kind] ?? null;
}

/** A card's picture: only a product's own (four identical clouds in a row say nothing). */
export function cardImage(p: { sku: string }): ProductImage | null {
  return IMAGES[p.sku] ?? null;
}

const trialLine = `${CLOUD_TRIAL.name}: ${trialSummary()}, from the camera's first activation`;

export const HARDWARE_DETAILS: Readonly<Record<string, HardwareDetails>> = {
  "nexa-prime-4k": {
    specs: [
      ["Video", "4K (3840 × 2160) HDR, 25 fps"],
      ["Field of view", "130° diagonal"],
      ["Night vision", "Colour, with spotlight; infrared up to 30 m"],
      ["Audio", "Two-way, noise-cancelling microphone and speaker"],
      ["Connectivity", "Wi-Fi 6 (2.4 / 5 GHz), LTE nano SIM slot"],
      ["Local storage", "microSD up to 256 GB"],
      ["Weather rating", "IP66, −20 °C to 50 °C"],
      ["Power", "12 V DC or PoE (802.3af)"],
      ["Size and weight", "186 × 74 × 72 mm, 420 g"],
      ["Warranty", "2 years"],
    ],
    inTheBox: [
      "NEXA Prime 4K camera",
      "Wall mount and screws",
      "12 V power adapter with 5 m cable",
      "Waterproof cable cover",
      "Quick-start guide with your activation code",
    ],
  },
  "nexa-mini-2k": {
    specs: [
      ["Video", "2K (2560 × 1440), 25 fps"],
      ["Field of view", "110° diagonal"],
      ["Night vision", "Infrared up to 8 m"],
      ["Audio", "Two-way, microphone and speaker"],
      ["Privacy", "Sliding lens shutter"],
      ["Connectivity", "Wi-Fi (2.4 GHz)"],
      ["Local storage", "microSD up to 128 GB"],
      ["Use", "Indoor, 0 °C to 40 °C"],
      ["Power", "USB-C, 5 V"],
      ["Size and weight", "62 × 48 × 98 mm on its stand, 140 g"],
      ["Warranty", "2 years"],
    ],
    inTheBox: ["NEXA Mini 2K camera with stand", "USB-C cable (2 m) and power adapter", "Wall plate and screws", "Quick-start guide with your activation code"],
  },
};

export function hardwareDetails(sku: string): (HardwareDetails & { trial: string }) | null {
  const d = HARDWARE_DETAILS[sku];
  return d ? { ...d, trial: trialLine } : null;
}

/** The shipping and returns promise on every physical product (ADR 029). */
export const SHIPPING_AND_RETURNS = {
  shipping: "Free standard shipping; ships within 2 business days, tracked.",
  returns: "30-day returns: send it back unused or used, in its box, for a full refund.",
  warranty: "2-year warranty on every NEXA camera.",
} as const;
