// Issue 15 §1: the documented API shapes for JSON clients (billing, profile). Scripted requests get the documented
// shape; bad input is a 4xx with a stable code and changes nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { depsFor } from "~/models/deps.server";
import { ensureStripeCustomerAtSignIn } from "~/models/billing/customers.server";
import { appFetch } from "../helpers/app";
import { serverSignIn, signIn, userIdOf } from "../helpers/auth";
import { postJson } from "../helpers/devices";
import { stripeBase, stripeGet, type Json } from "../helpers/stripe";
import { setVoiceTier } from "../helpers/voice";

let n = 0;
async function user(tag: string) {
  const email = `compat-${tag}-${++n}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  const cookie = await signIn(email);
  return { cookie, email, id: await userIdOf(cookie) };
}

const form = (cookie: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const checkoutsStarted = async (userId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE actor_user_id = ?1 AND event = 'checkout_started'").bind(userId).first<{ n: number }>())!.n;
/** The user's stored customer once the sign-in's after-response work has stored it (or null after a few seconds). */
async function customerSoon(userId: string): Promise<string | null> {
  for (let i = 0; i < 50; i++) {
    const c = await customerOf(userId);
    if (c) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const customerOf = async (userId: string) =>
  (await env.DB.prepare("SELECT stripe_customer_id AS c FROM users WHERE id = ?1").bind(userId).first<{ c: string | null }>())!.c;

describe("POST /api/stripe/checkout for JSON clients", () => {
  it("a JSON body or Accept: application/json → 200 {sessionUrl}; a form post keeps its 303", async () => {
    const a = await user("co-json");
    const res = await postJson(a.cookie, "/api/stripe/checkout", { tier: "BASIC", priceId: env.STRIPE_PRICE_VOICE_BASIC });
    expect(res.status).toBe(200);
    const { sessionUrl } = (await res.json()) as Json;
    expect(sessionUrl).toMatch(new RegExp(`^${stripeBase()}/c/pay/cs_test_`));
    const session = await stripeGet(`/v1/checkout/sessions/${/cs_test_[A-Za-z0-9]+/.exec(sessionUrl)![0]}`);
    expect(session).toMatchObject({ mode: "subscription", metadata: { tier: "BASIC", userId: a.id } });

    const b = await user("co-accept");
    const accepted = await form(b.cookie, "/api/stripe/checkout", { tier: "PREMIUM" }, { Accept: "application/json" });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as Json).sessionUrl).toMatch(/\/c\/pay\/cs_test_/);

    const c = await user("co-form");
    const posted = await form(c.cookie, "/api/stripe/checkout", { tier: "PREMIUM", priceId: env.STRIPE_PRICE_VOICE_PREMIUM });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toMatch(/\/c\/pay\/cs_test_/);
  });

  it("a priceId that is not the tier's price → 400 price_mismatch; bad fields → 400 invalid_request; nothing is started", async () => {
    const a = await user("co-bad");
    const cases: [unknown, number, string][] = [
      [{ tier: "PREMIUM", priceId: env.STRIPE_PRICE_VOICE_BASIC }, 400, "price_mismatch"],
      [{ tier: "BASIC", priceId: "price_made_up" }, 400, "price_mismatch"],
      [{ tier: "BASIC", priceId: "price with spaces" }, 400, "invalid_request"],
      [{ priceId: env.STRIPE_PRICE_VOICE_BASIC }, 400, "invalid_request"],
      [{ tier: "GOLD" }, 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const res = await postJson(a.cookie, "/api/stripe/checkout", body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const r = (await res.json()) as Json;
      expect(r.error).toBe(code);
      expect(typeof r.message).toBe("string");
    }
    expect(await checkoutsStarted(a.id)).toBe(0);
    expect(await customerOf(a.id)).toBeNull();
  });
});

describe("a Stripe customer at first sign-in", () => {
  it("the callback creates it once; a later sign-in keeps it; the portal answers a JSON client with {portalUrl}", async () => {
    const email = `compat-cust-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const first = await serverSignIn(email);
    expect(first.res.status).toBe(302);
    const cookie = /(__Host-aovis_session=[^;]*)/.exec(first.res.headers.get("Set-Cookie") ?? "")![1];
    const userId = await userIdOf(cookie);
    const customer = await customerSoon(userId);
    expect(customer).toMatch(/^cus_/);
    expect(await stripeGet(`/v1/customers/${customer}`)).toMatchObject({ id: customer, email, metadata: { userId } });

    const again = await serverSignIn(email);
    expect(again.res.status).toBe(302);
    expect(await customerOf(userId)).toBe(customer);

    const portal = await postJson(cookie, "/api/stripe/portal", {});
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as Json).portalUrl).toMatch(new RegExp(`^${stripeBase()}/p/session/bps_`));
    const viaForm = await form(cookie, "/api/stripe/portal", {});
    expect(viaForm.status).toBe(303);
    const bad = await postJson(cookie, "/api/stripe/portal", { flow: "nonsense" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error).toBe("invalid_request");
  });

  it("Stripe refusing at sign-in: no error, no customer stored; the next checkout creates it", async () => {
    const a = await user("cust-down");
    // The stand-in answers this key with a 401, as Stripe does a revoked one.
    const down = { ...env, STRIPE_SECRET_KEY: "sk_test_revoked_key" } as Env;
    expect(await ensureStripeCustomerAtSignIn(depsFor(down), { id: a.id, email: a.email })).toBeNull();
    expect(await customerOf(a.id)).toBeNull();
    const res = await postJson(a.cookie, "/api/stripe/checkout", { tier: "BASIC" });
    expect(res.status).toBe(200);
    expect(await customerOf(a.id)).toMatch(/^cus_/);
  });
});

describe("GET /api/stripe/products", () => {
  it("plans carry tier, priceId (the configured price), price in cents and features; existing fields stay", async () => {
    const body = (await (await appFetch("/api/stripe/products")).json()) as Json;
    expect(body.plans.map((p: Json) => [p.tier, p.priceId])).toEqual([
      ["FREE", null],
      ["BASIC", env.STRIPE_PRICE_VOICE_BASIC],
      ["PREMIUM", env.STRIPE_PRICE_VOICE_PREMIUM],
    ]);
    expect(body.plans[2]).toMatchObject({ price: { amount: 2999, currency: "usd", interval: "month" }, purchasable: true, name: "Voice Premium" });
    expect(body.plans[2].features).toEqual(expect.arrayContaining(["Custom presets"]));
  });
});

describe("GET /api/user/profile", () => {
  it("Premium: features in the documented names (-1 = unlimited); the status in Stripe's words", async () => {
    const p = await user("prof-prem");
    await setVoiceTier(p.id, "PREMIUM");
    const profile = (await (await appFetch("/api/user/profile", { headers: { Cookie: p.cookie } })).json()) as Json;
    expect(profile).toMatchObject({
      userId: p.id,
      email: p.email,
      subscriptionTier: "PREMIUM",
      subscriptionStatus: "active",
      recordingsThisMonth: 0,
      maxRecordings: null,
      features: { maxRecordingsPerMonth: -1, allowAdvancedAudioControls: true, allowCustomPresets: true },
    });
    expect(profile.features.availablePresets).toHaveLength(14);

    await env.DB.prepare("UPDATE subscriptions SET status = 'INACTIVE', stripe_status = 'past_due' WHERE user_id = ?1").bind(p.id).run();
    const pastDue = (await (await appFetch("/api/user/profile", { headers: { Cookie: p.cookie } })).json()) as Json;
    expect(pastDue.subscriptionStatus).toBe("past_due");
  });
});
