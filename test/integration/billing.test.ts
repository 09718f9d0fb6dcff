import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/domain/cloud-access-window";
import { PAYMENT_GRACE_DAYS } from "~/domain/payment-grace";
import { cloudPlanByCode } from "~/domain/plans";
import { refusalStatus } from "~/http/refusals";
import { formatDate } from "~/lib/format";
import { getStripe, stripeModeProblem } from "~/lib/stripe.server";
import { startCloudCheckout } from "~/models/billing/checkout.server";
import { completeCheckoutReturn } from "~/models/billing/checkout-return.server";
import { expireEntitlements } from "~/models/billing/expiry.server";
import { applySubscription } from "~/models/billing/subscription-sync.server";
import { depsFor } from "~/models/deps.server";
import { listMyDevices } from "~/models/devices/reads.server";
import { action as webhookAction, MAX_WEBHOOK_BYTES } from "~/routes/api.stripe.webhook";
import { appFetch, ORIGIN } from "../helpers/app";
import { deliverAll, deliverRaw, sign, standin, stripeBase, stripeGet, type EventRecord, type Json } from "../helpers/stripe";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";

/** The webhook route's action itself, with any env (e.g. other prices, or a Stripe client we hold up). */
const handleStripeWebhook = (request: Request, e: Env) => webhookAction({ request, params: {}, context: { cloudflare: { env: e }, requestId: null } } as never);

