import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import {
  decideCloudCheckout,
  decideProductCheckout,
  decideVoiceCheckout,
  highestVoiceTier,
  paidTwice,
  REUSE_MIN_REMAINING_MS,
  reusableCheckoutSession,
  voiceTierRank,
  type CheckoutSessionFacts,
} from "~/domain/checkout-policy";
import { CLOUD_PLANS, VOICE_TIERS, cloudPlanByCode, voiceTierByCode } from "~/domain/plans";
import { DAY_MS } from "~/domain/cloud-access-window";
import { PAYMENT_GRACE_DAYS, paymentGraceEndsAt } from "~/domain/payment-grace";
import { firstChargeAt, firstChargeForTrial, STRIPE_MIN_TRIAL_LEAD_MS, TRIAL_END_MARGIN_MS } from "~/domain/trial-checkout";
import { refusalMessage, refusalStatus } from "~/http/refusals";
import {
  ActiveWithoutPeriodError,
  billingNotice,
  entitlementsFor,
  mapStripeStatus,
  resolvePlan,
  subscriptionOwnerHints,
  subscriptionPeriod,
  toLocalSubscription,
  type LocalSubscription,
  type StripeSubscriptionLike,
} from "~/domain/stripe-subscription";

// Compile-time: whatever the SDK returns can be passed straight in.
const _sdkFits = (s: Stripe.Subscription): StripeSubscriptionLike => s;
void _sdkFits;

const PRICES: Record<string, string> = {
  STRIPE_PRICE_CLOUD_STARTER: "price_cloud_starter",
  STRIPE_PRICE_CLOUD_STANDARD: "price_cloud_standard",
  STRIPE_PRICE_CLOUD_PREMIUM: "price_cloud_premium",
  STRIPE_PRICE_VOICE_BASIC: "price_voice_basic",
  STRIPE_PRICE_VOICE_PREMIUM: "price_voice_premium",
  STRIPE_PRICE_NEXA_PRIME_4K: "price_nexa_prime",
  STRIPE_PRICE_NEXA_MINI_2K: "price_nexa_mini",
  STRIPE_PRICE_SIM_DATA_5GB: "price_sim_5gb",
};

const START = 1_760_000_000; // seconds
const END = START + 30 * 86_400;
const NOW_MS = (START + 10 * 86_400) * 1000;

/** A basil-shaped subscription: the period lives on the item. */
function basilSub(over: Partial<StripeSubscriptionLike> = {}, price = "price_cloud_standard"): StripeSubscriptionLike {
  return {
    id: "sub_123",
    status: "active",
    customer: "cus_9",
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    metadata: { userId: "u_1", deviceId: "d_1", planCode: "standard", checkoutType: "cloud_plan" },
    items: {
      data: [{ price: { id: price }, current_period_start: START, current_period_end: END }],
    },
    ...over,
  };
}

const opts = { prices: PRICES, nowMs: NOW_MS };

describe("mapStripeStatus", () => {
  it.each([
    ["active", "ACTIVE"],
    ["trialing", "ACTIVE"],
    ["canceled", "CANCELLED"],
    ["incomplete_expired", "CANCELLED"],
    ["past_due", "INACTIVE"],
    ["unpaid", "INACTIVE"],
    ["incomplete", "INACTIVE"],
    ["paused", "INACTIVE"],
    ["something_new", "INACTIVE"],
    ["", "INACTIVE"],
    ["ACTIVE", "INACTIVE"],
  ])("%s → %s", (stripe, local) => {
    expect(mapStripeStatus(stripe)).toBe(local);
  });
});

describe("subscriptionPeriod", () => {
  it("reads the pre-basil top-level period, in milliseconds", () => {
    const sub = { current_period_start: START, current_period_end: END, items: { data: [] } };
    expect(subscriptionPeriod(sub)).toEqual({ startMs: START * 1000, endMs: END * 1000 });
  });

  it("prefers the top-level period over the item's", () => {
    const sub = {
      current_period_start: START,
      current_period_end: END,
      items: { data: [{ current_period_start: 1, current_period_end: 2 }] },
    };
    expect(subscriptionPeriod(sub)).toEqual({ startMs: START * 1000, endMs: END * 1000 });
  });

  it("falls back to items.data[0] (basil), also when only half of the top-level period is set", () => {
    expect(subscriptionPeriod(basilSub())).toEqual({ startMs: START * 1000, endMs: END * 1000 });
    expect(subscriptionPeriod(basilSub({ current_period_start: START, current_period_end: null }))).toEqual({
      startMs: START * 1000,
      endMs: END * 1000,
    });
  });

  it("is null with no period anywhere, no items, or a degenerate period", () => {
    expect(subscriptionPeriod({})).toBeNull();
    expect(subscriptionPeriod({ items: null })).toBeNull();
    expect(subscriptionPeriod({ items: { data: [] } })).toBeNull();
    expect(subscriptionPeriod({ items: { data: [{ current_period_start: START }] } })).toBeNull();
    expect(subscriptionPeriod({ current_period_start: END, current_period_end: START })).toBeNull();
    expect(subscriptionPeriod({ current_period_start: START, current_period_end: START })).toBeNull();
    expect(subscriptionPeriod({ current_period_start: NaN, current_period_end: END })).toBeNull();
  });
});

