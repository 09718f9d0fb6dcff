/**
 * The voice quota ledger: `voice_usage` holds one row per user and UTC month with the generations
 * charged to it. This module is its only writer. A generation is reserved in ONE conditional
 * upsert before any work starts and given back exactly once when nothing came of it: by the
 * statements below, which the callers put in the same batch (one D1 transaction) as the change
 * to the recording that justifies the refund (ADR 009). In SQL:
 * - reserve: `INSERT … ON CONFLICT (user_id, month) DO UPDATE SET used = used + 1 WHERE used < limit
 *   RETURNING used` (no WHERE for an unlimited tier); no row back = the limit is reached;
 * - refund pending rows: `used = MAX(0, used - <pending rows of this user and month>)` WHERE such
 *   rows exist, in the batch that moves them out of pending (failGeneration, the stale sweep);
 * - refund unless recorded: `used - 1 WHERE used > 0 AND NOT EXISTS (<the new recording>)`, in the
 *   batch that inserts the pending row (it lost to an identical live request).
 */
import { and, count, eq, exists, gt, notExists, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { voiceRecordings, voiceUsage } from "~/db/schema";
import type { VoiceTierCode } from "~/domain/plans";
import { generationLimit, monthKey, remainingGenerations, resetDate } from "~/domain/voice-tiers";
import type { Deps } from "../deps.server";

export interface UsageView {
  tier: VoiceTierCode;
  month: string;
  used: number;
  /** null = unlimited (Premium). */
  limit: number | null;
  remaining: number | null;
  resetDate: number;
}

const ofMonth = (userId: string, month: string) => and(eq(voiceUsage.userId, userId), eq(voiceUsage.month, month));

/** This month's row, as a statement (for a caller that batches it with its own). */
export const usageQuery = (db: Db, userId: string, now: number) =>
  db
    .select({ used: voiceUsage.used })
    .from(voiceUsage)
    .where(ofMonth(userId, monthKey(now)))
    .limit(1);

export function usageFrom(rows: { used: number }[], tier: VoiceTierCode, now: number): UsageView {
  const used = rows[0]?.used ?? 0;
  return { tier, month: monthKey(now), used, limit: generationLimit(tier), remaining: remainingGenerations(tier, used), resetDate: resetDate(now) };
}

export async function readUsage({ db }: Deps, userId: string, tier: VoiceTierCode, now: number): Promise<UsageView> {
  return usageFrom(await usageQuery(db, userId, now), tier, now);
}

export type Reservation = { ok: true; month: string; used: number } | { ok: false; month: string; limit: number };

/**
 * Takes one generation from this month's allowance in ONE conditional statement: the upsert only
 * increments while `used < limit`, so concurrent requests can never overshoot (D1 runs each
 * statement atomically). Unlimited tiers are counted, never blocked.
 */
export async function reserveGeneration({ db }: Deps, userId: string, tier: VoiceTierCode, now: number): Promise<Reservation> {
  const month = monthKey(now);
  const limit = generationLimit(tier);
  if (limit !== null && limit <= 0) return { ok: false, month, limit };
  const [row] = await db
    .insert(voiceUsage)
    .values({ userId, month, used: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: [voiceUsage.userId, voiceUsage.month],
      set: { used: sql`${voiceUsage.used} + 1`, updatedAt: sql`excluded.updated_at` },
      ...(limit === null ? {} : { setWhere: sql`${voiceUsage.used} < ${limit}` }),
    })
    .returning({ used: voiceUsage.used });
  return row ? { ok: true, month, used: row.used } : { ok: false, month, limit: limit! };
}

/** Gives a reservation back when no recording row could be written for it (the batch failed as a whole). */
export async function refundGeneration({ db }: Deps, userId: string, month: string, now: number): Promise<void> {
  await db
    .update(voiceUsage)
    .set({ used: sql`${voiceUsage.used} - 1`, updatedAt: now })
    .where(and(ofMonth(userId, month), gt(voiceUsage.used, 0)));
}

/** For the batch that writes recording `recordingId`: gives the unit back when that row was NOT written (a duplicate won). */
export function refundUnlessRecorded(db: Db, r: { userId: string; month: string; recordingId: string; now: number }) {
  return db
    .update(voiceUsage)
    .set({ used: sql`${voiceUsage.used} - 1`, updatedAt: r.now })
    .where(
      and(
        ofMonth(r.userId, r.month),
        gt(voiceUsage.used, 0),
        notExists(
          db
            .select({ one: sql`1` })
            .from(voiceRecordings)
            .where(eq(voiceRecordings.id, r.recordingId)),
        ),
      ),
    );
}

/**
 * Gives back one unit per PENDING recording matching `which`, to the user and month each was
 * charged to. Put it in the same batch as the statement that moves those rows out of pending:
 * only a batch that still finds them pending refunds, so a unit is never returned twice.
 */
export function refundPendingRecordings(db: Db, which: SQL, now: number) {
  const charged = and(
    eq(voiceRecordings.userId, voiceUsage.userId),
    eq(voiceRecordings.usageMonth, voiceUsage.month),
    eq(voiceRecordings.status, "pending"),
    which,
  );
  const pending = db.select({ n: count() }).from(voiceRecordings).where(charged);
  return db
    .update(voiceUsage)
    .set({ used: sql`MAX(0, ${voiceUsage.used} - (${pending}))`, updatedAt: now })
    .where(
      exists(
        db
          .select({ one: sql`1` })
          .from(voiceRecordings)
          .where(charged),
      ),
    );
}