function form(cookie: string, path: string, fields: Record<string, string>) {
  return appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

function sessionIdFrom(location: string | null): string {
  const m = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(location ?? "");
  if (!m) throw new Error(`not a checkout URL: ${location}`);
  return m[1];
}

/** Signed-in owner of a freshly activated device (with its trial). */
async function ownerWithDevice(tag: string) {
  const cookie = await signIn(`bill-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const device = await provisionTestDevice();
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  return { cookie, userId: await userIdOf(cookie), device };
}

/** Buys a cloud plan through the real routes and the stand-in's Pay, returning the recorded events. */
async function buyCloudPlan(cookie: string, deviceId: string, planCode = "standard") {
  const res = await form(cookie, "/api/checkout/cloud-storage", { deviceId, planCode });
  expect(res.status).toBe(303);
  const sessionId = sessionIdFrom(res.headers.get("Location"));
  const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  return { sessionId, subscriptionId: done.session.subscription as string, events: done.events };
}

async function device(cookie: string, id: string): Promise<Json> {
  const res = await appFetch(`/api/devices/${id}`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Json).device;
}

async function rows(sql: string, ...binds: unknown[]) {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<Json>()
  ).results;
}

async function count(table: string): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
}

/** POST on the stand-in's Stripe API with our key: objects made "in the Dashboard", not by the app. */
async function stripePost(path: string, params: Record<string, string>): Promise<Json> {
  const res = await fetch(`${stripeBase()}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The webhook handler with another env (e.g. other prices, or a Stripe client we hold up). */
async function deliverWith(e: Env, payload: string): Promise<Response> {
  return handleStripeWebhook(
    new Request(`${ORIGIN}/api/stripe/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": await sign(payload) },
      body: payload,
    }),
    e,
  );
}

/** Our configuration minus the Voice Basic price: what a price we don't sell looks like to the app. */
const envWithoutVoiceBasic = () => ({ ...env, STRIPE_PRICE_VOICE_BASIC: "price_retired_voice_basic" }) as Env;

describe("checkout guards", () => {
  it("signed out → 401 on every billing action; products are public", async () => {
    for (const path of ["/api/checkout/cloud-storage", "/api/stripe/checkout", "/api/billing/portal", "/api/stripe/portal", "/api/checkout/product"]) {
      const res = await appFetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      expect(res.status, path).toBe(401);
    }
    const products = await appFetch("/api/stripe/products");
    expect(products.status).toBe(200);
    const body = (await products.json()) as Json;
    expect(body.plans.map((p: Json) => p.tier)).toEqual(["FREE", "BASIC", "PREMIUM"]);
    expect(body.plans[1]).toMatchObject({ tier: "BASIC", price: { amount: 999, currency: "usd", interval: "month" }, purchasable: true });
    expect(body.plans[1].features.length).toBeGreaterThan(0);
  });

  it("local plan → 400 plan_not_purchasable; someone else's device, an ownership id or a made-up id → 404", async () => {
    const alice = await ownerWithDevice("guard-a");
    const bob = await ownerWithDevice("guard-b");
    const local = await postJson(alice.cookie, "/api/checkout/cloud-storage", { deviceId: alice.device.id, planCode: "local" });
    expect(local.status).toBe(400);
    expect(((await local.json()) as Json).error).toBe("plan_not_purchasable");

    const ownership = await env.DB.prepare("SELECT id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'")
      .bind(alice.device.id)
      .first<{ id: string }>();
    for (const deviceId of [bob.device.id, ownership!.id, crypto.randomUUID()]) {
      const res = await postJson(alice.cookie, "/api/checkout/cloud-storage", { deviceId, planCode: "standard" });
      expect(res.status).toBe(404);
      expect(((await res.json()) as Json).error).toBe("not_found");
    }
    // Refusals happen before Stripe: no customer was created for Alice.
    expect((await env.DB.prepare("SELECT stripe_customer_id AS c FROM users WHERE id = ?1").bind(alice.userId).first<Json>())!.c).toBeNull();
  });

  it("mixed live/test keys: checkout refuses with 503 stripe_misconfigured and calls Stripe for nothing", async () => {
    expect(stripeModeProblem({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })).toMatch(/live.*test/);
    expect(stripeModeProblem({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_PUBLISHABLE_KEY: "pk_live_abc" })).toMatch(/test.*live/);
    expect(stripeModeProblem({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })).toBeNull();
    expect(stripeModeProblem({ STRIPE_SECRET_KEY: "rk_live_abc", STRIPE_PUBLISHABLE_KEY: "pk_live_abc" })).toBeNull();

    const a = await ownerWithDevice("mixed");
    const mixed = { ...env, STRIPE_PUBLISHABLE_KEY: "pk_live_mixed_up" } as Env;
    const r = await startCloudCheckout(depsFor(mixed), { deviceId: a.device.id, planCode: "standard" }, { user: { id: a.userId, email: "x@example.com" } });
    expect(r.ok ? r : { ...r, status: refusalStatus(r) }).toMatchObject({ ok: false, status: 503, error: "stripe_misconfigured" });
    expect((await env.DB.prepare("SELECT stripe_customer_id AS c FROM users WHERE id = ?1").bind(a.userId).first<Json>())!.c).toBeNull();
  });

  it("the Stripe customer is created once, even for two concurrent checkouts", async () => {
    const cookie = await signIn(`bill-cust-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const [d1, d2] = [await provisionTestDevice(), await provisionTestDevice()];
    await activate(cookie, d1.serial, d1.code);
    await activate(cookie, d2.serial, d2.code);
    const [r1, r2] = await Promise.all([
      form(cookie, "/api/checkout/cloud-storage", { deviceId: d1.id, planCode: "starter" }),
      form(cookie, "/api/checkout/cloud-storage", { deviceId: d2.id, planCode: "premium" }),
    ]);
    expect([r1.status, r2.status]).toEqual([303, 303]);
    const [s1, s2] = await Promise.all([
      stripeGet(`/v1/checkout/sessions/${sessionIdFrom(r1.headers.get("Location"))}`),
      stripeGet(`/v1/checkout/sessions/${sessionIdFrom(r2.headers.get("Location"))}`),
    ]);
    const stored = (await env.DB.prepare("SELECT stripe_customer_id AS c FROM users WHERE id = ?1")
      .bind(await userIdOf(cookie))
      .first<Json>())!.c;
    expect(stored).toMatch(/^cus_/);
    expect([s1.customer, s2.customer]).toEqual([stored, stored]);
    expect(s1).toMatchObject({
      mode: "subscription",
      metadata: { checkoutType: "cloud_storage_subscription", deviceId: d1.id, planCode: "starter", userId: await userIdOf(cookie) },
      success_url: `${env.APP_ORIGIN}/checkout/success?session_id=${s1.id}`,
      cancel_url: `${env.APP_ORIGIN}/account/services?checkout=cancelled`,
    });
  });
});

describe("buying a cloud plan end to end", () => {
  it("checkout → Pay → webhooks: standard ACTIVE, 7-day entitlement, trial kept; duplicate purchase 409; replay no-op; cancel → CANCELLED/EXPIRED", async () => {
    const { cookie, userId, device: d } = await ownerWithDevice("flow");
    expect((await device(cookie, d.id)).plan).toMatchObject({ code: "trial", status: "ACTIVE" });

    const { subscriptionId, events } = await buyCloudPlan(cookie, d.id, "standard");
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]));
    expect(await deliverAll(events)).toEqual(events.map(() => 200));

    const view = await device(cookie, d.id);
    expect(view.plan).toMatchObject({ code: "standard", status: "ACTIVE", source: "stripe", cancelAtPeriodEnd: false });
    expect(view.historyDays).toBe(7);
    const sub = await stripeGet(`/v1/subscriptions/${subscriptionId}`);
    expect(view.plan.currentPeriodEnd).toBe(sub.items.data[0].current_period_end * 1000);
    const ents = await rows("SELECT source, key, quota, status, expires_at FROM entitlements WHERE device_id = ?1 ORDER BY source, key", d.id);
    expect(ents).toEqual([
      { source: "stripe", key: "ai_summary", quota: null, status: "ACTIVE", expires_at: view.plan.currentPeriodEnd },
      { source: "stripe", key: "cloud_playback", quota: 7, status: "ACTIVE", expires_at: view.plan.currentPeriodEnd },
      { source: "stripe", key: "smart_search", quota: null, status: "ACTIVE", expires_at: view.plan.currentPeriodEnd },
      { source: "trial", key: "cloud_playback", quota: 1, status: "ACTIVE", expires_at: expect.any(Number) },
    ]);
    expect(await rows("SELECT count(*) AS n FROM stripe_events WHERE id IN (" + events.map(() => "?").join(",") + ")", ...events.map((e) => e.id))).toEqual([
      { n: events.length },
    ]);

    // The services page shows it, with its renewal date.
    const page = await appFetch("/account/services", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Standard");
    expect(html).toContain("Active");
    // Bought during the camera's trial, so billing starts when the trial ends (ADR 018).
    expect(html).toMatch(/Free until [A-Z][a-z]{2} \d{1,2}, \d{4}; billing starts then/);

    // Buying again for the same camera goes to the billing portal instead.
    const again = await postJson(cookie, "/api/checkout/cloud-storage", { deviceId: d.id, planCode: "premium" });
    expect(again.status).toBe(409);
    expect((await again.json()) as Json).toMatchObject({ error: "already_subscribed_use_billing_portal", billingPortalUrl: "/account/services" });

    // A replayed, already processed event: 200, nothing changes (not even updated_at).
    const snapshot = async () => ({
      subs: await rows("SELECT * FROM subscriptions WHERE device_id = ?1 ORDER BY external_id", d.id),
      ents: await rows("SELECT * FROM entitlements WHERE device_id = ?1 ORDER BY external_id", d.id),
      events: await count("stripe_events"),
      audit: await count("audit_log"),
    });
    const before = await snapshot();
    const replay = await deliverRaw(events[0].payload, await sign(events[0].payload));
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as Json).duplicate).toBe(true);
    expect(await snapshot()).toEqual(before);

    // Cancel in Stripe → the deleted event converges the rows; the trial is history and fallback.
    const cancelled = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action: "cancel" });
    expect(await deliverAll(cancelled.events)).toEqual(cancelled.events.map(() => 200));
    expect(await rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", subscriptionId)).toEqual([
      { status: "CANCELLED", stripe_status: "canceled" },
    ]);
    expect(await rows("SELECT DISTINCT status FROM entitlements WHERE device_id = ?1 AND source = 'stripe'", d.id)).toEqual([{ status: "EXPIRED" }]);
    expect(await rows("SELECT status FROM entitlements WHERE device_id = ?1 AND source = 'trial'", d.id)).toEqual([{ status: "ACTIVE" }]);
    const after = await device(cookie, d.id);
    expect(after.plan).toMatchObject({ code: "trial", status: "ACTIVE" });
    expect(after.historyDays).toBe(1);
    void userId;
  });

  it("the success page applies the subscription before any webhook arrives; another user gets 404", async () => {
    const { cookie, device: d } = await ownerWithDevice("success");
    const { sessionId, subscriptionId, events } = await buyCloudPlan(cookie, d.id, "premium");
    expect(await rows("SELECT id FROM subscriptions WHERE external_id = ?1", subscriptionId)).toEqual([]);

    const page = await appFetch(`/checkout/success?session_id=${sessionId}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Premium is active");
    expect(html).toContain("30 days of cloud history");
    expect(html).toMatch(/renews on [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect((await device(cookie, d.id)).plan).toMatchObject({ code: "premium", status: "ACTIVE" });

    // The late webhooks change nothing that matters.
    expect(await deliverAll(events)).toEqual(events.map(() => 200));
    expect(await rows("SELECT status, plan_code FROM subscriptions WHERE external_id = ?1", subscriptionId)).toEqual([
      { status: "ACTIVE", plan_code: "premium" },
    ]);
    expect(await rows("SELECT count(*) AS n FROM entitlements WHERE external_id LIKE ?1", `stripe:${subscriptionId}:%`)).toEqual([{ n: 3 }]);

    const stranger = await signIn(`bill-stranger-${crypto.randomUUID().slice(0, 8)}@example.com`);
    expect((await appFetch(`/checkout/success?session_id=${sessionId}`, { headers: { Cookie: stranger } })).status).toBe(404);
  });

  it("billing portal: own subscription → 303 to the portal; another user's (by our id or Stripe's) → 404", async () => {
    const a = await ownerWithDevice("portal-a");
    const b = await ownerWithDevice("portal-b");
    const bought = await buyCloudPlan(a.cookie, a.device.id, "starter");
    await deliverAll(bought.events);
    const localId = (await device(a.cookie, a.device.id)).plan.subscriptionId as string;

    const own = await form(a.cookie, "/api/billing/portal", { subscriptionId: localId });
    expect(own.status).toBe(303);
    expect(own.headers.get("Location")).toMatch(new RegExp(`^${stripeBase()}/p/session/bps_`));
    // A JSON client gets the portal's URL as JSON (issue 15); the form post above keeps its 303.
    const general = await postJson(a.cookie, "/api/stripe/portal", {});
    expect(general.status).toBe(200);
    expect(((await general.json()) as Json).portalUrl).toMatch(new RegExp(`^${stripeBase()}/p/session/bps_`));

    for (const id of [localId, bought.subscriptionId]) {
      const res = await postJson(b.cookie, "/api/billing/portal", { subscriptionId: id });
      expect(res.status).toBe(404);
      expect(((await res.json()) as Json).error).toBe("not_found");
    }
    // The trial is not a Stripe subscription: nothing to manage there.
    const trial = await env.DB.prepare("SELECT id FROM subscriptions WHERE device_id = ?1 AND source = 'trial'").bind(a.device.id).first<{ id: string }>();
    expect((await postJson(a.cookie, "/api/billing/portal", { subscriptionId: trial!.id })).status).toBe(404);
  });

  it("payment failed → INACTIVE, access kept in grace (ADR 017), a notice with Stripe's retry date and a portal link, unbind still blocked; recovery → ACTIVE", async () => {
    const { cookie, device: d, userId } = await ownerWithDevice("pastdue");
    const bought = await buyCloudPlan(cookie, d.id, "standard");
    await deliverAll(bought.events);
    const failed = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action: "fail_payment" });
    expect(failed.events.map((e) => e.type)).toContain("invoice.payment_failed");
    expect(await deliverAll(failed.events)).toEqual(failed.events.map(() => 200));
    expect(await rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", bought.subscriptionId)).toEqual([
      { status: "INACTIVE", stripe_status: "past_due" },
    ]);
    // Stripe is still retrying: the camera keeps its history until the grace end.
    const sub = (await stripeGet(`/v1/subscriptions/${bought.subscriptionId}?expand[]=latest_invoice`)) as Json;
    const periodStart = sub.items.data[0].current_period_start * 1000;
    const graceEnd = Math.min(periodStart + PAYMENT_GRACE_DAYS * DAY_MS, sub.items.data[0].current_period_end * 1000);
    expect(await rows("SELECT DISTINCT status, expires_at FROM entitlements WHERE device_id = ?1 AND source = 'stripe'", d.id)).toEqual([
      { status: "ACTIVE", expires_at: graceEnd },
    ]);
    // (The stand-in renews without moving its clock, so the unpaid period starts in the future: look from inside it.)
    const historyAt = async (t: number) => (await listMyDevices(depsFor(env), userId, t)).find((x) => x.id === d.id)!.historyDays;
    expect(await historyAt(periodStart + DAY_MS)).toBe(cloudPlanByCode("standard")!.historyDays);
    expect(await historyAt(graceEnd)).toBe(0);

    const html = await (await appFetch("/account/services", { headers: { Cookie: cookie, "Accept-Language": "en-US" } })).text();
    expect(html).toContain('data-testid="payment-failed-notice"');
    expect(html).toContain('name="flow" value="payment_method_update"');
    const retryOn = formatDate(sub.latest_invoice.next_payment_attempt * 1000, "en-US");
    expect(html).toContain(
      `Payment failed — we&#x27;ll try again on ${retryOn}; update your card to keep ${cloudPlanByCode("standard")!.historyDays} days of history.`,
    );
    const unbind = await postJson(cookie, `/api/devices/${d.id}/unbind`);
    expect(unbind.status).toBe(409);

    const recovered = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action: "recover_payment" });
    await deliverAll(recovered.events);
    expect(await rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", bought.subscriptionId)).toEqual([
      { status: "ACTIVE", stripe_status: "active" },
    ]);
    expect(await rows("SELECT DISTINCT status FROM entitlements WHERE device_id = ?1 AND source = 'stripe'", d.id)).toEqual([{ status: "ACTIVE" }]);
    expect(await (await appFetch("/account/services", { headers: { Cookie: cookie } })).text()).not.toContain('data-testid="payment-failed-notice"');
  });

  it("payment failed, then Stripe's retries run out → unpaid: access ends, the notice says so, unbind still blocked (it is still billed)", async () => {
    const { cookie, device: d } = await ownerWithDevice("unpaid");
    const bought = await buyCloudPlan(cookie, d.id, "standard");
    await deliverAll(bought.events);
    for (const action of ["fail_payment", "exhaust_retries"]) {
      const r = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action });
      expect(await deliverAll(r.events)).toEqual(r.events.map(() => 200));
    }
    expect(await rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", bought.subscriptionId)).toEqual([
      { status: "INACTIVE", stripe_status: "unpaid" },
    ]);
    expect(await rows("SELECT DISTINCT status FROM entitlements WHERE device_id = ?1 AND source = 'stripe'", d.id)).toEqual([{ status: "EXPIRED" }]);
    const html = await (await appFetch("/account/services", { headers: { Cookie: cookie } })).text();
    expect(html).toContain('data-testid="payment-failed-notice"');
    expect(html).toContain("we&#x27;ve stopped retrying");
    expect(html).toContain('name="flow" value="payment_method_update"');
    expect((await postJson(cookie, `/api/devices/${d.id}/unbind`)).status).toBe(409);
  });
});

