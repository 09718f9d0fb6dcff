import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What the store shows. Rows are upserted from `app/domain/plans.ts` by the seed, so the domain
 * module stays the one source of truth and the store reads D1 at the edge.
 */
export const products = sqliteTable("products", {
  sku: text("sku").primaryKey(),
  kind: text("kind", { enum: ["hardware", "sim_plan", "cloud_plan", "voice_tier", "trial"] }).notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  priceCents: integer("price_cents").notNull(),
  currency: text("currency").notNull(),
  billingInterval: text("billing_interval", { enum: ["month"] }),
  /** JSON array of feature sentences. */
  featuresJson: text("features_json").notNull(),
  listed: integer("listed", { mode: "boolean" }).notNull(),
  sortOrder: integer("sort_order").notNull(),
});

export type Product = typeof products.$inferSelect;
