// The Stripe stand-in (standins/stripe.mjs), driven by the real stripe SDK from inside workerd the
// same way the app uses it. Webhook deliveries go to http://localhost:8787, which is not running
// during tests, so they are recorded as failed: the tests read the recorded events instead.
import { env } from "cloudflare:test";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { allCatalogProducts } from "~/domain/plans";

const base = new URL(env.TEST_STANDIN_URLS.stripe);

function sdk(key: string = env.STRIPE_SECRET_KEY) {
  return new Stripe(key, {
    httpClient: Stripe.createFetchHttpClient(),
    host: base.hostname,
    port: Number(base.port),
    protocol: "http",
  });
}
const stripe = sdk();

interface EventRecord {
  id: string;
  type: string;
  payload: string;
  signatureHeader: string;
  deliveries: Array<{ status?: number; error?: string; at: number }>;
}

async function control<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base.origin}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const verify = (payload: string, header: string) =>
  stripe.webhooks.constructEventAsync(payload, header, env.STRIPE_WEBHOOK_SECRET, undefined, Stripe.createSubtleCryptoProvider());

describe("Stripe stand-in", () => {
  it("replays an idempotent customer create, rejects the key with other params, and stores nothing on validation failure", async () => {
    const key = crypto.randomUUID();
    const a = await stripe.customers.create({ email: "idem@example.com", metadata: { user_id: "u1" } }, { idempotencyKey: key });
    const b = await stripe.customers.create({ email: "idem@example.com", metadata: { user_id: "u1" } }, { idempotencyKey: key });
    expect(a.id).toMatch(/^cus_/);
    expect(b.id).toBe(a.id);
    expect(a.lastResponse.requestId).toMatch(/^req_/);
    expect(a.livemode).toBe(false);

    const err = await stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    // A request that fails validation is not stored: the same key then executes normally.
    const key2 = crypto.randomUUID();
    const invalid = await stripe.checkout.sessions
      .create(
        {
          line_items: [{ price: env.STRIPE_PRICE_CLOUD_STANDARD, quantity: 1 }],
          success_url: "http://localhost:8787/ok",
        } as Stripe.Checkout.SessionCreateParams,
        { idempotencyKey: key2 },
      )
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((invalid as Stripe.errors.StripeError).code).toBe("parameter_missing");
    expect((invalid as Stripe.errors.StripeError).param).toBe("mode");
    const c = await stripe.customers.create({ email: "after-invalid@example.com" }, { idempotencyKey: key2 });
    expect(c.email).toBe("after-invalid@example.com");
  });

  it("refuses a wrong secret key with a 401 authentication error", async () => {
    const err = await sdk("sk_test_not_the_configured_key")
      .customers.create({ email: "x@example.com" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(401);
    expect((err as Stripe.errors.StripeError).message).toMatch(/^Invalid API Key provided: sk_test_\*+_key$/);
  });

  it("serves the preloaded catalogue price", async () => {
    const price = await stripe.prices.retrieve(env.STRIPE_PRICE_CLOUD_STANDARD);
    expect(price).toMatchObject({
      id: env.STRIPE_PRICE_CLOUD_STANDARD,
      object: "price",
      unit_amount: 499,
      currency: "usd",
      type: "recurring",
      recurring: { interval: "month", interval_count: 1, usage_type: "licensed" },
      livemode: false,
      metadata: { sku: "aovis-cloud-storage-standard" },
    });
    expect(price.product).toMatch(/^prod_/);
  });

  // The stand-in knows its products from standins/stripe/catalogue.json, not from app code: this
  // keeps that file equal to the catalogue, product by product, at every configured price id.
  it("sells every catalogue product at its configured price id, with the catalogue's amount, interval and name", async () => {
    const sold = allCatalogProducts().filter((p) => p.stripePriceKey !== null);
    expect(sold.length).toBeGreaterThan(0);
    for (const p of sold) {
      const priceId = (env as unknown as Record<string, string>)[p.stripePriceKey!];
      const price = await stripe.prices.retrieve(priceId);
      expect(price, p.sku).toMatchObject({
        id: priceId,
        active: true,
        unit_amount: p.priceCents,
        currency: p.currency,
        type: p.interval ? "recurring" : "one_time",
        recurring: p.interval ? { interval: p.interval, interval_count: 1 } : null,
        metadata: { sku: p.sku },
      });
      const product = await stripe.products.retrieve(price.product as string);
      expect(product, p.sku).toMatchObject({ name: p.name, description: p.description, shippable: p.kind === "hardware", metadata: { sku: p.sku } });
    }
  });

  it("runs a subscription checkout: hosted page, completion, basil subscription, signed events, cancel", async () => {
    const customer = await stripe.customers.create({ email: "buyer@example.com", name: "Buyer" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: env.STRIPE_PRICE_CLOUD_STANDARD, quantity: 1 }],
      success_url: "http://localhost:8787/billing/done?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost:8787/store",
      client_reference_id: "user_42",
      metadata: { user_id: "user_42" },
      subscription_data: { metadata: { user_id: "user_42", device_id: "dev_1", plan: "standard" } },
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${base.origin}/c/pay/${session.id}`);
    expect(session.success_url).toBe(`http://localhost:8787/billing/done?session_id=${session.id}`);
    expect(session).toMatchObject({ status: "open", payment_status: "unpaid", subscription: null, amount_total: 499, metadata: { user_id: "user_42" } });

    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("$4.99 per month");
    expect(html).toContain("Standard");
    expect(html).toMatch(/<label for="card_number">[^<]+<\/label>\s*<input id="card_number"[^>]*value="4242 4242 4242 4242"/);
    expect(html).toContain(`action="/c/pay/${session.id}/pay"`);
    expect(html).toContain('href="http://localhost:8787/store"');

    const done = await control<{ session: { status: string; subscription: string }; events: EventRecord[] }>(`/__standin/checkout/${session.id}/complete`, {});
    expect(done.status).toBe(200);
    const subId = done.body.session.subscription;
    expect(subId).toMatch(/^sub_/);

    const sub = await stripe.subscriptions.retrieve(subId);
    expect(sub.status).toBe("active");
    expect(sub.customer).toBe(customer.id);
    expect(sub.cancel_at_period_end).toBe(false);
    expect(sub.metadata).toEqual({ user_id: "user_42", device_id: "dev_1", plan: "standard" });
    expect("current_period_end" in sub).toBe(false); // basil: periods live on the items
    const item = sub.items.data[0];
    expect(item.price.id).toBe(env.STRIPE_PRICE_CLOUD_STANDARD);
    const days = (item.current_period_end - item.current_period_start) / 86400;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 499, parent: { subscription_details: { subscription: subId } } });

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription", "line_items"] });
    expect(retrieved).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect((retrieved.subscription as Stripe.Subscription).id).toBe(subId);
    expect(retrieved.line_items?.data[0]).toMatchObject({ quantity: 1, amount_total: 499 });

    const events = done.body.events;
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]));
    for (const rec of events) {
      expect(rec.deliveries).toHaveLength(1); // attempted once (the app is not listening here)
      const event = await verify(rec.payload, rec.signatureHeader);
      expect(event.id).toBe(rec.id);
      expect(event.livemode).toBe(false);
    }
    const completed = await verify(
      events.find((e) => e.type === "checkout.session.completed")!.payload,
      events.find((e) => e.type === "checkout.session.completed")!.signatureHeader,
    );
    expect(completed.data.object).toMatchObject({ id: session.id, subscription: subId, client_reference_id: "user_42" });
    const created = events.find((e) => e.type === "customer.subscription.created")!;
    await expect(verify(created.payload.replace(subId, "sub_forged"), created.signatureHeader)).rejects.toBeInstanceOf(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // The event log exposes the same records.
    const log = await control<EventRecord[]>("/__standin/events");
    expect(log.body.find((e) => e.id === created.id)?.payload).toBe(created.payload);

    const cancelled = await control<{ subscription: { status: string }; events: EventRecord[] }>(`/__standin/subscriptions/${subId}/advance`, {
      action: "cancel",
    });
    expect(cancelled.body.subscription.status).toBe("canceled");
    expect(cancelled.body.events.map((e) => e.type)).toEqual(["customer.subscription.deleted"]);
    const deleted = await verify(cancelled.body.events[0].payload, cancelled.body.events[0].signatureHeader);
    expect((deleted.data.object as Stripe.Subscription).id).toBe(subId);
    const after = await stripe.subscriptions.retrieve(subId);
    expect(after.status).toBe("canceled");
    expect(after.ended_at).toEqual(expect.any(Number));

    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://localhost:8787/account" });
    expect(portal.id).toMatch(/^bps_/);
    expect(portal.url).toBe(`${base.origin}/p/session/${portal.id}`);
    expect(portal).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "http://localhost:8787/account" });
    const portalHtml = await (await fetch(portal.url)).text();
    expect(portalHtml).toContain('href="http://localhost:8787/account"');
    expect(portalHtml).toContain("Canceled on");
  });

  it("collects shipping and payment_intent metadata in payment mode, and declines the decline test card", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: env.STRIPE_PRICE_NEXA_MINI_2K, quantity: 2 }],
      success_url: "http://localhost:8787/orders/{CHECKOUT_SESSION_ID}",
      payment_intent_data: { metadata: { order_id: "ord_1" } },
      shipping_address_collection: { allowed_countries: ["US", "CA"] },
    });
    expect(session.amount_total).toBe(2 * 5999);
    const declined = await control<{ error: { type: string; decline_code: string } }>(`/__standin/checkout/${session.id}/complete`, {
      card: "4000000000000002",
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", decline_code: "generic_decline" });

    const done = await control<{ events: EventRecord[] }>(`/__standin/checkout/${session.id}/complete`, {
      shipping: { name: "Ada Buyer", address: { line1: "1 Main St", city: "Toronto", postal_code: "M5V 1A1", country: "CA" } },
    });
    expect(done.body.events.map((e) => e.type)).toEqual(["payment_intent.succeeded", "charge.succeeded", "checkout.session.completed"]);
    const s = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    expect(s.subscription).toBeNull();
    expect(s.collected_information?.shipping_details).toMatchObject({ name: "Ada Buyer", address: { country: "CA", city: "Toronto" } });
    const pi = s.payment_intent as Stripe.PaymentIntent;
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.metadata).toEqual({ order_id: "ord_1" });
    // The charge behind it carries the hosted receipt, which the stand-in serves (Charge.receipt_url).
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: "charge", amount: 2 * 5999, paid: true, payment_intent: pi.id });
    expect((await stripe.charges.retrieve(charge.id)).receipt_url).toBe(charge.receipt_url);
    const receipt = await fetch(charge.receipt_url!);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain("$119.98");
    expect((await fetch(charge.receipt_url!.replace(charge.id, "ch_nope"))).status).toBe(404);
  });

  it("answers unknown ids with 404 resource_missing and signs arbitrary payloads for webhook tests", async () => {
    const err = (await stripe.subscriptions.retrieve("sub_does_not_exist").catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe("resource_missing");
    expect(err.param).toBe("id");
    expect(err.message).toBe("No such subscription: 'sub_does_not_exist'");

    const payload = JSON.stringify({ id: "evt_custom", object: "event", type: "invoice.paid", data: { object: {} } });
    const fresh = await control<{ header: string }>("/__standin/sign", { payload });
    expect((await verify(payload, fresh.body.header)).id).toBe("evt_custom");
    const stale = await control<{ header: string }>("/__standin/sign", { payload, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await expect(verify(payload, stale.body.header)).rejects.toThrow(/tolerance/);
  });
});
