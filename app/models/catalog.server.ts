import { and, asc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { products, type Product } from "~/db/schema";
import { canonicalSku } from "~/domain/plans";

export interface StoreProduct {
  sku: string;
  kind: Product["kind"];
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  interval: "month" | null;
  features: string[];
}

function toStoreProduct(p: Product): StoreProduct {
  let features: string[] = [];
  try {
    const parsed: unknown = JSON.parse(p.featuresJson);
    if (Array.isArray(parsed)) features = parsed.map(String);
  } catch {
    features = [];
  }
  return {
    sku: p.sku,
    kind: p.kind,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    interval: p.billingInterval ?? null,
    features,
  };
}

export async function listStoreProducts(db: Db): Promise<StoreProduct[]> {
  const rows = await db.select().from(products).where(eq(products.listed, true)).orderBy(asc(products.sortOrder));
  return rows.map(toStoreProduct);
}

export async function getStoreProduct(db: Db, sku: string): Promise<StoreProduct | null> {
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.sku, canonicalSku(sku)), eq(products.listed, true)))
    .limit(1);
  return row ? toStoreProduct(row) : null;
}
