// The services page's words: the plan and tier lines worded from their facts say exactly what the
// catalogue's English `features` say (the store and the studio show those), and in Chinese too.
import { describe, expect, it } from "vitest";
import { CLOUD_PLANS, VOICE_PRESETS, VOICE_TIERS } from "~/domain/plans";
import { translatorFor } from "~/i18n/i18n.server";
import { cloudPlanFeatures, paymentProblemText, renewalText, voiceTierFeatures } from "~/lib/billing-copy";

const en = translatorFor("en", "services");
const zh = translatorFor("zh-CN", "services");
const has = (p: (typeof CLOUD_PLANS)[number], key: string) => p.grants.some((g) => g.key === key);
const cloudFacts = (p: (typeof CLOUD_PLANS)[number]) => ({
  historyDays: p.historyDays,
  aiSummaries: has(p, "ai_summary"),
  smartSearch: has(p, "smart_search"),
});
const tierFacts = (v: (typeof VOICE_TIERS)[number]) => ({ ...v, presetCount: v.presetIds.length, allPresets: v.presetIds.length === VOICE_PRESETS.length });

describe("services page copy", () => {
  it("a purchasable cloud plan's lines are the catalogue's, worded from its facts", () => {
    for (const p of CLOUD_PLANS.filter((p) => p.purchasable)) expect(cloudPlanFeatures(cloudFacts(p), en), p.code).toEqual(p.features);
    expect(cloudPlanFeatures(cloudFacts(CLOUD_PLANS.find((p) => p.code === "standard")!), zh)).toEqual(["7 天云端历史录像", "AI 摘要", "智能搜索"]);
  });

  it("a voice tier's lines are the catalogue's, worded from its rules", () => {
    for (const v of VOICE_TIERS) expect(voiceTierFeatures(tierFacts(v), en), v.code).toEqual(v.features);
    expect(voiceTierFeatures(tierFacts(VOICE_TIERS.find((v) => v.code === "BASIC")!), zh)).toEqual(["每月生成 100 次", "10 种语音预设", "即时声音克隆"]);
  });

  it("renewal and payment problems in both languages", () => {
    const at = Date.UTC(2026, 11, 14);
    const plan = { source: "stripe", status: "ACTIVE", currentPeriodEnd: at, cancelAtPeriodEnd: false, cancelAt: null };
    expect(renewalText(plan, "en-US", en)).toBe("Renews on Dec 14, 2026");
    expect(renewalText(plan, "zh-CN", zh)).toBe("将于 2026年12月14日 续费");
    const problem = { retrying: true, retryAt: at, graceEndsAt: at, historyDays: 7, name: "Standard" };
    expect(paymentProblemText(problem, "en-US", en)).toBe(
      "Payment failed — we'll try again on Dec 14, 2026; update your card to keep 7 days of history. Your plan stays on until Dec 14, 2026.",
    );
    expect(paymentProblemText(problem, "zh-CN", zh)).toBe(
      "付款失败：我们将于 2026年12月14日 再次尝试；请更新银行卡以保留 7 天的历史录像。在 2026年12月14日 之前，您的套餐仍然有效。",
    );
  });
});
