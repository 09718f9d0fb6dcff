import { describe, expect, it } from "vitest";
import { deviceStatus, type SubscriptionFacts } from "~/domain/device-status";
import { PAYMENT_GRACE_DAYS } from "~/domain/payment-grace";
import { planOutlook } from "~/domain/plan-outlook";
import { translatorFor } from "~/i18n/i18n.server";
import { planOutlookWords } from "~/lib/plan-outlook-copy";

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 2, 12); // 2 Dec 2026, 12:00 UTC
const trialEnt = (expiresAt = now + 12 * DAY) => ({
  key: "cloud_playback",
  quota: 1,
  status: "ACTIVE" as const,
  startsAt: now - 18 * DAY,
  expiresAt,
  source: "trial" as const,
});
const sub = (o: Partial<SubscriptionFacts>): SubscriptionFacts => ({
  id: "s1",
  sku: "aovis-cloud-standard",
  planCode: "standard",
  status: "ACTIVE",
  stripeStatus: "active",
  currentPeriodStart: now - 10 * DAY,
  currentPeriodEnd: now + 20 * DAY,
  cancelAtPeriodEnd: false,
  cancelAt: null,
  updatedAt: now - 1000,
  ...o,
});
const outlookOf = (f: { trial?: boolean; subs?: SubscriptionFacts[]; trialEndsAt?: number }) =>
  planOutlook(
    deviceStatus({
      trialUsed: true,
      stripeSubscriptions: f.subs ?? [],
      entitlements: f.trial === false ? [] : [trialEnt(f.trialEndsAt)],
      now,
    }),
  );
const en = translatorFor("en", "services");
const words = (o: ReturnType<typeof planOutlook>, zone = "UTC") => {
  const w = planOutlookWords(o, "en-US", zone, en);
  return `${w.plan} — ${w.next}`;
};

