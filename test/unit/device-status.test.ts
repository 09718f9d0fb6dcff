import { describe, expect, it } from "vitest";
import { deviceStatus, trialRunsUntil, type SubscriptionFacts } from "~/domain/device-status";
import { CLOUD_TRIAL, LOCAL_PLAN } from "~/domain/plans";

const DAY = 86_400_000;
const now = 1_800_000_000_000;
const ent = (
  o: Partial<{ quota: number; status: "ACTIVE" | "EXPIRED" | "CANCELLED"; startsAt: number; expiresAt: number | null; source: "trial" | "stripe" }>,
) => ({
  key: "cloud_playback",
  quota: 1,
  status: "ACTIVE" as const,
  startsAt: now - DAY,
  expiresAt: now + 29 * DAY,
  source: "trial" as const,
  ...o,
});
const sub = (o: Partial<SubscriptionFacts>): SubscriptionFacts => ({
  id: "s1",
  sku: "aovis-cloud-standard",
  planCode: "standard",
  status: "ACTIVE",
  currentPeriodEnd: now + 20 * DAY,
  cancelAtPeriodEnd: false,
  cancelAt: null,
  updatedAt: now - 1000,
  ...o,
});

describe("deviceStatus", () => {
  it("a never-trialled device with nothing is available/Local/0 days", () => {
    expect(deviceStatus({ trialUsed: false, stripeSubscriptions: [], entitlements: [], now })).toEqual({
      trial: { state: "available" },
      plan: expect.objectContaining({ code: "local", source: "none" }),
      historyDays: 0,
    });
  });

  it("an active trial: 30 days left rounds up, plan is the trial, 1 day of history", () => {
    const s = deviceStatus({ trialUsed: true, stripeSubscriptions: [], entitlements: [ent({})], now });
    expect(s.trial).toEqual({ state: "active", expiresAt: now + 29 * DAY, daysLeft: 29 });
    expect(s.plan).toMatchObject({ code: "trial", source: "trial", status: "ACTIVE" });
    expect(s.historyDays).toBe(1);
  });

  it("an ended or expired trial reads 'used' and grants nothing", () => {
    for (const e of [ent({ status: "EXPIRED" }), ent({ expiresAt: now })]) {
      const s = deviceStatus({ trialUsed: true, stripeSubscriptions: [], entitlements: [e], now });
      expect(s.trial).toEqual({ state: "used" });
      expect(s.plan.code).toBe("local");
      expect(s.historyDays).toBe(0);
    }
  });

  it("a live Stripe plan wins over the trial, and the highest active quota sets the history", () => {
    const s = deviceStatus({
      trialUsed: true,
      stripeSubscriptions: [sub({})],
      entitlements: [ent({}), ent({ source: "stripe", quota: 7, expiresAt: now + 20 * DAY })],
      now,
    });
    expect(s.plan).toMatchObject({ code: "standard", name: "Standard", source: "stripe", subscriptionId: "s1" });
    expect(s.historyDays).toBe(7);
  });

  it("a paid plan supersedes the trial in what is shown: no 'trial active, N days left' beside Standard (issue #16)", () => {
    for (const stripeStatus of ["active", "trialing"]) {
      const s = deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ stripeStatus })], entitlements: [ent({})], now });
      expect(s.plan).toMatchObject({ name: "Standard", source: "stripe" });
      // The trial's days still run underneath (a plan ending earlier hands back to it), but it is not active.
      expect(s.trial).toEqual({ state: "superseded", expiresAt: now + 29 * DAY, byPlan: "Standard" });
      expect(trialRunsUntil(s.trial)).toBe(now + 29 * DAY);
    }
    // A payment problem still shows the paid plan (INACTIVE), not the trial.
    const pastDue = deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ status: "INACTIVE" })], entitlements: [ent({})], now });
    expect(pastDue.trial.state).toBe("superseded");
    // Once the plan is cancelled the trial is the camera's plan again, with its days left.
    const cancelled = deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ status: "CANCELLED" })], entitlements: [ent({})], now });
    expect(cancelled.trial).toEqual({ state: "active", expiresAt: now + 29 * DAY, daysLeft: 29 });
    expect(trialRunsUntil({ state: "used" })).toBeNull();
  });

  it("the trial and Local are named from the catalogue, one name each", () => {
    expect(deviceStatus({ trialUsed: true, stripeSubscriptions: [], entitlements: [ent({})], now }).plan.name).toBe(CLOUD_TRIAL.name);
    expect(CLOUD_TRIAL.name).toBe("Free trial");
    expect(deviceStatus({ trialUsed: false, stripeSubscriptions: [], entitlements: [], now }).plan.name).toBe(LOCAL_PLAN.name);
  });

  it("a past-due plan is still the device's plan (INACTIVE); a cancelled one is not", () => {
    expect(deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ status: "INACTIVE" })], entitlements: [], now }).plan.status).toBe("INACTIVE");
    expect(deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ status: "CANCELLED" })], entitlements: [], now }).plan.code).toBe("local");
  });

  it("a plan cancelled during the trial is named on the trial, never a silent fallback (ADR 018)", () => {
    const s = deviceStatus({
      trialUsed: true,
      stripeSubscriptions: [sub({ status: "CANCELLED", planCode: "standard", endedAt: now - 5 })],
      entitlements: [ent({})],
      now,
    });
    expect([s.plan.source, s.plan.cancelledPlan]).toEqual(["trial", { name: "Standard", endedAt: now - 5 }]);
    expect(deviceStatus({ trialUsed: true, stripeSubscriptions: [], entitlements: [ent({})], now }).plan.cancelledPlan).toBeNull();
    expect(deviceStatus({ trialUsed: true, stripeSubscriptions: [sub({ stripeStatus: "trialing" })], entitlements: [ent({})], now }).plan).toMatchObject({
      source: "stripe",
      stripeStatus: "trialing",
      cancelledPlan: null,
    });
  });

  it("the most recently updated live subscription is shown", () => {
    const s = deviceStatus({
      trialUsed: true,
      stripeSubscriptions: [sub({ id: "old", planCode: "starter", updatedAt: now - 10_000 }), sub({ id: "new", planCode: "premium", updatedAt: now - 5 })],
      entitlements: [],
      now,
    });
    expect(s.plan.subscriptionId).toBe("new");
  });

  it("an entitlement that has not started yet grants no history (same rule as the playback gate)", () => {
    expect(
      deviceStatus({ trialUsed: true, stripeSubscriptions: [], entitlements: [ent({ source: "stripe", quota: 30, startsAt: now + DAY })], now }).historyDays,
    ).toBe(0);
  });
});
