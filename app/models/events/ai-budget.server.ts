/**
 * The per-camera daily Workers AI budget (ADR 016): `ai_usage` holds one row per camera, UTC day
 * and kind. A call is reserved with ONE conditional upsert before it is made (`used < limit`, so
 * concurrent work never overspends) and given back when the call failed.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { aiUsage } from "~/db/schema";
import { AI_DESCRIPTIONS_PER_CAMERA_PER_DAY, AI_SUMMARIES_PER_CAMERA_PER_DAY, budgetDay } from "~/domain/event-features";
import type { Deps } from "../deps.server";

export type AiKind = "description" | "summary";
const LIMITS: Record<AiKind, number> = { description: AI_DESCRIPTIONS_PER_CAMERA_PER_DAY, summary: AI_SUMMARIES_PER_CAMERA_PER_DAY };

export interface AiReservation {
  deviceId: string;
  day: string;
  kind: AiKind;
}

/** One call from today's allowance, or null when it is spent. */
export async function reserveAi({ db }: Deps, deviceId: string, kind: AiKind, now: number): Promise<AiReservation | null> {
  const day = budgetDay(now);
  const [row] = await db
    .insert(aiUsage)
    .values({ deviceId, day, kind, used: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: [aiUsage.deviceId, aiUsage.day, aiUsage.kind],
      set: { used: sql`${aiUsage.used} + 1`, updatedAt: sql`excluded.updated_at` },
      setWhere: sql`${aiUsage.used} < ${LIMITS[kind]}`,
    })
    .returning({ used: aiUsage.used });
  return row ? { deviceId, day, kind } : null;
}

/** Gives a reserved call back (the model failed, nothing was spent on our side). */
export async function refundAi({ db }: Deps, r: AiReservation, now: number): Promise<void> {
  await db
    .update(aiUsage)
    .set({ used: sql`${aiUsage.used} - 1`, updatedAt: now })
    .where(and(eq(aiUsage.deviceId, r.deviceId), eq(aiUsage.day, r.day), eq(aiUsage.kind, r.kind), gt(aiUsage.used, 0)));
}
