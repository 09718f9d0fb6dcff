/** How billing's Stripe calls fail: one stable refusal for people, the cause in the log. */
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { log } from "~/lib/log.server";
import { getCheckoutStripe, isStripeNotFound, Stripe, StripeMisconfiguredError } from "~/lib/stripe.server";

export type StripeProblem = Refusal<"stripe_misconfigured"> | Refusal<"payment_provider_error">;

/** A Stripe error (or our mixed-mode configuration) as a refusal; anything else is a bug and is rethrown. */
export function stripeProblem(err: unknown, what: string, requestId?: string | null): StripeProblem {
  if (err instanceof StripeMisconfiguredError) {
    log("error", "stripe_misconfigured", { requestId, problem: err.message });
    return refuse("stripe_misconfigured");
  }
  if (err instanceof Stripe.errors.StripeError) {
    log("error", "stripe_call_failed", { requestId, what, type: err.type, code: err.code ?? null, status: err.statusCode ?? null, message: err.message });
    return refuse("payment_provider_error");
  }
  throw err;
}

/** Money-moving calls refuse a mixed test/live configuration before anything else happens. */
export function checkoutModeProblem(env: Env, requestId?: string | null): StripeProblem | null {
  try {
    getCheckoutStripe(env);
    return null;
  } catch (err) {
    return stripeProblem(err, "mode_guard", requestId);
  }
}

/** A re-read from Stripe that failed (unreachable, or no such object): the webhook answers 5xx so Stripe retries. */
export type StripeReadFailed = Refusal<"stripe_read_failed", { notFound: boolean; detail: string }>;

/** `read()`, with Stripe's own errors as a refusal (other errors are bugs and are rethrown). */
export async function readStripe<T>(read: () => Promise<T>): Promise<{ ok: true; value: T } | StripeReadFailed> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (!(err instanceof Stripe.errors.StripeError)) throw err;
    return refuse("stripe_read_failed", { notFound: isStripeNotFound(err), detail: `${err.name}: ${err.message}` });
  }
}

export function appUrl(env: Env, path: string): string {
  return new URL(path, getConfig(env).APP_ORIGIN).toString();
}
