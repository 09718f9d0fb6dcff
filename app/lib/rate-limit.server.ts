/**
 * Fixed-window counters in D1. One atomic upsert per hit (D1 has a single writer), so concurrent
 * requests can't undercount; KV would allow only ~1 write/s per key and loses increments.
 */
export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

export async function hitRateLimit(
  db: D1Database,
  key: string,
  opts: { limit: number; windowMs: number; now?: number },
): Promise<RateLimitResult> {
  const now = opts.now ?? Date.now();
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT(key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN 1 ELSE rate_limits.count + 1 END,
         window_start = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN ?2 ELSE rate_limits.window_start END
       RETURNING count, window_start`,
    )
    .bind(key, now, opts.windowMs)
    .first<{ count: number; window_start: number }>();
  const count = row?.count ?? 1;
  const windowStart = row?.window_start ?? now;
  return {
    allowed: count <= opts.limit,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + opts.windowMs - now) / 1000)),
  };
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