describe("/account/services", () => {
  it("signed out → sign-in; no cameras → link to /account/devices; several → a select of Device.id; a plan button posts to checkout without JS", async () => {
    const out = await appFetch("/account/services");
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toBe(`/login?returnTo=${encodeURIComponent("/account/services")}`);

    const empty = await signIn(`bill-page-empty-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const emptyHtml = await (await appFetch("/account/services", { headers: { Cookie: empty } })).text();
    expect(emptyHtml).toContain('href="/account/devices"');
    expect(emptyHtml).not.toContain('name="deviceId"');

    const { cookie, device: d1 } = await ownerWithDevice("page");
    const d2 = await provisionTestDevice();
    await activate(cookie, d2.serial, d2.code);
    const html = await (await appFetch("/account/services", { headers: { Cookie: cookie } })).text();
    expect(html).toMatch(/<label for="plan-device">Camera<\/label><select id="plan-device" name="deviceId"/);
    for (const id of [d1.id, d2.id]) expect(html).toContain(`<option value="${id}"`);
    for (const code of ["starter", "standard", "premium"]) expect(html).toContain(`name="planCode" value="${code}"`);
    expect(html).not.toContain('value="local"');

    // A plain HTML form post (what the button does without JavaScript) → 303 to Stripe Checkout.
    const res = await form(cookie, "/account/services", { intent: "cloud-checkout", deviceId: d2.id, planCode: "standard" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^${stripeBase()}/c/pay/cs_test_`));
    // A refusal is shown on the page, not as JSON.
    const refused = await form(cookie, "/account/services", { intent: "cloud-checkout", deviceId: crypto.randomUUID(), planCode: "standard" });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain("No such device.");
  });
});

