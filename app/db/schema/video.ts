import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Cloud video (ADR 010). Times are Unix milliseconds.
 *
 * What the kvs_retention sweep last saw for each device's KVS stream: one row per device, upserted
 * on every check. A separate table (not columns on `devices`) because it is operational state
 * written hourly by the cron, not part of the device's identity, and it may be dropped and rebuilt
 * from KVS at any time.
 */
export const deviceRetention = sqliteTable(
  "device_retention",
  {
    deviceId: text("device_id").primaryKey(),
    streamName: text("stream_name").notNull(),
    /** DataRetentionInHours as last known (after our increase, if one was applied); null = never read. */
    retentionHours: integer("retention_hours"),
    /** KVS_DATA_RETENTION_HOURS at the time of the check. */
    targetHours: integer("target_hours").notNull(),
    /**
     * ok: at target · increased: raised to target by this check · decrease_needed: above target,
     * left alone (a decrease deletes footage; only `kvs:retention:apply --allow-decrease` does it) ·
     * error: the check failed (see last_error).
     */
    status: text("status", { enum: ["ok", "increased", "decrease_needed", "error"] }).notNull(),
    checkedAt: integer("checked_at").notNull(),
    /** "Code: message" of the last failure, or the decrease_needed note; null when all is well. */
    lastError: text("last_error"),
    /** Last check that found (or left) the stream at its target. */
    lastOkAt: integer("last_ok_at"),
  },
  (t) => [index("device_retention_status_idx").on(t.status, t.checkedAt)],
);

/**
 * Where a paged cron job stopped, so a budget-limited invocation continues where the last one
 * ended (e.g. name 'kvs_retention', cursor = the last device id handled, '' = from the start).
 */
export const cronCursors = sqliteTable("cron_cursors", {
  name: text("name").primaryKey(),
  cursor: text("cursor").notNull().default(""),
  /** Completed passes over every row (bumped when the cursor wraps around). */
  passes: integer("passes").notNull().default(0),
  updatedAt: integer("updated_at").notNull(),
});

export type DeviceRetention = typeof deviceRetention.$inferSelect;
export type CronCursor = typeof cronCursors.$inferSelect;
