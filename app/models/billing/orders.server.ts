/** Hardware and SIM orders: what a completed payment-mode Checkout Session records. */
import { desc, eq, sql } from "drizzle-orm";
import type { Stmt } from "~/db/d1.server";
import { orders, type Order } from "~/db/schema";
import { CHECKOUT_TYPES } from "~/domain/checkout-policy";
import { productBySku } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import type { Stripe } from "~/lib/stripe.server";
import { auditInsert } from "../audit.server";
import type { Deps } from "../deps.server";
import { duplicate, eventRow, recordIgnored, runEventBatch, type ApplySource, type Duplicate, type Ignored } from "./event-record.server";

export type OrderRecorded = { ok: true; outcome: "order_recorded"; orderStatus: Order["status"]; sku: string };

/** A completed product checkout without the metadata we put on it: nothing is written, Stripe retries. */
export type OrderRefusal = Refusal<"order_metadata_missing", { sessionId: string }>;

export type OrderResult = OrderRecorded | Ignored | Duplicate | OrderRefusal;

const idOf = (ref: string | { id: string } | null | undefined): string | null => (typeof ref === "string" ? ref : (ref?.id ?? null));

/** Expand this when re-reading a session, so its charge's receipt is in it (Charge.receipt_url). */
export const ORDER_SESSION_EXPAND = ["payment_intent.latest_charge"];

/** The Stripe-hosted receipt of the session's charge, when the session was read with ORDER_SESSION_EXPAND. */
function receiptUrlOf(session: Stripe.Checkout.Session): string | null {
  const pi = session.payment_intent;
  const charge = pi && typeof pi === "object" ? pi.latest_charge : null;
  const url = charge && typeof charge === "object" ? charge.receipt_url : null;
  // Only a web link is ever shown as one.
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
}

/**
 * Records (upserts) the order of a completed payment-mode Checkout Session, re-read from Stripe.
 * Unique per session; a PAID order never goes back to pending.
 */
export async function recordOrder({ db }: Deps, session: Stripe.Checkout.Session, source: ApplySource, now = Date.now()): Promise<OrderResult> {
  const md = session.metadata ?? {};
  if (session.mode !== "payment" || md.checkoutType !== CHECKOUT_TYPES.product) return recordIgnored(db, source, "not_a_product_checkout", session.id, now);
  if (session.status !== "complete") return recordIgnored(db, source, `session_${session.status ?? "unknown"}`, session.id, now);
  const product = md.sku ? productBySku(md.sku) : undefined;
  if (!md.userId || !product) return refuse("order_metadata_missing", { sessionId: session.id });
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const status: Order["status"] = paid ? "PAID" : "PENDING_PAYMENT";
  const shipping = session.collected_information?.shipping_details ?? null;
  const values = {
    userId: md.userId,
    sku: product.sku,
    quantity: Math.max(1, Number.parseInt(md.quantity ?? "1", 10) || 1),
    amountTotal: session.amount_total ?? 0,
    currency: session.currency ?? product.currency,
    stripeCustomerId: idOf(session.customer),
    paymentIntentId: idOf(session.payment_intent),
    shippingName: shipping?.name ?? null,
    shippingAddressJson: shipping?.address ? JSON.stringify(shipping.address) : null,
    receiptUrl: receiptUrlOf(session),
    updatedAt: now,
  };
  const stmts: Stmt[] = [];
  if (source.eventId) stmts.push(eventRow(db, { ...source, eventId: source.eventId }, "order_recorded", session.id, now));
  stmts.push(
    db
      .insert(orders)
      .values({ id: crypto.randomUUID(), checkoutSessionId: session.id, status, createdAt: now, ...values })
      .onConflictDoUpdate({
        target: orders.checkoutSessionId,
        set: {
          ...values,
          status: sql`CASE WHEN orders.status = 'PAID' THEN 'PAID' ELSE excluded.status END`,
          // A re-read without the receipt (an older caller) never erases one already recorded.
          receiptUrl: sql`COALESCE(excluded.receipt_url, orders.receipt_url)`,
        },
      }),
    auditInsert(db, {
      event: "order_recorded",
      actorUserId: md.userId,
      subjectType: "checkout_session",
      subjectId: session.id,
      detail: { sku: product.sku, status, via: source.eventType, eventId: source.eventId ?? null },
      requestId: source.requestId,
      at: now,
    }),
  );
  if ((await runEventBatch(db, stmts)) === "duplicate") return duplicate();
  return { ok: true, outcome: "order_recorded", orderStatus: status, sku: product.sku };
}

export interface OrderView {
  id: string;
  sku: string;
  name: string;
  quantity: number;
  amountTotal: number;
  currency: string;
  status: Order["status"];
  receiptUrl: string | null;
  createdAt: number;
}

/** This user's hardware and SIM orders, newest first (owner only: the user id is the whole filter). */
export async function listMyOrders({ db }: Deps, userId: string, limit = 50): Promise<OrderView[]> {
  const rows = await db.select().from(orders).where(eq(orders.userId, userId)).orderBy(desc(orders.createdAt)).limit(limit);
  return rows.map((o) => ({
    id: o.id,
    sku: o.sku,
    name: productBySku(o.sku)?.name ?? o.sku,
    quantity: o.quantity,
    amountTotal: o.amountTotal,
    currency: o.currency,
    status: o.status,
    receiptUrl: o.receiptUrl,
    createdAt: o.createdAt,
  }));
}