describe("voice tiers and products", () => {
  it("voice BASIC via checkout grants the tier; BASIC again or an upgrade → 409 (portal, never two tiers billed); FREE → 400", async () => {
    const cookie = await signIn(`bill-voice-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const res = await form(cookie, "/api/stripe/checkout", { tier: "BASIC" });
    expect(res.status).toBe(303);
    const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionIdFrom(res.headers.get("Location"))}/complete`);
    await deliverAll(done.events);
    expect(await rows("SELECT key, sku, status, device_id FROM entitlements WHERE user_id = ?1 AND source = 'stripe'", userId)).toEqual([
      { key: "voice_tier", sku: "BASIC", status: "ACTIVE", device_id: null },
    ]);
    expect(await (await appFetch("/account/services", { headers: { Cookie: cookie } })).text()).toContain("Voice Basic");

    const again = await postJson(cookie, "/api/stripe/checkout", { tier: "BASIC" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error).toBe("already_subscribed_use_billing_portal");
    const upgrade = await postJson(cookie, "/api/stripe/checkout", { tier: "PREMIUM" });
    expect(upgrade.status).toBe(409);
    expect(((await upgrade.json()) as Json).error).toBe("already_subscribed_use_billing_portal");
    const free = await postJson(cookie, "/api/stripe/checkout", { tier: "FREE" });
    expect(free.status).toBe(400);
    expect(((await free.json()) as Json).error).toBe("plan_not_purchasable");
  });

  it("hardware purchase: payment Checkout with shipping → one PAID order per session, repeats included", async () => {
    const cookie = await signIn(`bill-order-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const res = await form(cookie, "/api/checkout/product", { sku: "nexa-mini-2k", quantity: "2" });
    expect(res.status).toBe(303);
    const sessionId = sessionIdFrom(res.headers.get("Location"));
    const s = await stripeGet(`/v1/checkout/sessions/${sessionId}`);
    expect(s).toMatchObject({
      mode: "payment",
      shipping_address_collection: { allowed_countries: ["US", "CA"] },
      metadata: { checkoutType: "product_purchase", sku: "nexa-mini-2k" },
    });
    const done = await standin<{ events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
    await deliverAll(done.events);
    await deliverAll(done.events.filter((e) => e.type === "checkout.session.completed"));
    const page = await appFetch(`/checkout/success?session_id=${sessionId}`, { headers: { Cookie: cookie } });
    expect(await page.text()).toContain("received your payment for NEXA Mini 2K");
    const order = await rows(
      "SELECT user_id, sku, quantity, amount_total, currency, status, shipping_name, shipping_address_json FROM orders WHERE checkout_session_id = ?1",
      sessionId,
    );
    expect(order).toEqual([
      {
        user_id: userId,
        sku: "nexa-mini-2k",
        quantity: 2,
        amount_total: 2 * 5999,
        currency: "usd",
        status: "PAID",
        shipping_name: expect.any(String),
        shipping_address_json: expect.stringContaining('"country":"US"'),
      },
    ]);

    const plan = await postJson(cookie, "/api/checkout/product", { sku: "aovis-cloud-standard" });
    expect(plan.status).toBe(400);
    expect((await postJson(cookie, "/api/checkout/product", { sku: "no-such-thing" })).status).toBe(404);
  });
});

describe("webhook", () => {
  const customerCreated = (id: string) =>
    JSON.stringify({ id, object: "event", type: "customer.created", created: 1, livemode: false, data: { object: { id: "cus_x", object: "customer" } } });
  const fakeEvent = (id: string, subId: string) =>
    JSON.stringify({
      id,
      object: "event",
      api_version: "2025-03-31.basil",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type: "customer.subscription.updated",
      data: { object: { id: subId, object: "subscription" } },
    });

  it("missing signature, bad signature, stale timestamp (> 300 s) → 400 and nothing written", async () => {
    const payload = fakeEvent(`evt_sec_${crypto.randomUUID().slice(0, 8)}`, "sub_whatever");
    const before = { events: await count("stripe_events"), subs: await count("subscriptions") };
    expect((await deliverRaw(payload, null)).status).toBe(400);
    const good = await sign(payload);
    const tampered = await deliverRaw(payload.replace("sub_whatever", "sub_whatevex"), good);
    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as Json).error).toBe("invalid_signature");
    const wrongSecret = good.replace(/v1=[0-9a-f]+/, `v1=${"0".repeat(64)}`);
    expect((await deliverRaw(payload, wrongSecret)).status).toBe(400);
    const stale = await sign(payload, Math.floor(Date.now() / 1000) - 301);
    expect((await deliverRaw(payload, stale)).status).toBe(400);
    expect({ events: await count("stripe_events"), subs: await count("subscriptions") }).toEqual(before);
  });

  it("a timestamp more than 300 s in the future is refused like a stale one; within 300 s either way is accepted", async () => {
    const before = await count("stripe_events");
    // Past the tolerance by a margin a loaded machine's delay between signing and checking can't eat.
    for (const ahead of [330, 3600, 10 * 365 * 86400]) {
      const payload = customerCreated(`evt_future_${crypto.randomUUID().slice(0, 8)}`);
      const res = await deliverRaw(payload, await sign(payload, Math.floor(Date.now() / 1000) + ahead));
      expect(res.status, `+${ahead} s`).toBe(400);
      expect(((await res.json()) as Json).error).toBe("invalid_signature");
    }
    expect(await count("stripe_events")).toBe(before);
    for (const skew of [-240, 240]) {
      const payload = customerCreated(`evt_skew_${crypto.randomUUID().slice(0, 8)}`);
      expect((await deliverRaw(payload, await sign(payload, Math.floor(Date.now() / 1000) + skew))).status, `${skew} s`).toBe(200);
    }
  });

  it("a correctly signed body that isn't a JSON event → 400 invalid_payload (not invalid_signature), nothing written", async () => {
    const before = await count("stripe_events");
    for (const payload of ["not json at all", '{"id": "evt_cut', "[]", "null", JSON.stringify({ hello: "world" }), JSON.stringify({ id: 42, type: "x" })]) {
      const res = await deliverRaw(payload, await sign(payload));
      expect(res.status, payload).toBe(400);
      expect(((await res.json()) as Json).error, payload).toBe("invalid_payload");
    }
    expect(await count("stripe_events")).toBe(before);
  });

  it("objects Stripe doesn't know (re-read 404) and events without an object → 200, recorded as ignored; a redelivery is a duplicate", async () => {
    const ev = (type: string, data: unknown) =>
      JSON.stringify({ id: `evt_unknown_${crypto.randomUUID().slice(0, 8)}`, object: "event", type, created: 1, livemode: false, data });
    const cases: [string, string, string | null][] = [
      [
        "a subscription Stripe doesn't have",
        ev("customer.subscription.updated", { object: { id: "sub_not_in_stripe", object: "subscription" } }),
        "sub_not_in_stripe",
      ],
      [
        "a Checkout Session Stripe doesn't have",
        ev("checkout.session.completed", { object: { id: "cs_test_not_in_stripe", object: "checkout.session" } }),
        "cs_test_not_in_stripe",
      ],
      [
        "an invoice of a subscription Stripe doesn't have",
        ev("invoice.paid", { object: { id: "in_x", object: "invoice", parent: { subscription_details: { subscription: "sub_gone_too" } } } }),
        "sub_gone_too",
      ],
      ["an event without data.object", ev("customer.subscription.deleted", {}), null],
      [
        "an event without data",
        JSON.stringify({ id: `evt_nodata_${crypto.randomUUID().slice(0, 8)}`, type: "checkout.session.completed", livemode: false }),
        null,
      ],
      ["an object without an id", ev("customer.subscription.created", { object: { object: "subscription" } }), null],
    ];
    for (const [what, payload, objectId] of cases) {
      const res = await deliverRaw(payload, await sign(payload));
      expect(res.status, what).toBe(200);
      expect((await res.json()) as Json, what).toMatchObject({ received: true, duplicate: false, outcome: "ignored" });
      expect(await rows("SELECT outcome, object_id FROM stripe_events WHERE id = ?1", JSON.parse(payload).id), what).toEqual([
        { outcome: "ignored", object_id: objectId },
      ]);
      const again = await deliverRaw(payload, await sign(payload));
      expect(again.status, what).toBe(200);
      expect(((await again.json()) as Json).duplicate, what).toBe(true);
    }

    const other = JSON.stringify({
      id: `evt_other_${crypto.randomUUID().slice(0, 8)}`,
      object: "event",
      type: "customer.created",
      created: 1,
      livemode: false,
      data: { object: { id: "cus_x", object: "customer" } },
    });
    const ok = await deliverRaw(other, await sign(other));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Json).outcome).toBe("ignored");
    expect(await rows("SELECT outcome FROM stripe_events WHERE id = ?1", JSON.parse(other).id)).toEqual([{ outcome: "ignored" }]);
  });

  it("our own failures stay 5xx and unrecorded, so Stripe retries: Stripe answering 500, a key of the other mode", async () => {
    const id = `evt_transient_${crypto.randomUUID().slice(0, 8)}`;
    const payload = fakeEvent(id, "sub_while_stripe_is_down");
    // A Stripe client whose every call gets Stripe's own 500 (told not to retry, to keep the test short).
    const failingEnv = { ...env } as Env;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () =>
      new Response(JSON.stringify({ error: { type: "api_error", message: "An unknown error occurred" } }), {
        status: 500,
        headers: { "Content-Type": "application/json", "Stripe-Should-Retry": "false" },
      })) as typeof fetch;
    try {
      getStripe(failingEnv); // the SDK keeps the fetch it was created with
    } finally {
      globalThis.fetch = realFetch;
    }
    const res = await deliverWith(failingEnv, payload);
    expect(res.status).toBe(500);
    expect(((await res.json()) as Json).error).toBe("processing_failed");
    expect(await rows("SELECT id FROM stripe_events WHERE id = ?1", id)).toEqual([]);

    // A live-mode event while our key is a test key: every re-read would 404, and that is ours to fix.
    const live = JSON.stringify({ ...JSON.parse(fakeEvent(`evt_live_${crypto.randomUUID().slice(0, 8)}`, "sub_live_only")), livemode: true });
    expect((await deliverRaw(live, await sign(live))).status).toBe(500);
    expect(await rows("SELECT id FROM stripe_events WHERE id = ?1", JSON.parse(live).id)).toEqual([]);
  });

  it("ACTIVE without a period: applySubscription refuses and writes nothing (the webhook answers 5xx)", async () => {
    const a = await ownerWithDevice("noperiod");
    const before = {
      subs: await count("subscriptions"),
      ents: await count("entitlements"),
      events: await count("stripe_events"),
      audit: await count("audit_log"),
    };
    const sub = {
      id: "sub_active_no_period",
      status: "active",
      customer: "cus_noperiod",
      metadata: { checkoutType: "cloud_storage_subscription", userId: a.userId, deviceId: a.device.id, planCode: "standard" },
      items: { data: [{ price: { id: env.STRIPE_PRICE_CLOUD_STANDARD } }] },
    };
    expect(await applySubscription(depsFor(env), sub, { eventId: "evt_no_period", eventType: "customer.subscription.updated" }, Date.now())).toMatchObject({
      ok: false,
      error: "active_without_period",
      subscriptionId: "sub_active_no_period",
    });
    expect({
      subs: await count("subscriptions"),
      ents: await count("entitlements"),
      events: await count("stripe_events"),
      audit: await count("audit_log"),
    }).toEqual(before);
  });

  it("an older snapshot never overwrites a newer one (racing deliveries)", async () => {
    const a = await ownerWithDevice("race");
    const base = {
      id: `sub_race_${crypto.randomUUID().slice(0, 8)}`,
      customer: "cus_race",
      metadata: { userId: a.userId, deviceId: a.device.id, planCode: "standard" },
      items: { data: [{ price: { id: env.STRIPE_PRICE_CLOUD_STANDARD }, current_period_start: 1_900_000_000, current_period_end: 1_902_592_000 }] },
    };
    const t = Date.now();
    await applySubscription(depsFor(env), { ...base, status: "canceled", ended_at: 1_900_100_000 }, { eventType: "test" }, t + 10);
    await applySubscription(depsFor(env), { ...base, status: "active" }, { eventType: "test" }, t); // read earlier, arrives later
    expect(await rows("SELECT status FROM subscriptions WHERE external_id = ?1", base.id)).toEqual([{ status: "CANCELLED" }]);
    expect(await rows("SELECT DISTINCT status FROM entitlements WHERE external_id LIKE ?1", `stripe:${base.id}:%`)).toEqual([{ status: "EXPIRED" }]);
  });
});

describe("expiry sweep", () => {
  it("expires entitlements past their expiry (trial rows included), leaves current ones alone", async () => {
    const a = await ownerWithDevice("sweep");
    const now = Date.now();
    await env.DB.prepare("UPDATE entitlements SET expires_at = ?1 WHERE device_id = ?2 AND source = 'trial'")
      .bind(now - 1000, a.device.id)
      .run();
    await env.DB.prepare("UPDATE subscriptions SET current_period_end = ?1 WHERE device_id = ?2 AND source = 'trial'")
      .bind(now - 1000, a.device.id)
      .run();
    const b = await ownerWithDevice("sweep-keep");
    const r = await expireEntitlements(depsFor(env), now);
    expect(r.entitlementsExpired).toBeGreaterThanOrEqual(1);
    expect(await rows("SELECT status, ended_at FROM entitlements WHERE device_id = ?1", a.device.id)).toEqual([{ status: "EXPIRED", ended_at: now - 1000 }]);
    expect(await rows("SELECT status FROM subscriptions WHERE device_id = ?1", a.device.id)).toEqual([{ status: "EXPIRED" }]);
    expect(await rows("SELECT status FROM entitlements WHERE device_id = ?1", b.device.id)).toEqual([{ status: "ACTIVE" }]);
    expect((await device(a.cookie, a.device.id)).historyDays).toBe(0);
  });
});

describe("racing snapshots", () => {
  it("a slow re-read can't put an older state over a newer one: the read time is taken before the call", async () => {
    const { cookie, device: d } = await ownerWithDevice("slow");
    const bought = await buyCloudPlan(cookie, d.id, "standard");
    await deliverAll(bought.events);
    const status = () => rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", bought.subscriptionId);
    // Bought during the camera's trial (ADR 018): trialing, which is ACTIVE.
    expect(await status()).toEqual([{ status: "ACTIVE", stripe_status: "trialing" }]);

    // A Stripe client whose answer for this subscription is held back until we let it go.
    let answered!: () => void;
    let release!: () => void;
    const wasAnswered = new Promise<void>((r) => (answered = r));
    const released = new Promise<void>((r) => (release = r));
    const slowEnv = { ...env } as Env;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await realFetch(input, init);
      if (new URL(input instanceof Request ? input.url : String(input)).pathname === `/v1/subscriptions/${bought.subscriptionId}`) {
        answered();
        await released;
      }
      return res;
    }) as typeof fetch;
    try {
      getStripe(slowEnv); // the SDK keeps the fetch it was created with
    } finally {
      globalThis.fetch = realFetch;
    }

    const payload = JSON.stringify({
      id: `evt_slow_${crypto.randomUUID().slice(0, 8)}`,
      object: "event",
      type: "customer.subscription.updated",
      created: 1,
      livemode: false,
      data: { object: { id: bought.subscriptionId, object: "subscription" } },
    });
    const slow = deliverWith(slowEnv, payload);
    await wasAnswered; // Stripe said "active"; that answer is still on its way
    await new Promise((r) => setTimeout(r, 5));
    const failed = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action: "fail_payment" });
    expect(await deliverAll(failed.events)).toEqual(failed.events.map(() => 200));
    expect(await status()).toEqual([{ status: "INACTIVE", stripe_status: "past_due" }]);

    release();
    expect((await slow).status).toBe(200);
    expect(await status()).toEqual([{ status: "INACTIVE", stripe_status: "past_due" }]);
    // past_due keeps access in grace (ADR 017), to the grace end: not the older snapshot's period end.
    const period = ((await stripeGet(`/v1/subscriptions/${bought.subscriptionId}`)) as Json).items.data[0];
    expect(await rows("SELECT DISTINCT status, expires_at FROM entitlements WHERE external_id LIKE ?1", `stripe:${bought.subscriptionId}:%`)).toEqual([
      { status: "ACTIVE", expires_at: Math.min(period.current_period_start * 1000 + PAYMENT_GRACE_DAYS * DAY_MS, period.current_period_end * 1000) },
    ]);
  });

  it("a cancelled subscription is final: a live snapshot never revives it, even one stamped later", async () => {
    const a = await ownerWithDevice("final");
    const base = {
      id: `sub_final_${crypto.randomUUID().slice(0, 8)}`,
      customer: "cus_final",
      metadata: { userId: a.userId, deviceId: a.device.id, planCode: "standard" },
      items: { data: [{ price: { id: env.STRIPE_PRICE_CLOUD_STANDARD }, current_period_start: 1_900_000_000, current_period_end: 1_902_592_000 }] },
    };
    const t = Date.now();
    await applySubscription(depsFor(env), { ...base, status: "canceled", ended_at: 1_900_100_000 }, { eventType: "test" }, t);
    await applySubscription(depsFor(env), { ...base, status: "active" }, { eventType: "test" }, t + 10);
    await applySubscription(depsFor(env), { ...base, status: "past_due" }, { eventType: "test" }, t + 20);
    expect(await rows("SELECT status, stripe_status FROM subscriptions WHERE external_id = ?1", base.id)).toEqual([
      { status: "CANCELLED", stripe_status: "canceled" },
    ]);
    expect(await rows("SELECT DISTINCT status FROM entitlements WHERE external_id LIKE ?1", `stripe:${base.id}:%`)).toEqual([{ status: "EXPIRED" }]);
  });
});

describe("subscriptions that aren't ours", () => {
  it("a Dashboard subscription on a price we don't sell → 200, recorded as ignored; the same for one of our users → 500 until fixed", async () => {
    // Made in the Dashboard: a customer we never created, a userId that isn't one of ours.
    const customer = await stripePost("/v1/customers", { email: "walk-in@example.com" });
    const session = await stripePost("/v1/checkout/sessions", {
      mode: "subscription",
      customer: customer.id,
      "line_items[0][price]": env.STRIPE_PRICE_VOICE_BASIC,
      "line_items[0][quantity]": "1",
      "subscription_data[metadata][userId]": "usr_not_one_of_ours",
      success_url: "https://example.com/done",
    });
    const foreign = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${session.id}/complete`);
    const created = foreign.events.find((e) => e.type === "customer.subscription.created")!;
    const res = await deliverWith(envWithoutVoiceBasic(), created.payload);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).outcome).toBe("ignored");
    expect(await rows("SELECT outcome, object_id FROM stripe_events WHERE id = ?1", created.id)).toEqual([
      { outcome: "ignored", object_id: foreign.session.subscription },
    ]);
    expect(await rows("SELECT id FROM subscriptions WHERE external_id = ?1", foreign.session.subscription)).toEqual([]);

    // One of our users on a price our configuration lacks: our mistake, so Stripe must keep retrying.
    const cookie = await signIn(`bill-unknown-price-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const bought = await form(cookie, "/api/stripe/checkout", { tier: "BASIC" });
    const ours = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionIdFrom(bought.headers.get("Location"))}/complete`);
    const ourCreated = ours.events.find((e) => e.type === "customer.subscription.created")!;
    expect((await deliverWith(envWithoutVoiceBasic(), ourCreated.payload)).status).toBe(500);
    expect(await rows("SELECT id FROM stripe_events WHERE id = ?1", ourCreated.id)).toEqual([]);
  });
});

