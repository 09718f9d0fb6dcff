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

/** How far a signature's timestamp may be from now, either way (the SDKs' default, for the past). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookVerification =
  | { ok: true; event: Stripe.Event }
  /** Not signed by our endpoint's secret, or signed more than the tolerance ago or ahead. */
  | { ok: false; problem: "signature"; detail: string }
  /** Signed by Stripe, but not a JSON event (no string `id` and `type`): a different problem, not a forgery. */
  | { ok: false; problem: "payload"; detail: string };

/** The signed timestamp, read the way the SDK reads it (the last `t=`, as an integer): the one its HMAC covered. */
function signedAt(header: string): number {
  let t = Number.NaN;
  for (const item of header.split(",")) {
    const [k, v] = item.split("=");
    if (k === "t") t = Number.parseInt(v, 10);
  }
  return t;
}

/**
 * Verifies the Stripe-Signature header against the raw body, then parses the event. The SDK's
 * check refuses a timestamp older than the tolerance but accepts any timestamp in the future; a
 * future one is refused here the same way (|now − t| ≤ WEBHOOK_TOLERANCE_SECONDS), so a captured
 * delivery can't be stamped ahead to outlive the window. Parsing is ours too, after the signature
 * holds, so a signed body that isn't an event is told apart from a bad signature.
 */
export async function verifyWebhookEvent(env: object, rawBody: string, signatureHeader: string, now = Date.now()): Promise<WebhookVerification> {
  const config = getConfig(env);
  const signature = getStripe(env).webhooks.signature;
  if (!signature) throw new Error("the Stripe SDK has no webhook signature helper");
  try {
    await signature.verifyHeaderAsync(rawBody, signatureHeader, config.STRIPE_WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS, cryptoProvider, now);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) return { ok: false, problem: "signature", detail: err.message };
    throw err;
  }
  if (signedAt(signatureHeader) - Math.floor(now / 1000) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, problem: "signature", detail: "Timestamp outside the tolerance zone (in the future)" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch (err) {
    return { ok: false, problem: "payload", detail: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const e = parsed as { id?: unknown; type?: unknown; object?: unknown } | null;
  if (!e || typeof e !== "object" || typeof e.id !== "string" || !e.id || typeof e.type !== "string" || !e.type) {
    return { ok: false, problem: "payload", detail: "not an event: no string id and type" };
  }
  // A thin (v2) event notification is Stripe's, but this endpoint takes snapshot events only.
  if (e.object === "v2.core.event") return { ok: false, problem: "payload", detail: "a thin event notification (v2.core.event)" };
  return { ok: true, event: parsed as Stripe.Event };
}

/** True for Stripe's "no such object" answers (404 resource_missing). */
export function isStripeNotFound(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === "resource_missing");
}

export { Stripe };