describe("planOutlook: one effective plan and what happens next, over every state", () => {
  it("Local: no plan, no trial", () => {
    const o = outlookOf({ trial: false });
    expect(o).toEqual({ kind: "local" });
    expect(words(o)).toBe("Local — recordings stay on the camera; no cloud history.");
  });

  it("the free trial: its days left, its end, then no cloud history", () => {
    const o = outlookOf({});
    expect(o).toEqual({ kind: "trial", endsAt: now + 12 * DAY, daysLeft: 12, cancelledPlan: null });
    expect(words(o)).toBe("Free trial — 12 days left, until Dec 14, 2026; then no cloud history unless you choose a plan.");
    expect(words(outlookOf({ trialEndsAt: now + DAY / 2 }))).toMatch(/^Free trial — 1 day left/);
  });

  it("a plan bought during the trial (Stripe trialing): free until the trial's end, billing starts then", () => {
    const o = outlookOf({ subs: [sub({ stripeStatus: "trialing", currentPeriodStart: now - DAY, currentPeriodEnd: now + 12 * DAY })] });
    expect(o).toEqual({ kind: "trial_then_plan", planName: "Standard", billingStartsAt: now + 12 * DAY });
    expect(words(o)).toBe("Standard — free until Dec 14, 2026, billing starts then.");
  });

  it("an active plan renews on its period's end", () => {
    const o = outlookOf({ trial: false, subs: [sub({})] });
    expect(o).toEqual({ kind: "renews", planName: "Standard", renewsAt: now + 20 * DAY });
    expect(words(o)).toBe("Standard — renews on Dec 22, 2026.");
  });

  it("a plan cancelling at its period's end: ends on …, then back to Local (or to the rest of a longer trial)", () => {
    const o = outlookOf({ trial: false, subs: [sub({ cancelAtPeriodEnd: true })] });
    expect(o).toEqual({ kind: "ends", planName: "Standard", endsAt: now + 20 * DAY, billed: true, then: { kind: "local" } });
    expect(words(o)).toBe("Standard — ends on Dec 22, 2026, then back to Local: no cloud history.");
    // cancel_at wins over the period end.
    expect(outlookOf({ trial: false, subs: [sub({ cancelAt: now + 5 * DAY })] })).toMatchObject({ kind: "ends", endsAt: now + 5 * DAY });
    // A trial that lasts longer than the plan carries on after it.
    const longer = outlookOf({ trialEndsAt: now + 25 * DAY, subs: [sub({ cancelAt: now + 5 * DAY })] });
    expect(longer).toMatchObject({ kind: "ends", then: { kind: "trial", until: now + 25 * DAY } });
    expect(words(longer)).toBe("Standard — ends on Dec 7, 2026, then back to the free trial until Dec 27, 2026.");
  });

  it("a trial-bought plan cancelled before its first charge: ends then, unbilled, then Local", () => {
    const o = outlookOf({ subs: [sub({ stripeStatus: "trialing", currentPeriodEnd: now + 12 * DAY, cancelAtPeriodEnd: true })] });
    expect(o).toEqual({ kind: "ends", planName: "Standard", endsAt: now + 12 * DAY, billed: false, then: { kind: "local" } });
    expect(words(o)).toBe("Standard — ends on Dec 14, 2026 before its first charge, then back to Local: no cloud history.");
  });

  it("cancelled during the trial: the trial with its remaining days, naming the cancelled plan", () => {
    const o = outlookOf({ subs: [sub({ status: "CANCELLED", stripeStatus: "canceled", endedAt: now - DAY })] });
    expect(o).toEqual({ kind: "trial", endsAt: now + 12 * DAY, daysLeft: 12, cancelledPlan: "Standard" });
    expect(words(o)).toBe(
      "Free trial — Standard was cancelled, the trial goes on: 12 days left, until Dec 14, 2026; then no cloud history unless you choose a plan.",
    );
  });

  it("cancelled after the trial: Local", () => {
    expect(outlookOf({ trial: false, subs: [sub({ status: "CANCELLED", stripeStatus: "canceled" })] })).toEqual({ kind: "local" });
  });

  it(`payment failed, Stripe retrying (past_due): the plan stays on for the grace (${PAYMENT_GRACE_DAYS} days from the period's start, ADR 017)`, () => {
    const o = outlookOf({ trial: false, subs: [sub({ status: "INACTIVE", stripeStatus: "past_due", currentPeriodStart: now - DAY })] });
    expect(o).toEqual({ kind: "payment_failed", planName: "Standard", retrying: true, accessUntil: now - DAY + PAYMENT_GRACE_DAYS * DAY });
    expect(words(o)).toBe("Standard — payment failed; Stripe is retrying and the plan stays on until Dec 15, 2026. Update your card to keep it.");
    expect(planOutlookWords(o, "en-US", "UTC", en).fixPayment).toBe(true);
  });

  it("payment failed and Stripe gave up (unpaid): no grace", () => {
    const o = outlookOf({ trial: false, subs: [sub({ status: "INACTIVE", stripeStatus: "unpaid" })] });
    expect(o).toEqual({ kind: "payment_failed", planName: "Standard", retrying: false, accessUntil: null });
    expect(words(o)).toBe("Standard — payment failed and Stripe stopped retrying: no cloud history until you update your card.");
  });

  it("dates are the viewer's: the same instant is a different day in Auckland", () => {
    const o = outlookOf({ trial: false, subs: [sub({ currentPeriodEnd: Date.UTC(2026, 11, 22, 13) })] });
    expect(words(o, "UTC")).toBe("Standard — renews on Dec 22, 2026.");
    expect(words(o, "Pacific/Auckland")).toBe("Standard — renews on Dec 23, 2026.");
  });

  it("says the same in Simplified Chinese, with Chinese dates (plan names stay names)", () => {
    const zh = translatorFor("zh-CN", "services");
    const line = (o: ReturnType<typeof planOutlook>) => {
      const w = planOutlookWords(o, "zh-CN", "UTC", zh);
      return `${w.plan} — ${w.next}`;
    };
    expect(line(outlookOf({}))).toBe("免费试用 — 还剩 12 天，至 2026年12月14日；之后除非您选择套餐，否则没有云端历史录像。");
    expect(line(outlookOf({ trial: false, subs: [sub({})] }))).toBe("Standard — 将于 2026年12月22日 续费。");
    expect(line(outlookOf({ trial: false }))).toBe("本地 — 录像保存在摄像头上；无云端历史录像。");
  });
});
