import Stripe from "stripe";
import { getConfig, type AppConfig } from "~/lib/config.server";

/**
 * The Stripe SDK as this Worker uses it: fetch-based HTTP (no Node http in workerd), base URL from
 * STRIPE_API_BASE (the local stand-in, or https://api.stripe.com by default), WebCrypto for webhook
 * signatures. The SDK pins its own API version; we read only fields every version since basil has.
 */

export type StripeMode = "test" | "live";

/** sk_/rk_/pk_ keys carry their mode in the prefix; anything else has none. */
export function keyMode(key: string): StripeMode | null {
  const m = /^(?:sk|rk|pk)_(test|live)_/.exec(key);
  return m ? (m[1] as StripeMode) : null;
}

/**
 * Why checkout must not run with this configuration, or null. A live secret key with a test
 * publishable key (or the reverse) means half the deploy talks to the wrong Stripe account mode:
 * customers could pay real money for a test-mode subscription we never see, or the reverse.
 */
export function stripeModeProblem(config: Pick<AppConfig, "STRIPE_SECRET_KEY" | "STRIPE_PUBLISHABLE_KEY">): string | null {
  const secret = keyMode(config.STRIPE_SECRET_KEY);
  const publishable = keyMode(config.STRIPE_PUBLISHABLE_KEY);
  if (!secret || !publishable) return "STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must both name a mode (…_test_… or …_live_…)";
  if (secret !== publishable) {
    return `STRIPE_SECRET_KEY is a ${secret} key but STRIPE_PUBLISHABLE_KEY is a ${publishable} key; test and live keys must never be mixed`;
  }
  return null;
}

export class StripeMisconfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StripeMisconfiguredError";
  }
}

const clients = new WeakMap<object, Stripe>();

/** The SDK client for this env (one per isolate). */
export function getStripe(env: object): Stripe {
  let client = clients.get(env);
  if (!client) {
    const config = getConfig(env);
    const base = new URL(config.STRIPE_API_BASE);
    const protocol = base.protocol === "http:" ? "http" : "https";
    client = new Stripe(config.STRIPE_SECRET_KEY, {
      httpClient: Stripe.createFetchHttpClient(),
      host: base.hostname,
      port: base.port || (protocol === "http" ? 80 : 443),
      protocol,
      // Webhook deliveries time out on Stripe's side after ~20 s; fail well before that.
      timeout: 10_000,
      maxNetworkRetries: 2,
      telemetry: false,
    });
    clients.set(env, client);
  }
  return client;
}

/** The client for money-moving calls (checkout, portal): refuses a mixed test/live configuration. */
export function getCheckoutStripe(env: object): Stripe {
  const problem = stripeModeProblem(getConfig(env));
  if (problem) throw new StripeMisconfiguredError(problem);
  return getStripe(env);
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** Default tolerance of the SDKs: a signature older (or newer) than 5 minutes is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies the Stripe-Signature header against the raw body and parses the event.
 * @throws Stripe.errors.StripeSignatureVerificationError on a bad, missing or stale signature.
 */
export async function verifyWebhookEvent(env: object, rawBody: string, signatureHeader: string): Promise<Stripe.Event> {
  const config = getConfig(env);
  return getStripe(env).webhooks.constructEventAsync(rawBody, signatureHeader, config.STRIPE_WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS, cryptoProvider);
}

/** True for Stripe's "no such object" answers (404 resource_missing). */
export function isStripeNotFound(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === "resource_missing");
}

export { Stripe };
