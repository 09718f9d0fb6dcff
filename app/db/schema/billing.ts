import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Local truth of what a customer has: trials (source 'trial') and Stripe subscriptions (source
 * 'stripe'). `external_id` is deterministic (`device-trial:<device>:<user>`, the Stripe sub id), so
 * re-applying the same fact upserts the same row. Rows are never deleted, only ended.
 */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    externalId: text("external_id").notNull(),
    source: text("source", { enum: ["trial", "stripe"] }).notNull(),
    userId: text("user_id").notNull(),
    deviceId: text("device_id"),
    sku: text("sku").notNull(),
    planCode: text("plan_code"),
    status: text("status", { enum: ["ACTIVE", "CANCELLED", "INACTIVE", "EXPIRED"] }).notNull(),
    stripeStatus: text("stripe_status"),
    stripeCustomerId: text("stripe_customer_id"),
    currentPeriodStart: integer("current_period_start"),
    currentPeriodEnd: integer("current_period_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    cancelAt: integer("cancel_at"),
    endedAt: integer("ended_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("subscriptions_external_unique").on(t.externalId),
    index("subscriptions_device_idx").on(t.deviceId, t.status),
    index("subscriptions_user_idx").on(t.userId, t.status),
  ],
);

/** What a subscription grants, e.g. cloud_playback quota 7 for one device until period end. */
export const entitlements = sqliteTable(
  "entitlements",
  {
    id: text("id").primaryKey(),
    externalId: text("external_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    source: text("source", { enum: ["trial", "stripe"] }).notNull(),
    userId: text("user_id").notNull(),
    deviceId: text("device_id"),
    key: text("key").notNull(),
    quota: integer("quota"),
    /** Product sku, or the voice tier code for key 'voice_tier'. */
    sku: text("sku").notNull(),
    status: text("status", { enum: ["ACTIVE", "EXPIRED", "CANCELLED"] }).notNull(),
    startsAt: integer("starts_at").notNull(),
    expiresAt: integer("expires_at"),
    endedAt: integer("ended_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("entitlements_external_unique").on(t.externalId),
    index("entitlements_device_idx").on(t.deviceId, t.key, t.status),
    index("entitlements_user_idx").on(t.userId, t.key, t.status),
    index("entitlements_expiry_idx").on(t.status, t.expiresAt),
  ],
);

export type Subscription = typeof subscriptions.$inferSelect;
export type Entitlement = typeof entitlements.$inferSelect;
