/** The user's Stripe customer (one per user, created on their first checkout). */
import { and, eq, isNull } from "drizzle-orm";
import { users } from "~/db/schema";
import { getCheckoutStripe } from "~/lib/stripe.server";
import type { Actor, Deps } from "../deps.server";

/** The Stripe customer id we stored for the user, or null before their first checkout. */
export async function stripeCustomerOf({ db }: Deps, userId: string): Promise<string | null> {
  const [row] = await db.select({ customerId: users.stripeCustomerId }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.customerId ?? null;
}

/**
 * The user's Stripe customer id, created at most once. The idempotency key is derived from the
 * user id, so two racing checkouts (or a retry after a lost response) get the same customer.
 * @throws Stripe's errors (callers turn them into a refusal).
 */
export async function ensureStripeCustomer(deps: Deps, user: Actor["user"]): Promise<string> {
  const { env, db } = deps;
  const stored = await stripeCustomerOf(deps, user.id);
  if (stored) return stored;
  const customer = await getCheckoutStripe(env).customers.create(
    { email: user.email, metadata: { userId: user.id } },
    { idempotencyKey: `aovis-customer-${user.id}` },
  );
  await db
    .update(users)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(users.id, user.id), isNull(users.stripeCustomerId)));
  return (await stripeCustomerOf(deps, user.id)) ?? customer.id;
}
