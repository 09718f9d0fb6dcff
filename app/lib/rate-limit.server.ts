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
  const [row] = await reserveStatement(db, key, opts, now);
  if (row) return { ok: true, count: row.count, windowStart: row.windowStart };
  const peek = await peekRateLimit(db, key, { ...opts, now });
  return { ok: false, count: peek.count, retryAfterSeconds: Math.max(1, peek.retryAfterSeconds) };
}

function reserveStatement(db: Db, key: string, opts: RateLimitWindow, now: number) {
  return windowUpsert(db, key, opts.windowMs, now, opts.limit);
}

/**
 * The one raw-SQL case of the data layer: one event counted in `key`'s window (a stale window
 * restarts at 1). With a `limit`, the conflict branch takes nothing (no row returned) when the
 * window is full; without one it always counts.
 */
function windowUpsert(db: Db, key: string, windowMs: number, now: number, limit?: number) {
  const stale = sql`${rateLimits.windowStart} <= ${now - windowMs}`;
  return db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${stale} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${stale} THEN ${now} ELSE ${rateLimits.windowStart} END`,
      },
      ...(limit === undefined ? {} : { setWhere: sql`${stale} OR ${rateLimits.count} < ${limit}` }),
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
}

export interface Taken {
  key: string;
  windowStart: number;
}

/**
 * One unit from EACH of several limits, or none: the conditional upserts run in one batch (one
 * round trip, each as atomic as `reserveRateLimit`'s); if any limit is full, the units the others
 * gave are handed back and the answer names the full ones and the longest wait among them.
 */
export async function reserveRateLimits(
  db: Db,
  limits: readonly ({ key: string } & RateLimitWindow)[],
  now = Date.now(),
): Promise<{ ok: true; taken: Taken[] } | { ok: false; full: string[]; retryAfterSeconds: number }> {
  const [first, ...rest] = limits.map((l) => reserveStatement(db, l.key, l, now));
  if (!first) return { ok: true, taken: [] };
  const rows = await db.batch([first, ...rest]);
  const taken: Taken[] = [];
  const full: ({ key: string } & RateLimitWindow)[] = [];
  rows.forEach(([row], i) => (row ? taken.push({ key: limits[i].key, windowStart: row.windowStart }) : full.push(limits[i])));
  if (full.length === 0) return { ok: true, taken };
  await releaseRateLimits(db, taken);
  const waits = await Promise.all(full.map((l) => peekRateLimit(db, l.key, { ...l, now })));
  return { ok: false, full: full.map((l) => l.key), retryAfterSeconds: Math.max(1, ...waits.map((w) => w.retryAfterSeconds)) };
}

/** Gives back one reserved unit, only to the window it was taken from (a new window starts clean). */
export async function releaseRateLimit(db: Db, key: string, windowStart: number): Promise<void> {
  await releaseStatement(db, { key, windowStart });
}

/** `releaseRateLimit` for several units, in one batch. */
export async function releaseRateLimits(db: Db, taken: readonly Taken[]): Promise<void> {
  const [first, ...rest] = taken.map((t) => releaseStatement(db, t));
  if (first) await db.batch([first, ...rest]);
}

function releaseStatement(db: Db, t: Taken) {
  return db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, t.key), eq(rateLimits.windowStart, t.windowStart), gt(rateLimits.count, 0)));
}

/** Counts one event in the window and never refuses (a counter to watch, not a limit): the count after it. */
export async function countInWindow(db: Db, key: string, windowMs: number, now = Date.now()): Promise<number> {
  const [row] = await windowUpsert(db, key, windowMs, now);
  return row?.count ?? 1;
}
