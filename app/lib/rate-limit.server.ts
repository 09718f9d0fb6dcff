/**
 * Fixed-window counters in D1. One atomic conditional upsert per attempt (D1 has a single writer),
 * so concurrent requests can't overshoot; KV would allow only ~1 write/s per key and loses increments.
 */
export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** Current count in the window without incrementing. */
export async function peekRateLimit(db: D1Database, key: string, opts: { limit: number; windowMs: number; now?: number }): Promise<RateLimitResult> {
  const now = opts.now ?? Date.now();
  const row = await db.prepare("SELECT count, window_start FROM rate_limits WHERE key = ?1").bind(key).first<{ count: number; window_start: number }>();
  if (!row || row.window_start <= now - opts.windowMs) return { allowed: true, count: 0, retryAfterSeconds: 0 };
  return {
    allowed: row.count < opts.limit,
    count: row.count,
    retryAfterSeconds: Math.max(1, Math.ceil((row.window_start + opts.windowMs - now) / 1000)),
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
export async function reserveRateLimit(
  db: D1Database,
  key: string,
  opts: { limit: number; windowMs: number; now?: number },
): Promise<Reservation> {
  const now = opts.now ?? Date.now();
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT(key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN 1 ELSE rate_limits.count + 1 END,
         window_start = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN ?2 ELSE rate_limits.window_start END
       WHERE rate_limits.window_start <= ?2 - ?3 OR rate_limits.count < ?4
       RETURNING count, window_start`,
    )
    .bind(key, now, opts.windowMs, opts.limit)
    .first<{ count: number; window_start: number }>();
  if (row) return { ok: true, count: row.count, windowStart: row.window_start };
  const peek = await peekRateLimit(db, key, { ...opts, now });
  return { ok: false, count: peek.count, retryAfterSeconds: Math.max(1, peek.retryAfterSeconds) };
}

/** Gives back one reserved unit, only to the window it was taken from (a new window starts clean). */
export async function releaseRateLimit(db: D1Database, key: string, windowStart: number): Promise<void> {
  await db.prepare("UPDATE rate_limits SET count = count - 1 WHERE key = ?1 AND window_start = ?2 AND count > 0").bind(key, windowStart).run();
}
