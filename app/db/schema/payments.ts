import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per Stripe event we have processed (ADR 008). The row is written in the same db.batch
 * as the event's effects, so "recorded" means "applied": a failed attempt leaves no row and
 * Stripe's retry runs it again; a repeat of a recorded id is a no-op. Times are Unix ms.
 */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    /** evt_… */
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** The subscription / checkout session / invoice the event was about, for support. */
    objectId: text("object_id"),
    /** What processing did: applied a subscription, recorded an order, or ignored the type. */
    outcome: text("outcome", { enum: ["subscription_applied", "order_recorded", "ignored"] }).notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  (t) => [index("stripe_events_received_idx").on(t.receivedAt)],
);

/**
 * A hardware or SIM purchase (Checkout `mode: payment`), written from the webhook (or the success
 * page) from the re-read Checkout Session. One row per session: the unique index makes a repeat
 * an upsert of the same row.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    checkoutSessionId: text("checkout_session_id").notNull(),
    userId: text("user_id").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    /** Minor units, as Stripe charged it. */
    amountTotal: integer("amount_total").notNull(),
    currency: text("currency").notNull(),
    /** PENDING_PAYMENT: completed with a delayed payment method, not yet paid. */
    status: text("status", { enum: ["PENDING_PAYMENT", "PAID"] }).notNull(),
    stripeCustomerId: text("stripe_customer_id"),
    paymentIntentId: text("payment_intent_id"),
    shippingName: text("shipping_name"),
    /** JSON {line1, line2, city, state, postal_code, country} from collected_information. */
    shippingAddressJson: text("shipping_address_json"),
    /** The charge's Stripe-hosted receipt (Charge.receipt_url via the PaymentIntent's latest_charge); null until paid. */
    receiptUrl: text("receipt_url"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("orders_checkout_session_unique").on(t.checkoutSessionId), index("orders_user_idx").on(t.userId, t.createdAt)],
);

export type StripeEventRow = typeof stripeEvents.$inferSelect;
export type Order = typeof orders.$inferSelect;