describe("checkout success page when the payment can't be recorded yet", () => {
  it("an order whose metadata we can't use shows 'couldn't confirm' (not a 500); an unknown price is a refusal, not a throw", async () => {
    const cookie = await signIn(`bill-return-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const session = await stripePost("/v1/checkout/sessions", {
      mode: "payment",
      "line_items[0][price]": env.STRIPE_PRICE_NEXA_MINI_2K,
      "line_items[0][quantity]": "1",
      "metadata[checkoutType]": "product_purchase",
      "metadata[userId]": userId, // and no sku
      success_url: `${ORIGIN}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    });
    await standin(`/__standin/checkout/${session.id}/complete`);
    const page = await appFetch(`/checkout/success?session_id=${session.id}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("We couldn&#x27;t confirm your payment right now");
    expect(html).toContain("you won&#x27;t be charged twice");

    const bought = await form(cookie, "/api/stripe/checkout", { tier: "BASIC" });
    const sessionId = sessionIdFrom(bought.headers.get("Location"));
    await standin(`/__standin/checkout/${sessionId}/complete`);
    const r = await completeCheckoutReturn(depsFor(envWithoutVoiceBasic()), sessionId, { user: { id: userId, email: "x@example.com" } });
    expect(r).toMatchObject({ ok: false, error: "not_confirmed" });
  });
});

describe("paying twice for the same thing", () => {
  it("two tabs get the same open Checkout Session; a second paid plan for the camera anyway is recorded once for an operator", async () => {
    const { cookie, device: d } = await ownerWithDevice("twotabs");
    const tab1 = await form(cookie, "/api/checkout/cloud-storage", { deviceId: d.id, planCode: "standard" });
    const tab2 = await form(cookie, "/account/services", { intent: "cloud-checkout", deviceId: d.id, planCode: "standard" });
    expect(tab1.status).toBe(303);
    expect(tab2.status).toBe(303);
    expect(tab2.headers.get("Location")).toBe(tab1.headers.get("Location"));

    // Another plan for the same camera is another session (nothing expires the first: ADR 008) ...
    const other = await form(cookie, "/api/checkout/cloud-storage", { deviceId: d.id, planCode: "premium" });
    const [s1, s2] = [sessionIdFrom(tab1.headers.get("Location")), sessionIdFrom(other.headers.get("Location"))];
    expect(s2).not.toBe(s1);
    // ... so both can be paid. Both are applied (Stripe bills both); the later one is reported once.
    const paid1 = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${s1}/complete`);
    const paid2 = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${s2}/complete`);
    const [sub1, sub2] = [paid1.session.subscription as string, paid2.session.subscription as string];
    expect(await deliverAll(paid1.events)).toEqual(paid1.events.map(() => 200));
    expect(await deliverAll(paid2.events)).toEqual(paid2.events.map(() => 200));
    expect(await deliverAll(paid1.events.slice(0, 1))).toEqual([200]);
    const flagged = await rows(
      "SELECT subject_id, device_id, detail_json FROM audit_log WHERE event = 'subscription_paid_twice' AND subject_id IN (?1, ?2)",
      sub1,
      sub2,
    );
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ subject_id: sub2, device_id: null });
    expect(JSON.parse(flagged[0].detail_json)).toMatchObject({ duplicates: [sub1], deviceId: d.id, kind: "cloud", planCode: "premium" });
    expect(await rows("SELECT external_id, status FROM subscriptions WHERE device_id = ?1 AND source = 'stripe' ORDER BY external_id", d.id)).toEqual(
      [sub1, sub2].sort().map((external_id) => ({ external_id, status: "ACTIVE" })),
    );
  });
});

describe("request bodies", () => {
  it("/account/services: a JSON or plain-text POST is a 400 with a message, not a 500", async () => {
    const cookie = await signIn(`bill-body-${crypto.randomUUID().slice(0, 8)}@example.com`);
    for (const [type, body] of [
      ["application/json", JSON.stringify({ intent: "voice-checkout", tier: "BASIC" })],
      ["text/plain", "intent=voice-checkout"],
    ]) {
      const res = await appFetch("/account/services", { method: "POST", headers: { Cookie: cookie, "Content-Type": type }, body });
      expect(res.status, type).toBe(400);
      expect(await res.text(), type).toContain("That request could not be read.");
    }
  });

  it("webhook: a chunked body is counted as it arrives → 413 past the cap; a chunked event under it is processed", async () => {
    const chunked = (chunks: Uint8Array[]) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const ch of chunks) c.enqueue(ch);
          c.close();
        },
      });
    const filler = new Uint8Array(64 * 1024).fill(0x20);
    const big = new Request(`${ORIGIN}/api/stripe/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": await sign("{}") },
      body: chunked(Array.from({ length: MAX_WEBHOOK_BYTES / filler.length + 1 }, () => filler)),
    });
    expect(big.headers.get("Content-Length")).toBeNull();
    const res = await handleStripeWebhook(big, env);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error).toBe("payload_too_large");

    // Split inside a multi-byte character: the signature is over exactly the bytes sent.
    const id = `evt_chunked_${crypto.randomUUID().slice(0, 8)}`;
    const payload = JSON.stringify({
      id,
      object: "event",
      type: "customer.created",
      created: 1,
      livemode: false,
      data: { object: { id: "cus_x", object: "customer", name: "Zoë" } },
    });
    const bytes = new TextEncoder().encode(payload);
    const cut = bytes.indexOf(0xc3) + 1;
    const small = new Request(`${ORIGIN}/api/stripe/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": await sign(payload) },
      body: chunked([bytes.slice(0, cut), bytes.slice(cut)]),
    });
    expect((await handleStripeWebhook(small, env)).status).toBe(200);
    expect(await rows("SELECT outcome FROM stripe_events WHERE id = ?1", id)).toEqual([{ outcome: "ignored" }]);
  });
});
