import { describe, expect, it } from "vitest";
import { comparedPlans, currentPlanMarks, historyPhrase } from "~/domain/plan-comparison";
import { CLOUD_TRIAL } from "~/domain/plans";

describe("plan comparison", () => {
  it("lists Local, the free trial with its real numbers, then the paid plans; Standard is recommended", () => {
    expect(comparedPlans().map((p) => [p.code, p.name, p.historyDays, p.aiSummaries, p.smartSearch, p.priceCents, p.freeForDays, p.recommended])).toEqual([
      ["local", "Local", 0, false, false, 0, null, false],
      ["trial", "Free trial", 1, false, false, 0, 30, false],
      ["starter", "Starter", 1, true, true, 199, null, false],
      ["standard", "Standard", 7, true, true, 499, null, true],
      ["premium", "Premium", 30, true, true, 999, null, false],
    ]);
    expect(comparedPlans().find((p) => p.code === "trial")?.name).toBe(CLOUD_TRIAL.name);
  });

  it("marks the rows the customer's cameras are on, naming the cameras; unknown codes mark nothing", () => {
    expect(
      currentPlanMarks([
        { label: "Front door", planCode: "standard" },
        { label: "Garage", planCode: "trial" },
        { label: "Hall", planCode: "standard" },
        { label: "Odd", planCode: "unknown" },
      ]),
    ).toEqual({ standard: ["Front door", "Hall"], trial: ["Garage"] });
    expect(currentPlanMarks([])).toEqual({});
  });

  it("says history the way people do", () => {
    expect([historyPhrase(0), historyPhrase(1), historyPhrase(7)]).toEqual([null, "24 hours", "7 days"]);
  });
});

describe("the trial told honestly", () => {
  it("comes from the catalogue's numbers", async () => {
    const { trialSummary } = await import("~/domain/plan-comparison");
    expect(trialSummary()).toBe("30 days free, 24 hours of cloud history");
  });
});
