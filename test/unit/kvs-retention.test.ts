import { describe, expect, it } from "vitest";
import { MAX_RETENTION_HOURS, planRetentionChange, retentionOperation } from "~/domain/kvs-retention";

describe("planRetentionChange", () => {
  it("does nothing when the stream already has the target", () => {
    expect(planRetentionChange({ currentHours: 720, targetHours: 720 })).toEqual({ action: "none" });
    expect(planRetentionChange({ currentHours: 0, targetHours: 0 })).toEqual({ action: "none" });
  });

  it("increases by the difference (KVS takes a delta)", () => {
    expect(planRetentionChange({ currentHours: 24, targetHours: 720 })).toEqual({ action: "increase", deltaHours: 696 });
    expect(planRetentionChange({ currentHours: 0, targetHours: 1 })).toEqual({ action: "increase", deltaHours: 1 });
    expect(planRetentionChange({ currentHours: 719, targetHours: 720, allowDecrease: false })).toEqual({ action: "increase", deltaHours: 1 });
  });

  it("never decreases unless explicitly allowed: the default and allowDecrease:false are blocked", () => {
    expect(planRetentionChange({ currentHours: 800, targetHours: 720 })).toEqual({ action: "blocked_decrease", deltaHours: 80 });
    expect(planRetentionChange({ currentHours: 721, targetHours: 720, allowDecrease: false })).toEqual({ action: "blocked_decrease", deltaHours: 1 });
  });

  it("decreases only with allowDecrease:true", () => {
    expect(planRetentionChange({ currentHours: 800, targetHours: 720, allowDecrease: true })).toEqual({ action: "decrease", deltaHours: 80 });
    expect(planRetentionChange({ currentHours: 24, targetHours: 0, allowDecrease: true })).toEqual({ action: "decrease", deltaHours: 24 });
  });

  it("rejects values KVS would reject", () => {
    expect(() => planRetentionChange({ currentHours: -1, targetHours: 720 })).toThrow(RangeError);
    expect(() => planRetentionChange({ currentHours: 24, targetHours: 1.5 })).toThrow(/targetHours/);
    expect(() => planRetentionChange({ currentHours: 24, targetHours: MAX_RETENTION_HOURS + 1 })).toThrow(RangeError);
    expect(() => planRetentionChange({ currentHours: Number.NaN, targetHours: 24 })).toThrow(/currentHours/);
    expect(planRetentionChange({ currentHours: 0, targetHours: MAX_RETENTION_HOURS })).toEqual({ action: "increase", deltaHours: MAX_RETENTION_HOURS });
  });

  it("maps plans to the KVS Operation, and blocked/none send nothing", () => {
    expect(retentionOperation({ action: "increase", deltaHours: 1 })).toBe("INCREASE_DATA_RETENTION");
    expect(retentionOperation({ action: "decrease", deltaHours: 1 })).toBe("DECREASE_DATA_RETENTION");
    expect(retentionOperation({ action: "blocked_decrease", deltaHours: 1 })).toBeNull();
    expect(retentionOperation({ action: "none" })).toBeNull();
  });
});
