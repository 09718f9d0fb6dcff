/**
 * The user's Stripe customer: one per user, created when they first sign in (or, if Stripe failed
 * then, at their next sign-in or checkout), always through ensureStripeCustomer.
 */
import { and, eq, isNull } from "drizzle-orm";
import { users } from "~/db/schema";
import { log } from "~/lib/log.server";
import { getCheckoutStripe, type Stripe } from "~/lib/stripe.server";
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
export async function ensureStripeCustomer(
  deps: Deps,
  user: Actor["user"],
  options: Pick<Stripe.RequestOptions, "timeout" | "maxNetworkRetries"> = {},
): Promise<string> {
  const { env, db } = deps;
  const stored = await stripeCustomerOf(deps, user.id);
  if (stored) return stored;
  const customer = await getCheckoutStripe(env).customers.create(
    { email: user.email, metadata: { userId: user.id } },
    { idempotencyKey: `aovis-customer-${user.id}`, ...options },
  );
  await db
    .update(users)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(users.id, user.id), isNull(users.stripeCustomerId)));
  return (await stripeCustomerOf(deps, user.id)) ?? customer.id;
}

/** Sign-in waits at most this long for Stripe (one try): a slow Stripe must not hold up signing in. */
export const SIGN_IN_CUSTOMER_TIMEOUT_MS = 3000;

/**
 * At sign-in, after the session is written: the user's Stripe customer, if they have none yet.
 * Never fails the sign-in: any error (Stripe down, a mixed-mode configuration) is logged and the
 * next sign-in or checkout tries again with the same idempotency key.
 */
export async function ensureStripeCustomerAtSignIn(deps: Deps, user: Actor["user"], requestId?: string | null): Promise<string | null> {
  try {
    return await ensureStripeCustomer(deps, user, { timeout: SIGN_IN_CUSTOMER_TIMEOUT_MS, maxNetworkRetries: 0 });
  } catch (err) {
    log("warn", "stripe_customer_deferred", { requestId, userId: user.id, message: err instanceof Error ? err.message : String(err) });
    return null;
  }
}