describe("resolvePlan", () => {
  it("resolves every purchasable cloud plan by its configured price id", () => {
    const paid = CLOUD_PLANS.filter((p) => p.stripePriceKey !== null);
    expect(paid.map((p) => p.code)).toEqual(["starter", "standard", "premium"]);
    for (const p of paid) {
      const r = resolvePlan(PRICES[p.stripePriceKey!], PRICES);
      expect(r).toEqual({ kind: "cloud", plan: p });
    }
  });

  it("resolves every paid voice tier by its configured price id", () => {
    const paid = VOICE_TIERS.filter((t) => t.stripePriceKey !== null);
    expect(paid.map((t) => t.code)).toEqual(["BASIC", "PREMIUM"]);
    for (const t of paid) {
      expect(resolvePlan(PRICES[t.stripePriceKey!], PRICES)).toEqual({ kind: "voice", tier: t });
    }
  });

  it("returns null for hardware, SIM, unknown and empty price ids", () => {
    for (const id of ["price_nexa_prime", "price_nexa_mini", "price_sim_5gb", "price_nope", ""]) {
      expect(resolvePlan(id, PRICES)).toBeNull();
    }
  });

  it("never matches an empty configured value, nor a key that is not a price key", () => {
    expect(resolvePlan("", { ...PRICES, STRIPE_PRICE_CLOUD_STARTER: "" })).toBeNull();
    expect(resolvePlan("price_x", { SOMETHING_ELSE: "price_x" })).toBeNull();
    // Different config → different plan: the mapping comes from config, not from the id's text.
    expect(resolvePlan("price_x", { STRIPE_PRICE_CLOUD_PREMIUM: "price_x" })).toEqual({
      kind: "cloud",
      plan: cloudPlanByCode("premium"),
    });
  });
});

