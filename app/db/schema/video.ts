import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

/**
 * The timeline's cache (ADR 014): what KVS ListFragments said about one finished hour of a stream,
 * merged into recorded spans. Footage of a finished hour never changes (only retention removes it,
 * and reads ignore hours older than the retention), so an hour is listed from KVS once. Stream
 * facts, not a viewer's: the access window and the ownership are applied when it is read.
 */
export const timelineHours = sqliteTable(
  "timeline_hours",
  {
    streamName: text("stream_name").notNull(),
    /** Unix ms of the hour's start (UTC, a multiple of 3 600 000). */
    hourStart: integer("hour_start").notNull(),
    /** JSON [[startMs, endMs], …]: the hour's recorded spans by server timestamp, sorted and merged. */
    spansJson: text("spans_json").notNull(),
    fragmentCount: integer("fragment_count").notNull(),
    /** The shortest fragment seen in the hour (ms), which bounds how much one GetClip holds; null when none. */
    shortestFragmentMs: integer("shortest_fragment_ms"),
    listedAt: integer("listed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.streamName, t.hourStart] })],
);

export type DeviceRetention = typeof deviceRetention.$inferSelect;
export type CronCursor = typeof cronCursors.$inferSelect;
export type TimelineHour = typeof timelineHours.$inferSelect;
