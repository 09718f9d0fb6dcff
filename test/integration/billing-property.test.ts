import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { action as webhookAction } from "~/routes/api.stripe.webhook";
import { appFetch, ORIGIN } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";

/** The webhook route's action itself, with any env (e.g. other prices, or a Stripe client we hold up). */
const handleStripeWebhook = (request: Request, e: Env) => webhookAction({ request, params: {}, context: { cloudflare: { env: e }, requestId: null } } as never);

// Property: whatever order Stripe's events arrive in, and however often each is delivered, the
// final local rows equal the rows from delivering them once, in order. It holds because every
// event re-reads the subscription from Stripe (the stand-in) and applies what it says now (ADR 008).
//
// Speed: each delivery costs a few D1 round trips and a Stripe read, so the permutations run in
// independent lanes (one subscription each, its own rows) concurrently.

type Json = Record<string, any>;
interface EventRecord {
  id: string;
  type: string;
  payload: string;
}

const PERMUTATIONS = 200; // split evenly over the lanes
const SEED = 0x5eed_b111;

/** mulberry32: small, seedable, good enough to shuffle. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function standin<T = Json>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${env.TEST_STANDIN_URLS.stripe}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Stripe-Signature headers from the stand-in, refreshed well inside the 300 s tolerance. */
const signatures = new Map<string, { header: string; at: number }>();
async function signatureFor(e: EventRecord): Promise<string> {
  const cached = signatures.get(e.id);
  if (cached && Date.now() - cached.at < 120_000) return cached.header;
  const { header } = await standin<{ header: string }>("/__standin/sign", { payload: e.payload });
  signatures.set(e.id, { header, at: Date.now() });
  return header;
}

