/**
 * Fixed-window counters in D1. One atomic conditional upsert per attempt (D1 has a single writer),
 * so concurrent requests can't overshoot; KV would allow only ~1 write/s per key and loses increments.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { rateLimits } from "~/db/schema";

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

export interface RateLimitWindow {
  limit: number;
  windowMs: number;
  now?: number;
}

/** Current count in the window without incrementing. */
export async function peekRateLimit(db: Db, key: string, opts: RateLimitWindow): Promise<RateLimitResult> {
  const now = opts.now ?? Date.now();
  const [row] = await db.select({ count: rateLimits.count, windowStart: rateLimits.windowStart }).from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  if (!row || row.windowStart <= now - opts.windowMs) return { allowed: true, count: 0, retryAfterSeconds: 0 };
  return {
    allowed: row.count < opts.limit,
    count: row.count,
    retryAfterSeconds: Math.max(1, Math.ceil((row.windowStart + opts.windowMs - now) / 1000)),
  };
}

export type Reservation = { ok: true; count: number; windowStart: number } | { ok: false; count: number; retryAfterSeconds: number };

/**
 * Takes one unit only while the window's count is below the limit, in ONE conditional upsert
 * (`… DO UPDATE … WHERE count < limit RETURNING`): D1 runs it atomically, so a burst of parallel
 * requests can never take more than `limit` units between them (read-then-increment could).
 * Reserve before doing the guarded work; `releaseRateLimit` gives the unit back when the attempt
 * should not count (e.g. the activation code was right).
 */
export async function reserveRateLimit(db: Db, key: string, opts: RateLimitWindow): Promise<Reservation> {
  const now = opts.now ?? Date.now();
  // The one raw-SQL case of the data layer: the conflict branch restarts a stale window or counts
  // on, and takes nothing (no row returned) when the window is full.
  const stale = sql`${rateLimits.windowStart} <= ${now - opts.windowMs}`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${stale} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${stale} THEN ${now} ELSE ${rateLimits.windowStart} END`,
      },
      setWhere: sql`${stale} OR ${rateLimits.count} < ${opts.limit}`,
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  if (row) return { ok: true, count: row.count, windowStart: row.windowStart };
  const peek = await peekRateLimit(db, key, { ...opts, now });
  return { ok: false, count: peek.count, retryAfterSeconds: Math.max(1, peek.retryAfterSeconds) };
}

/** Gives back one reserved unit, only to the window it was taken from (a new window starts clean). */
export async function releaseRateLimit(db: Db, key: string, windowStart: number): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart), gt(rateLimits.count, 0)));
}