describe("toLocalSubscription", () => {
  it("maps an active basil subscription", () => {
    const local = toLocalSubscription(basilSub(), opts);
    expect(local).toEqual({
      stripeSubscriptionId: "sub_123",
      stripeCustomerId: "cus_9",
      status: "ACTIVE",
      stripeStatus: "active",
      periodStartMs: START * 1000,
      periodEndMs: END * 1000,
      cancelAtPeriodEnd: false,
      cancelAtMs: null,
      canceledAtMs: null,
      endedAtMs: null,
      expiresAtMs: END * 1000,
      inGrace: false,
      graceEndsAtMs: null,
      priceId: "price_cloud_standard",
      plan: { kind: "cloud", plan: cloudPlanByCode("standard")! },
      metadata: { userId: "u_1", deviceId: "d_1", planCode: "standard", checkoutType: "cloud_plan" },
    } satisfies LocalSubscription);
  });

  it("maps a pre-basil payload with a top-level period the same way", () => {
    const old = basilSub({
      current_period_start: START,
      current_period_end: END,
      items: { data: [{ price: { id: "price_cloud_standard" } }] },
    });
    expect(toLocalSubscription(old, opts)).toEqual(toLocalSubscription(basilSub(), opts));
  });

  it("trialing is ACTIVE until the (trial) period end", () => {
    const local = toLocalSubscription(basilSub({ status: "trialing" }), opts);
    expect([local.status, local.expiresAtMs]).toEqual(["ACTIVE", END * 1000]);
  });

  it.each(["active", "trialing"])("%s without any period throws ActiveWithoutPeriodError", (status) => {
    const sub = basilSub({ status, items: { data: [{ price: { id: "price_cloud_standard" } }] } });
    let err: unknown;
    try {
      toLocalSubscription(sub, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ActiveWithoutPeriodError);
    expect(err).toBeInstanceOf(Error);
    expect((err as ActiveWithoutPeriodError).subscriptionId).toBe("sub_123");
  });

  it("CANCELLED without a period expires at now", () => {
    const local = toLocalSubscription(basilSub({ status: "canceled", items: { data: [] } }), opts);
    expect(local.status).toBe("CANCELLED");
    expect(local.periodStartMs).toBeNull();
    expect(local.periodEndMs).toBeNull();
    expect(local.expiresAtMs).toBe(NOW_MS);
    expect(local.priceId).toBeNull();
    expect(local.plan).toBeNull();
  });

  it("CANCELLED/INACTIVE expire at the earliest of period end, ended_at and now (past_due: see payment grace)", () => {
    // Period still running: stops now, not at period end.
    expect(toLocalSubscription(basilSub({ status: "paused" }), opts).expiresAtMs).toBe(NOW_MS);
    // unpaid: Stripe gave up on this period, so none of it is covered (ADR 017), whenever it is read.
    for (const nowMs of [NOW_MS, NOW_MS + 86_400_000])
      expect(toLocalSubscription(basilSub({ status: "unpaid" }), { prices: PRICES, nowMs }).expiresAtMs).toBe(START * 1000);
    // Ended before now.
    const ended = START + 2 * 86_400;
    const c = toLocalSubscription(basilSub({ status: "canceled", ended_at: ended, canceled_at: ended - 60 }), opts);
    expect([c.status, c.expiresAtMs, c.endedAtMs, c.canceledAtMs]).toEqual(["CANCELLED", ended * 1000, ended * 1000, (ended - 60) * 1000]);
    // Period already over before now and no ended_at.
    const later = (END + 86_400) * 1000;
    expect(toLocalSubscription(basilSub({ status: "paused" }), { prices: PRICES, nowMs: later }).expiresAtMs).toBe(END * 1000);
    for (const status of ["incomplete", "paused", "incomplete_expired", "weird"]) {
      const l = toLocalSubscription(basilSub({ status }), opts);
      expect(l.status).not.toBe("ACTIVE");
      expect(l.expiresAtMs).toBe(NOW_MS);
    }
  });

  it("carries cancel_at_period_end and cancel_at while still ACTIVE until period end", () => {
    const local = toLocalSubscription(basilSub({ cancel_at_period_end: true, cancel_at: END, canceled_at: START + 100 }), opts);
    expect(local.status).toBe("ACTIVE");
    expect(local.cancelAtPeriodEnd).toBe(true);
    expect(local.cancelAtMs).toBe(END * 1000);
    expect(local.canceledAtMs).toBe((START + 100) * 1000);
    expect(local.expiresAtMs).toBe(END * 1000);
    // Missing / null flag is false, not undefined.
    expect(toLocalSubscription(basilSub({ cancel_at_period_end: null }), opts).cancelAtPeriodEnd).toBe(false);
  });

  it("reads metadata in snake_case as well as camelCase; camelCase wins; empty means absent", () => {
    const snake = toLocalSubscription(basilSub({ metadata: { user_id: "u_2", device_id: "d_2", plan_code: "premium", checkout_type: "cloud_plan" } }), opts);
    expect(snake.metadata).toEqual({ userId: "u_2", deviceId: "d_2", planCode: "premium", checkoutType: "cloud_plan" });

    const camel = toLocalSubscription(basilSub({ metadata: { checkoutType: "voice_tier", tier: "BASIC", userId: "u_3" } }), opts);
    expect(camel.metadata).toEqual({ checkoutType: "voice_tier", tier: "BASIC", userId: "u_3" });

    const both = toLocalSubscription(basilSub({ metadata: { userId: "u_camel", user_id: "u_snake", deviceId: "", device_id: "d_s" } }), opts);
    expect(both.metadata).toEqual({ userId: "u_camel", deviceId: "d_s" });

    expect(toLocalSubscription(basilSub({ metadata: null }), opts).metadata).toEqual({});
    expect(toLocalSubscription(basilSub({ metadata: { unrelated: "x" } }), opts).metadata).toEqual({});
  });

  it("accepts the customer as an id or an expanded object", () => {
    expect(toLocalSubscription(basilSub({ customer: "cus_A" }), opts).stripeCustomerId).toBe("cus_A");
    expect(toLocalSubscription(basilSub({ customer: { id: "cus_B" } }), opts).stripeCustomerId).toBe("cus_B");
    expect(toLocalSubscription(basilSub({ customer: null }), opts).stripeCustomerId).toBeNull();
    expect(toLocalSubscription(basilSub({ customer: undefined }), opts).stripeCustomerId).toBeNull();
  });

  it("resolves voice prices and leaves unknown prices as plan null", () => {
    const voice = toLocalSubscription(basilSub({}, "price_voice_premium"), opts);
    expect(voice.plan).toEqual({ kind: "voice", tier: voiceTierByCode("PREMIUM") });
    const unknown = toLocalSubscription(basilSub({}, "price_someone_elses"), opts);
    expect(unknown.plan).toBeNull();
    expect(unknown.priceId).toBe("price_someone_elses");
    const hardware = toLocalSubscription(basilSub({}, "price_nexa_prime"), opts);
    expect(hardware.plan).toBeNull();
  });

  it("refuses a subscription without an id", () => {
    expect(() => toLocalSubscription(basilSub({ id: "" }), opts)).toThrow(/no id/);
  });
});

describe("entitlementsFor", () => {
  const who = { userId: "u_1", deviceId: "d_1" };

  it.each(["starter", "standard", "premium"] as const)("cloud %s: playback, summaries, search for the device", (code) => {
    const plan = cloudPlanByCode(code)!;
    const local = toLocalSubscription(basilSub({}, PRICES[plan.stripePriceKey!]), opts);
    const rows = entitlementsFor(local, who);
    const common = {
      status: "ACTIVE",
      startsAtMs: START * 1000,
      expiresAtMs: END * 1000,
      deviceId: "d_1",
      userId: "u_1",
      source: "stripe",
      sku: plan.sku,
    };
    expect(rows).toEqual([
      { ...common, externalId: "stripe:sub_123:cloud_playback", key: "cloud_playback", quota: plan.historyDays },
      { ...common, externalId: "stripe:sub_123:ai_summary", key: "ai_summary", quota: null },
      { ...common, externalId: "stripe:sub_123:smart_search", key: "smart_search", quota: null },
    ]);
    expect(rows[0].quota).toBe({ starter: 1, standard: 7, premium: 30 }[code]);
  });

  it.each(["BASIC", "PREMIUM"] as const)("voice %s: one voice_tier row, tier code as sku, no device", (code) => {
    const tier = voiceTierByCode(code)!;
    const local = toLocalSubscription(basilSub({}, PRICES[tier.stripePriceKey!]), opts);
    // A device id passed by the caller is ignored: voice is per user.
    expect(entitlementsFor(local, who)).toEqual([
      {
        externalId: "stripe:sub_123:voice_tier",
        key: "voice_tier",
        quota: null,
        status: "ACTIVE",
        startsAtMs: START * 1000,
        expiresAtMs: END * 1000,
        deviceId: null,
        userId: "u_1",
        source: "stripe",
        sku: code,
      },
    ]);
    expect(entitlementsFor(local, { userId: "u_1" })).toHaveLength(1);
  });

  it("re-applying the same subscription yields the same externalIds; a cancellation expires them", () => {
    const active = entitlementsFor(toLocalSubscription(basilSub(), opts), who);
    const again = entitlementsFor(toLocalSubscription(basilSub(), opts), who);
    expect(again).toEqual(active);

    const cancelled = entitlementsFor(toLocalSubscription(basilSub({ status: "canceled", ended_at: START + 86_400 }), opts), who);
    expect(cancelled.map((r) => r.externalId)).toEqual(active.map((r) => r.externalId));
    for (const r of cancelled) {
      expect(r.status).toBe("EXPIRED");
      expect(r.expiresAtMs).toBe((START + 86_400) * 1000);
      expect(r.startsAtMs).toBe(START * 1000);
    }
    const paused = entitlementsFor(toLocalSubscription(basilSub({ status: "paused" }), opts), who);
    expect(paused.every((r) => r.status === "EXPIRED" && r.expiresAtMs === NOW_MS)).toBe(true);
    const unpaid = entitlementsFor(toLocalSubscription(basilSub({ status: "unpaid" }), opts), who);
    expect(unpaid.every((r) => r.status === "EXPIRED" && r.expiresAtMs === START * 1000)).toBe(true);
  });

  describe("payment grace (ADR 017)", () => {
    const graceEnd = START * 1000 + PAYMENT_GRACE_DAYS * DAY_MS;
    it("past_due keeps access until PAYMENT_GRACE_DAYS after the unpaid period began; the row still says INACTIVE", () => {
      const local = toLocalSubscription(basilSub({ status: "past_due" }), opts);
      expect([local.status, local.inGrace, local.graceEndsAtMs, local.expiresAtMs]).toEqual(["INACTIVE", true, graceEnd, graceEnd]);
      const rows = entitlementsFor(local, who);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect([r.status, r.expiresAtMs]).toEqual(["ACTIVE", graceEnd]);
      expect(billingNotice(local)).toBe("payment_failed");
    });
    it("grace never outlasts the period, and once past it the rows are EXPIRED at the grace end (not at the read)", () => {
      const short = toLocalSubscription(
        basilSub({
          status: "past_due",
          items: { data: [{ price: { id: "price_cloud_standard" }, current_period_start: START, current_period_end: START + 86_400 }] },
        }),
        { prices: PRICES, nowMs: START * 1000 + 3_600_000 },
      );
      expect([short.inGrace, short.expiresAtMs]).toEqual([true, (START + 86_400) * 1000]);
      for (const later of [graceEnd, graceEnd + DAY_MS]) {
        const over = toLocalSubscription(basilSub({ status: "past_due" }), { prices: PRICES, nowMs: later });
        expect([over.inGrace, over.expiresAtMs]).toEqual([false, graceEnd]);
        for (const r of entitlementsFor(over, who)) expect([r.status, r.expiresAtMs]).toEqual(["EXPIRED", graceEnd]);
      }
    });
    it("no grace for unpaid, canceled, incomplete, paused or unknown statuses, nor without a period", () => {
      for (const status of ["unpaid", "canceled", "incomplete", "incomplete_expired", "paused", "weird"]) {
        const l = toLocalSubscription(basilSub({ status }), opts);
        expect([status, l.inGrace, l.graceEndsAtMs]).toEqual([status, false, null]);
        for (const r of entitlementsFor(l, who)) expect(r.status).toBe("EXPIRED");
      }
      expect(paymentGraceEndsAt("past_due", null)).toBeNull();
      expect(paymentGraceEndsAt("active", { startMs: 0, endMs: 1 })).toBeNull();
    });
  });

  it("an expired row without a period starts no later than it expires", () => {
    const local = toLocalSubscription(basilSub({ status: "canceled", items: { data: [{ price: { id: "price_voice_basic" } }] } }), opts);
    const [row] = entitlementsFor(local, who);
    expect([row.status, row.startsAtMs, row.expiresAtMs]).toEqual(["EXPIRED", NOW_MS, NOW_MS]);
  });

  it("throws for a cloud plan without a device, an unknown plan, or no user", () => {
    const cloud = toLocalSubscription(basilSub(), opts);
    expect(() => entitlementsFor(cloud, { userId: "u_1" })).toThrow(/deviceId/);
    expect(() => entitlementsFor(cloud, { userId: "u_1", deviceId: null })).toThrow(/deviceId/);
    expect(() => entitlementsFor(cloud, { userId: "u_1", deviceId: "" })).toThrow(/deviceId/);
    expect(() => entitlementsFor(cloud, { userId: "", deviceId: "d_1" })).toThrow(/userId/);
    const unknown = toLocalSubscription(basilSub({}, "price_nope"), opts);
    expect(() => entitlementsFor(unknown, who)).toThrow(/no known plan/);
  });
});

describe("billingNotice", () => {
  it.each([
    [{ status: "INACTIVE", stripeStatus: "past_due", cancelAtPeriodEnd: false, cancelAtMs: null }, "payment_failed"],
    [{ status: "INACTIVE", stripeStatus: "unpaid", cancelAtPeriodEnd: true, cancelAtMs: null }, "payment_failed"],
    [{ status: "ACTIVE", stripeStatus: "active", cancelAtPeriodEnd: true, cancelAtMs: END * 1000 }, "cancels_at_period_end"],
    [{ status: "ACTIVE", stripeStatus: "trialing", cancelAtPeriodEnd: false, cancelAtMs: END * 1000 }, "cancels_at_period_end"],
    [{ status: "ACTIVE", stripeStatus: "active", cancelAtPeriodEnd: false, cancelAtMs: null }, null],
    [{ status: "CANCELLED", stripeStatus: "canceled", cancelAtPeriodEnd: true, cancelAtMs: END * 1000 }, null],
    [{ status: "INACTIVE", stripeStatus: "incomplete", cancelAtPeriodEnd: false, cancelAtMs: null }, null],
  ] as const)("%o → %s", (local, notice) => {
    expect(billingNotice(local)).toBe(notice);
  });

  it("works on a real mapped subscription", () => {
    expect(billingNotice(toLocalSubscription(basilSub({ status: "past_due" }), opts))).toBe("payment_failed");
    expect(billingNotice(toLocalSubscription(basilSub({ cancel_at_period_end: true }), opts))).toBe("cancels_at_period_end");
  });
});

describe("property: random snapshots", () => {
  // Seeded (mulberry32) so a failure is reproducible.
  function rng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it("toLocalSubscription is deterministic and never ACTIVE with expiresAtMs <= periodStartMs", () => {
    const r = rng(20251117);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const maybe = <T>(v: T): T | null | undefined => pick([v, null, undefined]);
    const time = () => START + Math.floor((r() - 0.5) * 400 * 86_400);
    const statuses = ["active", "trialing", "canceled", "incomplete_expired", "past_due", "unpaid", "incomplete", "paused", "zzz"];
    const prices = [...Object.values(PRICES), "price_unknown", ""];
    let active = 0;
    let threw = 0;

    for (let i = 0; i < 200; i++) {
      const s = time();
      const e = pick([s + Math.floor(r() * 40 * 86_400), s, s - 1]); // includes degenerate periods
      const where = pick(["top", "item", "both", "none"]);
      const sub: StripeSubscriptionLike = {
        id: `sub_${i}`,
        status: pick(statuses),
        customer: pick(["cus_x", { id: "cus_y" }, null]),
        cancel_at_period_end: maybe(r() < 0.5),
        cancel_at: maybe(time()),
        canceled_at: maybe(time()),
        ended_at: maybe(time()),
        metadata: pick([{ userId: "u" }, { user_id: "u", device_id: "d" }, null]),
        ...(where === "top" || where === "both" ? { current_period_start: s, current_period_end: e } : {}),
        items: {
          data: [
            {
              price: pick([{ id: pick(prices) }, pick(prices), null]),
              ...(where === "item" || where === "both" ? { current_period_start: s, current_period_end: e } : {}),
            },
          ],
        },
      };
      const nowMs = time() * 1000;
      const snapshot = structuredClone(sub);
      const run = () => {
        try {
          return { ok: toLocalSubscription(structuredClone(sub), { prices: PRICES, nowMs }) };
        } catch (err) {
          return { err };
        }
      };
      const a = run();
      const b = run();
      expect(b).toEqual(a);
      expect(sub).toEqual(snapshot); // input not mutated

      if ("err" in a) {
        threw++;
        expect(a.err).toBeInstanceOf(ActiveWithoutPeriodError);
        expect(mapStripeStatus(sub.status)).toBe("ACTIVE");
        expect(subscriptionPeriod(sub)).toBeNull();
        continue;
      }
      const local = a.ok;
      expect(Number.isFinite(local.expiresAtMs)).toBe(true);
      if (local.status === "ACTIVE") {
        active++;
        expect(local.periodStartMs).not.toBeNull();
        expect(local.expiresAtMs).toBeGreaterThan(local.periodStartMs!);
        expect(local.expiresAtMs).toBe(local.periodEndMs);
      } else if (local.inGrace) {
        // Payment grace: past_due only, never past the grace end (which is never past the period end).
        expect(sub.status).toBe("past_due");
        expect(local.expiresAtMs).toBeGreaterThan(nowMs);
        expect(local.expiresAtMs).toBeLessThanOrEqual(Math.min(local.periodStartMs! + PAYMENT_GRACE_DAYS * DAY_MS, local.periodEndMs!));
      } else if (sub.status === "unpaid" && local.periodStartMs !== null) {
        // unpaid: from the snapshot alone (the unpaid period's start), never from the read.
        expect(local.expiresAtMs).toBe(Math.min(local.periodStartMs, local.endedAtMs ?? Infinity));
      } else {
        expect(local.expiresAtMs).toBeLessThanOrEqual(nowMs);
      }
      if (local.plan) {
        const rows = entitlementsFor(local, { userId: "u", deviceId: "d" });
        for (const row of rows) {
          expect(row.externalId).toBe(`stripe:${sub.id}:${row.key}`);
          expect(row.startsAtMs).toBeLessThanOrEqual(row.expiresAtMs);
          expect(row.status).toBe(local.status === "ACTIVE" || local.inGrace ? "ACTIVE" : "EXPIRED");
        }
      }
    }
    // The generator must actually exercise both the ACTIVE and the throwing paths.
    expect(active).toBeGreaterThan(10);
    expect(threw).toBeGreaterThan(5);
  });
});

describe("subscriptionOwnerHints", () => {
  it("reads our metadata userId (either spelling) and the customer id; nothing when neither is there", () => {
    expect(subscriptionOwnerHints({ customer: "cus_1", metadata: { userId: "u1" } })).toEqual({ userId: "u1", customerId: "cus_1" });
    expect(subscriptionOwnerHints({ customer: { id: "cus_2" }, metadata: { user_id: "u2" } })).toEqual({ userId: "u2", customerId: "cus_2" });
    expect(subscriptionOwnerHints({ customer: null, metadata: { userId: "" } })).toEqual({ userId: null, customerId: null });
    expect(subscriptionOwnerHints({})).toEqual({ userId: null, customerId: null });
  });
});

// app/domain/checkout-policy.ts: who may start which checkout, and what a second one is.
/** A decision as the API answers it: its refusal code's HTTP status and sentence (app/http/refusals). */
const asHttp = <D extends { ok: boolean }>(d: D) => (d.ok ? d : { ...d, status: refusalStatus(d as never), message: refusalMessage(d as never) });

describe("checkout policy: voice tier rank", () => {
  it("FREE < BASIC < PREMIUM, unknown codes rank as FREE, and the best held tier wins", () => {
    expect(VOICE_TIERS.map((t) => voiceTierRank(t.code))).toEqual([0, 1, 2]);
    for (const odd of ["", "free", "GOLD", "__proto__", "toString"]) expect(voiceTierRank(odd), odd).toBe(0);
    expect(highestVoiceTier([])).toBe("FREE");
    expect(highestVoiceTier(["BASIC", "FREE"])).toBe("BASIC");
    expect(highestVoiceTier(["BASIC", "PREMIUM", "BASIC"])).toBe("PREMIUM");
    expect(highestVoiceTier(["GOLD"])).toBe("FREE");
  });
});

describe("checkout policy: decideCloudCheckout", () => {
  const ok = { planCode: "standard", deviceOwned: true, livePaidPlan: false };
  it("every purchasable plan on an owned device without a paid plan is allowed, with its price key", () => {
    for (const p of CLOUD_PLANS.filter((c) => c.purchasable)) {
      const d = decideCloudCheckout({ ...ok, planCode: p.code });
      expect(d.ok && d.plan.code).toBe(p.code);
      expect(d.ok && d.plan.stripePriceKey).toBe(p.stripePriceKey);
    }
  });
  it("an unbuyable plan is refused 400 before anything about the device is revealed", () => {
    for (const planCode of ["local", "trial", "", "STANDARD", "__proto__"]) {
      for (const deviceOwned of [true, false]) {
        expect(asHttp(decideCloudCheckout({ planCode, deviceOwned, livePaidPlan: true })), planCode).toMatchObject({
          ok: false,
          status: 400,
          error: "plan_not_purchasable",
        });
      }
    }
  });
  it("a device the user doesn't own is 404; a live paid plan is 409 (the portal changes plans)", () => {
    expect(asHttp(decideCloudCheckout({ ...ok, deviceOwned: false, livePaidPlan: true }))).toMatchObject({ ok: false, status: 404, error: "not_found" });
    expect(asHttp(decideCloudCheckout({ ...ok, livePaidPlan: true }))).toMatchObject({
      ok: false,
      status: 409,
      error: "already_subscribed_use_billing_portal",
    });
  });
});

describe("checkout policy: decideVoiceCheckout", () => {
  it("a paid tier with nothing held is allowed; FREE or an unknown tier is 400", () => {
    for (const tierCode of ["BASIC", "PREMIUM"]) {
      const d = decideVoiceCheckout({ tierCode, heldTiers: [] });
      expect(d.ok && d.tier.code).toBe(tierCode);
      expect(decideVoiceCheckout({ tierCode, heldTiers: ["FREE"] }).ok).toBe(true);
    }
    for (const tierCode of ["FREE", "GOLD", ""]) {
      expect(asHttp(decideVoiceCheckout({ tierCode, heldTiers: ["PREMIUM"] }))).toMatchObject({ ok: false, status: 400, error: "plan_not_purchasable" });
    }
  });
  it("any live paid tier, up or down, is 409: never two tiers billed at once", () => {
    for (const held of ["BASIC", "PREMIUM"]) {
      for (const tierCode of ["BASIC", "PREMIUM"]) {
        expect(asHttp(decideVoiceCheckout({ tierCode, heldTiers: [held] }))).toMatchObject({
          ok: false,
          status: 409,
          error: "already_subscribed_use_billing_portal",
        });
      }
    }
  });
});

describe("checkout policy: decideProductCheckout", () => {
  it("listed hardware and SIM plans are allowed; plans and tiers are 400; unknown or unlisted are 404", () => {
    const d = decideProductCheckout({ sku: "nexa-mini-2k" });
    expect(d.ok && d.product.stripePriceKey).toBe("STRIPE_PRICE_NEXA_MINI_2K");
    expect(asHttp(decideProductCheckout({ sku: "aovis-cloud-standard" }))).toMatchObject({ ok: false, status: 400, error: "product_not_purchasable" });
    expect(asHttp(decideProductCheckout({ sku: "aovis-voice-basic" }))).toMatchObject({ ok: false, status: 400, error: "product_not_purchasable" });
    expect(asHttp(decideProductCheckout({ sku: "no-such-thing" }))).toMatchObject({ ok: false, status: 404, error: "not_found" });
  });
});

describe("checkout policy: reusableCheckoutSession", () => {
  const NOW = 1_800_000_000_000;
  const want = { mode: "subscription", metadata: { checkoutType: "cloud_storage_subscription", userId: "u1", deviceId: "d1", planCode: "standard" } };
  const open = (over: Partial<CheckoutSessionFacts> = {}): CheckoutSessionFacts => ({
    id: "cs_test_open",
    mode: "subscription",
    status: "open",
    url: "https://checkout.example/c/pay/cs_test_open",
    expires_at: NOW / 1000 + 3600,
    metadata: { ...want.metadata },
    ...over,
  });
  it("hands out the newest open session for exactly the same thing", () => {
    const sessions = [open({ id: "cs_a" }), open({ id: "cs_b" })];
    expect(reusableCheckoutSession(sessions, want, NOW)?.id).toBe("cs_a");
    expect(reusableCheckoutSession([open({ id: "cs_done", status: "complete" }), open({ id: "cs_b" })], want, NOW)?.id).toBe("cs_b");
  });
  it("never a paid, expired, url-less or nearly expired session, nor another mode", () => {
    for (const over of [
      { status: "complete" },
      { status: "expired" },
      { status: null },
      { url: null },
      { mode: "payment" },
      { expires_at: null },
      { expires_at: NOW / 1000 + REUSE_MIN_REMAINING_MS / 1000 - 1 },
    ]) {
      expect(reusableCheckoutSession([open(over)], want, NOW), JSON.stringify(over)).toBeNull();
    }
    expect(reusableCheckoutSession([open({ expires_at: NOW / 1000 + REUSE_MIN_REMAINING_MS / 1000 })], want, NOW)).not.toBeNull();
  });
  it("never a session for another plan, device, user or with extra or missing metadata", () => {
    const md = want.metadata;
    const variants: (Record<string, string> | null)[] = [
      { ...md, planCode: "premium" },
      { ...md, deviceId: "d2" },
      { ...md, userId: "u2" },
      { ...md, extra: "x" },
      { checkoutType: md.checkoutType, userId: md.userId, deviceId: md.deviceId },
      {},
      null,
    ];
    for (const metadata of variants) {
      expect(reusableCheckoutSession([open({ metadata })], want, NOW), JSON.stringify(metadata)).toBeNull();
    }
    expect(reusableCheckoutSession([open({ metadata: {} })], { mode: "subscription", metadata: {} }, NOW)).toBeNull();
  });
});

describe("checkout policy: paidTwice", () => {
  const live = (externalId: string, status = "ACTIVE") => ({ externalId, status });
  it("a subscription turning live while another one for the target is live is a duplicate of it", () => {
    expect(paidTwice({ externalId: "sub_2", status: "ACTIVE" }, [live("sub_1")])).toEqual(["sub_1"]);
    expect(paidTwice({ externalId: "sub_2", status: "INACTIVE" }, [live("sub_1", "INACTIVE")])).toEqual(["sub_1"]);
    expect(paidTwice({ externalId: "sub_3", status: "ACTIVE" }, [live("sub_1"), live("sub_2", "INACTIVE"), live("sub_3", "CANCELLED")])).toEqual([
      "sub_1",
      "sub_2",
    ]);
  });
  it("reported once: re-applying a live subscription, or the first one, reports nothing", () => {
    expect(paidTwice({ externalId: "sub_2", status: "ACTIVE" }, [live("sub_1"), live("sub_2")])).toEqual([]);
    expect(paidTwice({ externalId: "sub_2", status: "ACTIVE" }, [live("sub_1"), live("sub_2", "INACTIVE")])).toEqual([]);
    expect(paidTwice({ externalId: "sub_1", status: "ACTIVE" }, [])).toEqual([]);
    expect(paidTwice({ externalId: "sub_1", status: "ACTIVE" }, [live("sub_1")])).toEqual([]);
  });
  it("ended subscriptions are neither duplicates nor duplicated", () => {
    expect(paidTwice({ externalId: "sub_2", status: "CANCELLED" }, [live("sub_1")])).toEqual([]);
    expect(paidTwice({ externalId: "sub_2", status: "EXPIRED" }, [live("sub_1")])).toEqual([]);
    expect(paidTwice({ externalId: "sub_2", status: "ACTIVE" }, [live("sub_1", "CANCELLED"), live("sub_0", "EXPIRED")])).toEqual([]);
  });
});

describe("firstChargeAt (ADR 018)", () => {
  const now = 1_800_000_000_000;
  const min = STRIPE_MIN_TRIAL_LEAD_MS + TRIAL_END_MARGIN_MS;
  it("is the trial's end (in seconds, rounded up) while a trial runs long enough", () => {
    expect(firstChargeAt(now + 30 * DAY_MS, now)).toBe((now + 30 * DAY_MS) / 1000);
    expect(firstChargeAt(now + 30 * DAY_MS + 1, now)).toBe((now + 30 * DAY_MS) / 1000 + 1);
    expect(firstChargeAt(now + min, now)).toBe((now + min) / 1000);
  });
  it("inside the last two days it is 48 h plus the margin from now; never before Stripe's minimum", () => {
    for (const left of [1, 3_600_000, DAY_MS, min - 1]) {
      const at = firstChargeAt(now + left, now)!;
      expect(at * 1000).toBe(now + min);
      expect(at * 1000 - now).toBeGreaterThan(STRIPE_MIN_TRIAL_LEAD_MS);
    }
  });
  it("is null without a running trial (charged at checkout)", () => {
    expect(firstChargeAt(null, now)).toBeNull();
    expect(firstChargeAt(now, now)).toBeNull();
    expect(firstChargeAt(now - 1, now)).toBeNull();
  });
});

describe("firstChargeForTrial", () => {
  const now = 1_800_000_000_000;
  it("defers the first charge only while the camera's trial runs", () => {
    const expiresAt = now + 10 * DAY_MS;
    expect(firstChargeForTrial({ state: "active", expiresAt, daysLeft: 10 }, now)).toBe(expiresAt / 1000);
    expect(firstChargeForTrial({ state: "used" }, now)).toBeNull();
    expect(firstChargeForTrial({ state: "available" }, now)).toBeNull();
  });
});
