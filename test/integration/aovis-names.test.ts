import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cloudPlanByCode } from "~/domain/plans";
import { openBillingPortal } from "~/models/billing/portal.server";
import { depsFor } from "~/models/deps.server";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";
import { deliverAll, standin, type EventRecord, type Json } from "../helpers/stripe";

// ADR 021: the existing AOVIS deployment's skus (migration 0011 + aliases) and its Billing Portal
// configuration.

const OLD_TO_NEW = [
  ["aovis-cloud-starter", "aovis-cloud-storage-starter"],
  ["aovis-cloud-standard", "aovis-cloud-storage-standard"],
  ["aovis-cloud-premium", "aovis-cloud-storage-premium"],
] as const;

async function all(sql: string, ...binds: unknown[]): Promise<Json[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<Json>()
  ).results;
}

/** Runs one of the real migrations' statements again, as `wrangler d1 migrations apply` would. */
async function applyMigration(namePart: string) {
  const m = env.TEST_MIGRATIONS.find((x) => x.name.includes(namePart));
  if (!m) throw new Error(`no migration ${namePart}`);
  await env.DB.batch(m.queries.map((q) => env.DB.prepare(q)));
}

async function ownerWithDevice() {
  const cookie = await signIn(`names-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const device = await provisionTestDevice();
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  return { cookie, userId: await userIdOf(cookie), device };
}

describe("sku migration 0011", () => {
  it("renames the old cloud skus in subscriptions, entitlements, orders and products, keeping every other column", async () => {
    // Rows as the app wrote them before the rename (the migration has run once already in setup:
    // running it again over old rows is exactly what it does in production).
    const { userId, device } = await ownerWithDevice();
    const t0 = Date.parse("2026-01-05T10:00:00Z");
    const ids: string[] = [];
    for (const [i, [oldSku]] of OLD_TO_NEW.entries()) {
      const subId = crypto.randomUUID();
      ids.push(subId);
      await env.DB.batch([
        env.DB.prepare(
          `INSERT INTO subscriptions (id, external_id, source, user_id, device_id, sku, plan_code, status, stripe_status, current_period_start, current_period_end, cancel_at_period_end, ended_at, created_at, updated_at)
           VALUES (?1, ?2, 'stripe', ?3, ?4, ?5, 'x', 'CANCELLED', 'canceled', ?6, ?7, 1, ?7, ?6, ?7)`,
        ).bind(subId, `sub_old_${subId}`, userId, device.id, oldSku, t0 + i, t0 + 30 * 86400_000),
        env.DB.prepare(
          `INSERT INTO entitlements (id, external_id, subscription_id, source, user_id, device_id, key, quota, sku, status, starts_at, expires_at, ended_at, updated_at)
           VALUES (?1, ?2, ?3, 'stripe', ?4, ?5, 'cloud_playback', 7, ?6, 'EXPIRED', ?7, ?8, ?8, ?8)`,
        ).bind(crypto.randomUUID(), `ent_old_${subId}`, subId, userId, device.id, oldSku, t0, t0 + 30 * 86400_000),
        env.DB.prepare(
          `INSERT INTO orders (id, checkout_session_id, user_id, sku, quantity, amount_total, currency, status, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, 1, 499, 'usd', 'PAID', ?5, ?5)`,
        ).bind(crypto.randomUUID(), `cs_old_${subId}`, userId, oldSku, t0),
        env.DB.prepare(
          `INSERT INTO products (sku, kind, name, description, price_cents, currency, billing_interval, features_json, listed, sort_order)
           VALUES (?1, 'cloud_plan', 'Old', 'Old row', 1, 'usd', 'month', '[]', 1, 999) ON CONFLICT(sku) DO NOTHING`,
        ).bind(oldSku),
      ]);
    }
    const untouched = await all("SELECT * FROM subscriptions WHERE user_id = ?1 AND sku = ?2", userId, "aovis-daily-backup-starter-trial");
    const before = await all("SELECT * FROM subscriptions WHERE id IN (?1, ?2, ?3) ORDER BY created_at", ...ids);

    await applyMigration("aovis_cloud_storage_skus");

    const after = await all("SELECT * FROM subscriptions WHERE id IN (?1, ?2, ?3) ORDER BY created_at", ...ids);
    expect(after).toEqual(before.map((r, i) => ({ ...r, sku: OLD_TO_NEW[i][1] })));
    const ents = await all("SELECT subscription_id, sku, status, starts_at, expires_at FROM entitlements WHERE subscription_id IN (?1, ?2, ?3)", ...ids);
    expect(ents.map((e) => [e.subscription_id, e.sku, e.status, e.starts_at])).toEqual(
      expect.arrayContaining(ids.map((id, i) => [id, OLD_TO_NEW[i][1], "EXPIRED", t0])),
    );
    const orders = await all("SELECT sku FROM orders WHERE user_id = ?1 ORDER BY sku", userId);
    expect(orders.map((o) => o.sku)).toEqual(OLD_TO_NEW.map(([, n]) => n).sort());
    // The catalogue keeps one row per product: the new one (seeded from plans.ts), old rows gone.
    const products = await all("SELECT sku, name FROM products WHERE sku LIKE 'aovis-cloud-%' ORDER BY sort_order");
    expect(products.map((p) => p.sku)).toEqual(["aovis-cloud-local", ...OLD_TO_NEW.map(([, n]) => n)]);
    expect(products[2].name).toBe(cloudPlanByCode("standard")!.name);
    // The trial's rows are not touched.
    expect(await all("SELECT * FROM subscriptions WHERE user_id = ?1 AND sku = ?2", userId, "aovis-daily-backup-starter-trial")).toEqual(untouched);
  });

  it("the store shows the new skus; an old /store link still finds its product", async () => {
    const now = await appFetch("/store/aovis-cloud-storage-standard");
    expect(now.status).toBe(200);
    expect(await now.text()).toContain("Standard");
    expect((await appFetch("/store/aovis-cloud-standard")).status).toBe(200);
  });
});

describe("in-flight subscriptions converge", () => {
  it("a webhook for a subscription whose row still has the old sku grants the plan under the new sku, without a second subscription", async () => {
    const { cookie, userId, device } = await ownerWithDevice();
    const res = await appFetch("/api/checkout/cloud-storage", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ deviceId: device.id, planCode: "standard" }).toString(),
    });
    expect(res.status).toBe(303);
    const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
    const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
    const subscriptionId = done.session.subscription as string;
    expect(await deliverAll(done.events)).toEqual(done.events.map(() => 200));
    // What an instance still running the old code wrote during the deploy.
    await env.DB.batch([
      env.DB.prepare("UPDATE subscriptions SET sku = 'aovis-cloud-standard' WHERE external_id = ?1").bind(subscriptionId),
      env.DB.prepare("UPDATE entitlements SET sku = 'aovis-cloud-standard' WHERE source = 'stripe' AND device_id = ?1").bind(device.id),
    ]);

    const renewed = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action: "renew" });
    expect(await deliverAll(renewed.events)).toEqual(renewed.events.map(() => 200));

    const subs = await all("SELECT external_id, sku, status FROM subscriptions WHERE device_id = ?1 AND source = 'stripe'", device.id);
    expect(subs).toEqual([{ external_id: subscriptionId, sku: "aovis-cloud-storage-standard", status: "ACTIVE" }]);
    const ents = await all("SELECT sku, status, quota FROM entitlements WHERE device_id = ?1 AND source = 'stripe' AND key = 'cloud_playback'", device.id);
    expect(ents).toEqual([{ sku: "aovis-cloud-storage-standard", status: "ACTIVE", quota: 7 }]);
    const view = (await (await appFetch(`/api/devices/${device.id}`, { headers: { Cookie: cookie } })).json()) as Json;
    expect(view.device.plan).toMatchObject({ code: "standard", status: "ACTIVE", source: "stripe" });
    expect(userId).toBeTruthy();
  });
});

describe("Billing Portal configuration", () => {
  async function customerOwner() {
    const o = await ownerWithDevice();
    const res = await appFetch("/api/checkout/cloud-storage", {
      method: "POST",
      headers: { Cookie: o.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ deviceId: o.device.id, planCode: "starter" }).toString(),
    });
    expect(res.status).toBe(303); // creates the Stripe customer
    return o;
  }

  it("passes STRIPE_PORTAL_CONFIGURATION_ID as the session's configuration", async () => {
    const o = await customerOwner();
    const r = await openBillingPortal(depsFor(env), {}, { user: { id: o.userId, email: "x@example.com" } });
    expect(r.ok).toBe(true);
    const id = /\/p\/session\/([^/?]+)$/.exec(r.ok ? r.url : "")![1];
    const ps = await (await fetch(`${env.TEST_STANDIN_URLS.stripe}/__standin/portal-sessions/${id}`)).json<Json>();
    expect(ps.configuration).toBe((env as unknown as Record<string, string>).STRIPE_PORTAL_CONFIGURATION_ID);
    expect((env as unknown as Record<string, string>).STRIPE_PORTAL_CONFIGURATION_ID).toMatch(/^bpc_/);
  });

  it("unset: the account's default configuration; unknown to Stripe: refused like any Stripe error", async () => {
    const o = await customerOwner();
    const unset = { ...env } as Record<string, unknown>;
    delete unset.STRIPE_PORTAL_CONFIGURATION_ID;
    const r = await openBillingPortal(depsFor(unset as unknown as Env), {}, { user: { id: o.userId, email: "x@example.com" } });
    const id = /\/p\/session\/([^/?]+)$/.exec(r.ok ? r.url : "")![1];
    expect((await (await fetch(`${env.TEST_STANDIN_URLS.stripe}/__standin/portal-sessions/${id}`)).json<Json>()).configuration).toBe("bpc_standin_default");

    const unknown = { ...env, STRIPE_PORTAL_CONFIGURATION_ID: "bpc_NotInThisAccount" } as unknown as Env;
    expect(await openBillingPortal(depsFor(unknown), {}, { user: { id: o.userId, email: "x@example.com" } })).toMatchObject({
      ok: false,
      error: "payment_provider_error",
    });
  });
});
