/**
 * What to ask KVS UpdateDataRetention for, to bring a stream from `currentHours` to `targetHours`.
 * Pure. KVS takes a delta plus INCREASE/DECREASE (API-SHAPES §3), and a DECREASE deletes older
 * footage at once ("any data older than [the new period] is deleted immediately", botocore
 * kinesisvideo model, UpdateDataRetention docs): it can never be undone, so it needs an explicit
 * allowDecrease. The cron never passes it; a stream above the target is reported, not shrunk.
 */

/** KVS's bounds for DataRetentionInHours. */
export const MAX_RETENTION_HOURS = 87600;

export type RetentionPlan =
  | { action: "none" }
  | { action: "increase"; deltaHours: number }
  | { action: "decrease"; deltaHours: number }
  | { action: "blocked_decrease"; deltaHours: number };

function checkHours(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_RETENTION_HOURS) {
    throw new RangeError(`${name} must be an integer between 0 and ${MAX_RETENTION_HOURS}, got ${v}`);
  }
}

export function planRetentionChange(input: { currentHours: number; targetHours: number; allowDecrease?: boolean }): RetentionPlan {
  const { currentHours, targetHours, allowDecrease = false } = input;
  checkHours("currentHours", currentHours);
  checkHours("targetHours", targetHours);
  if (targetHours === currentHours) return { action: "none" };
  if (targetHours > currentHours) return { action: "increase", deltaHours: targetHours - currentHours };
  const deltaHours = currentHours - targetHours;
  return allowDecrease ? { action: "decrease", deltaHours } : { action: "blocked_decrease", deltaHours };
}

/** The KVS `Operation` for a plan that sends something, or null when nothing is to be sent. */
export function retentionOperation(plan: RetentionPlan): "INCREASE_DATA_RETENTION" | "DECREASE_DATA_RETENTION" | null {
  if (plan.action === "increase") return "INCREASE_DATA_RETENTION";
  if (plan.action === "decrease") return "DECREASE_DATA_RETENTION";
  return null;
}
