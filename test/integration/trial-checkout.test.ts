import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cloudPlanByCode } from "~/domain/plans";
import { STRIPE_MIN_TRIAL_LEAD_MS, TRIAL_END_MARGIN_MS } from "~/domain/trial-checkout";
import { formatDate } from "~/lib/format";
import { appFetch } from "../helpers/app";
import { deliverAll, standin, stripeBase, stripeGet, type EventRecord, type Json } from "../helpers/stripe";
import { signIn } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";

// A cloud plan bought during the camera's trial starts billing when the trial ends (ADR 018),
// through the Stripe stand-in, which treats subscription_data.trial_end as Stripe does.

async function trialCamera(tag: string) {
  const cookie = await signIn(`trial-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const d = await provisionTestDevice();
  expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
  const trial = await env.DB.prepare("SELECT expires_at FROM entitlements WHERE device_id = ?1 AND source = 'trial' AND key = 'cloud_playback'")
    .bind(d.id)
    .first<{ expires_at: number }>();
  return { cookie, device: d, trialEndsAt: trial!.expires_at };
}

async function buy(cookie: string, deviceId: string, planCode = "standard") {
  const res = await appFetch("/account/services", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "cloud-checkout", deviceId, planCode }).toString(),
  });
  expect(res.status).toBe(303);
  const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
  const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  return { subscriptionId: done.session.subscription as string, events: done.events };
}

const page = async (cookie: string) => (await appFetch("/account/services", { headers: { Cookie: cookie, "Accept-Language": "en-US" } })).text();

describe("buying a plan during the camera's trial (ADR 018)", () => {
  it("the page says billing starts at the trial's end; the subscription is trialing with its first charge at the trial's end", async () => {
    const { cookie, device: d, trialEndsAt } = await trialCamera("buy");
    const trialEnd = Math.ceil(trialEndsAt / 1000);
    const before = await page(cookie);
    expect(before).toContain('data-testid="trial-billing-note"');
    expect(before).toContain(`you won&#x27;t be charged until ${formatDate(trialEnd * 1000, "en-US")}`);

    const bought = await buy(cookie, d.id);
    const sub = await stripeGet(`/v1/subscriptions/${bought.subscriptionId}?expand[]=latest_invoice`);
    expect([sub.status, sub.trial_end, sub.items.data[0].current_period_end]).toEqual(["trialing", trialEnd, trialEnd]);
    expect(sub.latest_invoice.amount_due).toBe(0); // nothing charged at checkout

    expect(await deliverAll(bought.events)).toEqual(bought.events.map(() => 200));
    const row = await env.DB.prepare("SELECT status, stripe_status, current_period_end FROM subscriptions WHERE external_id = ?1")
      .bind(bought.subscriptionId)
      .first();
    expect(row).toEqual({ status: "ACTIVE", stripe_status: "trialing", current_period_end: trialEnd * 1000 });
    const after = await page(cookie);
    expect(after).toContain(`Free until ${formatDate(trialEnd * 1000, "en-US")}; billing starts then`);
    expect(after).not.toContain('data-testid="trial-billing-note"');

    // The trial ends: the first charge is the plan's price, for the period starting at trial_end.
    const renewed = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action: "renew" });
    const paid = JSON.parse(renewed.events.find((e) => e.type === "invoice.paid")!.payload).data.object;
    expect([paid.amount_paid, paid.lines.data[0].period.start]).toEqual([cloudPlanByCode("standard")!.priceCents, trialEnd]);
  });

  it("inside the trial's last two days billing starts 48 hours (plus a margin) after checkout, as Stripe requires", async () => {
    const { cookie, device: d } = await trialCamera("late");
    const soon = Date.now() + 24 * 3600 * 1000;
    await env.DB.prepare("UPDATE entitlements SET expires_at = ?2 WHERE device_id = ?1 AND source = 'trial'").bind(d.id, soon).run();
    await env.DB.prepare("UPDATE subscriptions SET current_period_end = ?2 WHERE device_id = ?1 AND source = 'trial'").bind(d.id, soon).run();
    const t0 = Date.now();
    const bought = await buy(cookie, d.id, "starter");
    const sub = await stripeGet(`/v1/subscriptions/${bought.subscriptionId}`);
    expect(sub.status).toBe("trialing");
    expect(sub.trial_end * 1000).toBeGreaterThanOrEqual(t0 + STRIPE_MIN_TRIAL_LEAD_MS + TRIAL_END_MARGIN_MS - 1000);
    expect(sub.trial_end * 1000).toBeLessThanOrEqual(Date.now() + STRIPE_MIN_TRIAL_LEAD_MS + TRIAL_END_MARGIN_MS + 1000);
  });

  it("the stand-in refuses a trial_end less than 48 hours away, as Stripe does", async () => {
    const res = await fetch(`${stripeBase()}/v1/checkout/sessions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        mode: "subscription",
        "line_items[0][price]": env.STRIPE_PRICE_CLOUD_STANDARD,
        "line_items[0][quantity]": "1",
        "subscription_data[trial_end]": String(Math.floor(Date.now() / 1000) + 47 * 3600),
        success_url: "https://example.com/done",
      }).toString(),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.param).toBe("subscription_data[trial_end]");
  });

  it("cancelled during the trial: the camera shows the trial as its one plan and says what happens next", async () => {
    const { cookie, device: d, trialEndsAt } = await trialCamera("cancel");
    const bought = await buy(cookie, d.id);
    await deliverAll(bought.events);
    const cancelled = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${bought.subscriptionId}/advance`, { action: "cancel" });
    expect(await deliverAll(cancelled.events)).toEqual(cancelled.events.map(() => 200));
    const html = await page(cookie);
    const rowHtml = html.slice(html.indexOf(`data-device-id="${d.id}"`));
    expect(rowHtml).toContain(`Standard was cancelled. Trial ends on ${formatDate(trialEndsAt, "en-US")}, then no cloud history unless you choose a plan.`);
  });
});
