import { env, SELF } from "cloudflare:test";
import { ORIGIN } from "./app";

// The Stripe stand-in, as the billing tests drive it: its control endpoints, its API read with our
// key, its signatures, and webhook deliveries the way Stripe makes them.

export type Json = Record<string, any>;

/** An event the stand-in recorded (what it would have delivered). */
export interface EventRecord {
  id: string;
  type: string;
  payload: string;
  signatureHeader?: string;
}

export const stripeBase = () => env.TEST_STANDIN_URLS.stripe;

/** POST to one of the stand-in's endpoints (control or API); throws on a non-2xx. */
export async function standin<T = Json>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${stripeBase()}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** GET on the stand-in's Stripe API with our key, for reading what we created there. */
export async function stripeGet(path: string): Promise<Json> {
  const res = await fetch(`${stripeBase()}${path}`, { headers: { Authorization: `Bearer ${env.STRIPE_SECRET_KEY}` } });
  return (await res.json()) as Json;
}

/** A Stripe-Signature header for `payload`, signed by the stand-in with the webhook secret. */
export async function sign(payload: string, timestamp?: number): Promise<string> {
  return (await standin<{ header: string }>("/__standin/sign", { payload, ...(timestamp === undefined ? {} : { timestamp }) })).header;
}

/** Delivers like Stripe does (no Origin, raw body, Stripe-Signature): the stand-in can't reach workerd. */
export function deliverRaw(payload: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8", "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" };
  if (signature !== null) headers["Stripe-Signature"] = signature;
  return SELF.fetch(`${ORIGIN}/api/stripe/webhook`, { method: "POST", headers, body: payload });
}

/** Delivers each event in order, freshly signed; the webhook's statuses. */
export async function deliverAll(events: readonly EventRecord[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const e of events) {
    const res = await deliverRaw(e.payload, await sign(e.payload));
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}
