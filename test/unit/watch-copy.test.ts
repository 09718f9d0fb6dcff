// The device page's history notes (copy.ts) in both languages: English exactly as before the
// catalogue (other tests assert it on the page), Chinese from the request's translator (ADR 028).
import { describe, expect, it } from "vitest";
import { historyReason, lockTexts } from "~/components/watch/copy";
import { factsSummary, dayLabel } from "~/models/events/prompts";
import { translatorFor } from "~/i18n/i18n.server";

const standard = { days: 7, source: "stripe" as const, planCode: "standard" };
const trial = { days: 1, source: "trial" as const, planCode: null };
const starter = { days: 1, source: "stripe" as const, planCode: "starter" };
const since = "Dec 1, 2026, 10:00 AM (UTC)";

describe("history notes", () => {
  it("English, without a translator", () => {
    expect(historyReason(standard, "plan", since).text).toBe("Your Standard plan keeps 7 days — upgrade to see 30 days.");
    expect(historyReason(trial, "plan", since).text).toBe("Your free trial keeps 24 hours — choose a plan to see up to 30 days.");
    expect(historyReason(starter, "plan", since).text).toBe("Your Starter plan keeps 24 hours — upgrade to see 7 or 30 days.");
    expect(historyReason(null, null, since)).toEqual({
      text: "This camera has no cloud plan, so no history is kept for you. Live view still works.",
      upgrade: true,
    });
    expect(historyReason(standard, "ownership", since).text).toBe(
      `Footage from before ${since} isn't shown: that's before you owned this camera. Your Standard plan keeps 7 days — upgrade to see 30 days.`,
    );
    expect(lockTexts(standard, since)).toEqual({
      before_ownership: `Locked: before you owned this camera (it's yours since ${since}).`,
      plan_limit: "Locked: your Standard plan keeps 7 days — see 30 with Premium.",
      no_plan: "Locked: this camera has no cloud plan, so no history is kept — choose one to see up to 30 days.",
    });
    expect(lockTexts(trial, since).plan_limit).toBe("Locked: your free trial keeps 24 hours — see 30 with Premium.");
  });

  it("Chinese, with the request's translator", () => {
    const t = translatorFor("zh-CN", "watch");
    expect(historyReason(starter, "plan", since, t).text).toBe("您的 Starter 套餐保存 24 小时的录像——升级后可查看 7 或 30 天。");
    expect(lockTexts(standard, since, t).plan_limit).toBe("已锁定：您的 Standard 套餐保存 7 天的录像——Premium 可查看 30 天。");
  });
});

describe("a day's own sentence", () => {
  const events = [
    { time: "08:10", type: "person" as const, cameraLabels: ["person"] },
    { time: "09:00", type: "package" as const, cameraLabels: [] },
    { time: "10:30", type: "animal" as const, cameraLabels: ["cat"] },
  ];
  it("in English and in Chinese", () => {
    expect(factsSummary(dayLabel("2026-12-03", "2026-12-03", "2026-12-02"), events)).toBe("Today: a person, a parcel at 09:00, a cat at 10:30.");
    expect(factsSummary(dayLabel("2026-12-03", "2026-12-03", "2026-12-02", "zh-CN"), events, "zh-CN")).toBe("今天：有人出现 1 次、09:00 有包裹、10:30 有猫。");
    expect(dayLabel("2026-11-24", "2026-12-03", "2026-12-02", "zh-CN")).toBe("11月24日星期二");
  });
});
