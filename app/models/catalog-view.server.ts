/**
 * The store's reads for a page: D1's catalogue rows in the served language with their pictures, a
 * camera's spec sheet, and the signed-in customer's plan marks. Words come from the store catalogue
 * (ADR 028): a product's description and features by sku, the row's own (English) text for a sku
 * the catalogue doesn't know yet.
 */
import type { Language } from "~/domain/language";
import { cameraLabel } from "~/domain/camera-name";
import { currentPlanMarks, type ComparedPlanCode } from "~/domain/plan-comparison";
import { cardImage, hardwareDetails, productImage, type ProductImage } from "~/domain/product-details";
import { CATALOGUES } from "~/i18n/catalogues";
import { translatorFor } from "~/i18n/i18n.server";
import type { Deps } from "./deps.server";
import { listMyDevices } from "./devices/reads.server";
import type { StoreProduct } from "./catalog.server";

/** A picture as a page shows it: its alt text in the served language. */
export interface ShownImage {
  src: string;
  alt: string;
}

interface ProductWords {
  /** Only where the name is an ordinary word ("Local"); brand names stay as D1 has them. */
  name?: string;
  description: string;
  features: Record<string, string>;
  specs?: Record<string, string>;
  box?: Record<string, string>;
}

function wordsOf(sku: string, language: Language): ProductWords | null {
  const products: Record<string, ProductWords> = CATALOGUES[language].store.products;
  return Object.hasOwn(products, sku) ? products[sku] : null;
}

function shown(image: ProductImage | null, language: Language): ShownImage | null {
  if (!image) return null;
  const t = translatorFor(language, "store");
  return { src: image.src, alt: t(`imageAlt.${image.altKey}`) };
}

/** The row with its description and features in `language`. */
export function localized<P extends StoreProduct>(p: P, language: Language): P {
  const words = wordsOf(p.sku, language);
  return words ? { ...p, name: words.name ?? p.name, description: words.description, features: Object.values(words.features) } : p;
}

/** A card: the row in `language` and its own picture. */
export const withImage =
  (language: Language) =>
  <P extends StoreProduct>(p: P) => ({ ...localized(p, language), image: shown(cardImage(p), language) });

/** A product page's picture (the product's own, else its kind's). */
export const pageImage = (p: StoreProduct, language: Language) => shown(productImage(p), language);

/** A camera's spec rows ([label, value]) and box contents in `language`; null for anything else. */
export function specSheet(sku: string, language: Language): { specs: [string, string][]; inTheBox: string[] } | null {
  const d = hardwareDetails(sku);
  const words = wordsOf(sku, language);
  if (!d || !words?.specs || !words.box) return null;
  const t = translatorFor(language, "store");
  const { specs, box } = words;
  return {
    specs: d.specs.filter((code) => Object.hasOwn(specs, code)).map((code) => [t(`specLabel.${code}`), specs[code]]),
    inTheBox: d.inTheBox.filter((code) => Object.hasOwn(box, code)).map((code) => box[code]),
  };
}

/** Which compared plans this customer's cameras are on (nothing for a visitor). */
export async function myPlanMarks(deps: Deps, userId: string | null, now = Date.now()): Promise<Partial<Record<ComparedPlanCode, string[]>>> {
  if (!userId) return {};
  const devices = await listMyDevices(deps, userId, now);
  return currentPlanMarks(devices.map((d) => ({ label: cameraLabel(d), planCode: d.plan.code })));
}