/** The webhook route itself, called in-process (its HTTP path is covered in billing.test.ts). */
async function deliver(e: EventRecord): Promise<number> {
  const req = new Request(`${ORIGIN}/api/stripe/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": await signatureFor(e) },
    body: e.payload,
  });
  const res = await handleStripeWebhook(req, env);
  await res.arrayBuffer();
  return res.status;
}

async function checkout(cookie: string, path: string, fields: Record<string, string>) {
  const res = await appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  expect(res.status).toBe(303);
  const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
  const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  return { subscriptionId: done.session.subscription as string, events: done.events };
}

interface Lane {
  name: string;
  subId: string;
  events: EventRecord[];
  /** Stripe's final state, as the local rows must show it. */
  final: { status: string; stripeStatus: string; cancelAtPeriodEnd: number; entitlements: string };
}

async function lane(
  name: string,
  buy: () => Promise<{ subscriptionId: string; events: EventRecord[] }>,
  actions: string[],
  final: Lane["final"],
): Promise<Lane> {
  const { subscriptionId, events } = await buy();
  for (const action of actions)
    events.push(...(await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action })).events);
  return { name, subId: subscriptionId, events, final };
}

async function reset(l: Lane) {
  const ids = l.events.map((e) => e.id);
  await env.DB.batch([
    env.DB.prepare(`DELETE FROM stripe_events WHERE id IN (${ids.map(() => "?").join(",")})`).bind(...ids),
    env.DB.prepare("DELETE FROM subscriptions WHERE external_id = ?1").bind(l.subId),
    env.DB.prepare("DELETE FROM entitlements WHERE external_id LIKE ?1").bind(`stripe:${l.subId}:%`),
  ]);
}

/** Everything the product reads for the lane's subscription, minus row ids and write times. */
async function finalRows(l: Lane) {
  const [subs, ents, recorded] = await env.DB.batch([
    env.DB.prepare(
      `SELECT external_id, source, user_id, device_id, sku, plan_code, status, stripe_status, stripe_customer_id, current_period_start,
              current_period_end, cancel_at_period_end, cancel_at, ended_at
       FROM subscriptions WHERE external_id = ?1`,
    ).bind(l.subId),
    env.DB.prepare(
      `SELECT e.external_id, s.external_id AS subscription, e.source, e.user_id, e.device_id, e.key, e.quota, e.sku, e.status, e.starts_at, e.expires_at, e.ended_at
       FROM entitlements e JOIN subscriptions s ON s.id = e.subscription_id
       WHERE e.external_id LIKE ?1 ORDER BY e.external_id`,
    ).bind(`stripe:${l.subId}:%`),
    env.DB.prepare(`SELECT id FROM stripe_events WHERE id IN (${l.events.map(() => "?").join(",")}) ORDER BY id`).bind(...l.events.map((e) => e.id)),
  ]);
  return { subs: subs.results as Json[], ents: ents.results as Json[], recorded: recorded.results.map((r) => (r as Json).id) };
}

describe("webhook convergence (property)", () => {
  let lanes: Lane[] = [];

  beforeAll(async () => {
    const owner = await signIn(`prop-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const cameras = [];
    for (let i = 0; i < 3; i++) {
      const d = await provisionTestDevice();
      expect((await activate(owner, d.serial, d.code)).status).toBe(200);
      cameras.push(d);
    }
    const [d, d2, d3] = cameras;
    // Subscriptions whose lifecycles cover created, updated, paid, payment_failed, deleted and
    // checkout completion, ending in different states. The failed-payment orders end in each of the
    // states of the grace policy (ADR 017): recovered (access throughout), still retrying (access
    // in grace), and retries exhausted (unpaid: no access).
    lanes = [
      await lane(
        "cloud: pay, renewal fails, cancelled",
        () => checkout(owner, "/api/checkout/cloud-storage", { deviceId: d.id, planCode: "standard" }),
        ["fail_payment", "cancel"],
        { status: "CANCELLED", stripeStatus: "canceled", cancelAtPeriodEnd: 0, entitlements: "EXPIRED" },
      ),
      await lane(
        "voice: pay, renew, cancel at period end",
        () => checkout(owner, "/api/stripe/checkout", { tier: "PREMIUM" }),
        ["renew", "cancel_at_period_end"],
        { status: "ACTIVE", stripeStatus: "active", cancelAtPeriodEnd: 1, entitlements: "ACTIVE" },
      ),
      await lane(
        "cloud: renewal fails, card updated, recovered",
        () => checkout(owner, "/api/checkout/cloud-storage", { deviceId: d2.id, planCode: "starter" }),
        ["fail_payment", "recover_payment"],
        { status: "ACTIVE", stripeStatus: "active", cancelAtPeriodEnd: 0, entitlements: "ACTIVE" },
      ),
      await lane(
        "cloud: renewal fails, Stripe still retrying (grace)",
        () => checkout(owner, "/api/checkout/cloud-storage", { deviceId: d3.id, planCode: "premium" }),
        ["fail_payment"],
        { status: "INACTIVE", stripeStatus: "past_due", cancelAtPeriodEnd: 0, entitlements: "ACTIVE" },
      ),
      await lane(
        "voice: renewal fails, retries run out (unpaid)",
        () => checkout(owner, "/api/stripe/checkout", { tier: "BASIC" }),
        ["fail_payment", "exhaust_retries"],
        { status: "INACTIVE", stripeStatus: "unpaid", cancelAtPeriodEnd: 0, entitlements: "EXPIRED" },
      ),
    ];
  });

  it(`${PERMUTATIONS} random orders, each event delivered 1–3 times, end in the in-order rows`, async () => {
    const types = new Set(lanes.flatMap((l) => l.events.map((e) => e.type)));
    for (const t of [
      "customer.subscription.created",
      "customer.subscription.updated",
      "customer.subscription.deleted",
      "invoice.paid",
      "invoice.payment_failed",
      "invoice.payment_succeeded",
      "checkout.session.completed",
    ]) {
      expect(types, t).toContain(t);
    }
    const perLane = Math.ceil(PERMUTATIONS / lanes.length);

    const runLane = async (l: Lane, laneIndex: number) => {
      // In order, once each: the reference rows, which must be Stripe's final state.
      await reset(l);
      for (const e of l.events) expect(await deliver(e), `${l.name}: ${e.type}`).toBe(200);
      const expected = await finalRows(l);
      expect(expected.subs, l.name).toHaveLength(1);
      expect(expected.subs[0], l.name).toMatchObject({
        status: l.final.status,
        stripe_status: l.final.stripeStatus,
        cancel_at_period_end: l.final.cancelAtPeriodEnd,
      });
      expect(expected.ents.length, l.name).toBeGreaterThan(0);
      for (const e of expected.ents) expect(e.status, l.name).toBe(l.final.entitlements);
      expect(expected.recorded, l.name).toHaveLength(l.events.length);

      const seed = SEED + laneIndex;
      const random = prng(seed);
      for (let run = 0; run < perLane; run++) {
        await reset(l);
        const deliveries = l.events.flatMap((e) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => e));
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
        }
        for (const e of deliveries) {
          const status = await deliver(e);
          if (status !== 200) throw new Error(`${l.name}, seed ${seed} run ${run}: ${e.type} ${e.id} → ${status}`);
        }
        expect(await finalRows(l), `${l.name}, seed ${seed} run ${run}: ${deliveries.map((e) => e.type).join(", ")}`).toEqual(expected);
      }
      return perLane;
    };

    const done = await Promise.all(lanes.map(runLane));
    expect(done.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
  }, 120_000);
});
