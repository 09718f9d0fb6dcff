import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A signed-out session's KV key hash, kept until the session could no longer be valid anyway.
 * KV deletes take up to ~60 s to reach every location; this row makes a sign-out effective at once
 * everywhere (every authenticated request reads it in the same batch as the user).
 */
export const sessionRevocations = sqliteTable(
  "session_revocations",
  {
    sessionHash: text("session_hash").primaryKey(),
    userId: text("user_id").notNull(),
    revokedAt: integer("revoked_at").notNull(),
    /** After this the session is past its absolute lifetime; the cron may delete the row. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("session_revocations_expires_idx").on(t.expiresAt)],
);

/** Fixed-window counters for rate limits (sign-in per IP; activation attempts per serial and account, account, client network: ADR 013). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});
