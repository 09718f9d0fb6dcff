import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Camera events (ADR 015) and what the AI made of them (ADR 016). Times are Unix ms.
 *
 * One row per event the camera reported, keyed by the camera's event id (a repeat is no second
 * row). Events belong to the device; who may see one is decided when reading (ownership ∩ plan
 * window). `seq` (= at·1024 + a hash of the id, app/domain/camera-events.ts) is the rowid, so the
 * full-text index `camera_events_fts` (FTS5, created in a hand-written migration with the
 * triggers that keep it in step) shares it and both walk time order without sorting.
 */
export const cameraEvents = sqliteTable(
  "camera_events",
  {
    seq: integer("seq").primaryKey(),
    id: text("id").notNull(),
    deviceId: text("device_id").notNull(),
    type: text("type", { enum: ["motion", "person", "vehicle", "package", "animal", "sound"] }).notNull(),
    at: integer("at").notNull(),
    /** When the IoT rule received the message (its `timestamp()`). */
    receivedAt: integer("received_at").notNull(),
    confidence: real("confidence").notNull(),
    /** The words indexed for the event: the type's synonyms and the camera's labels, space-separated. */
    labels: text("labels").notNull(),
    /** The camera's own labels as it sent them (e.g. "cat", "courier"), space-separated. */
    cameraLabels: text("camera_labels").notNull().default(""),
    /** JSON [{label, confidence, x, y, w, h}] (fractions of the picture), when the camera sent boxes. */
    boxesJson: text("boxes_json"),
    /** pending → ready (R2 object at snapshotKey) | missing (nothing was recorded then) | failed (gave up). */
    snapshotStatus: text("snapshot_status", { enum: ["pending", "ready", "missing", "failed"] })
      .notNull()
      .default("pending"),
    snapshotAttempts: integer("snapshot_attempts").notNull().default(0),
    description: text("description"),
    /**
     * pending → ready | skipped (the owner's plan has no AI summaries, or there is no picture) |
     * over_budget (the camera's daily budget was spent) | failed (gave up after retries).
     */
    descriptionStatus: text("description_status", { enum: ["pending", "ready", "skipped", "over_budget", "failed"] })
      .notNull()
      .default("pending"),
    descriptionAttempts: integer("description_attempts").notNull().default(0),
    /** Whoever is fetching the snapshot / description holds the event until then (request or cron). */
    leaseUntil: integer("lease_until"),
  },
  (t) => [
    uniqueIndex("camera_events_id_unique").on(t.id),
    index("camera_events_device_at_idx").on(t.deviceId, t.at),
    // The cron's work list stays small: only events still waiting for a picture or a description.
    index("camera_events_pending_idx")
      .on(t.receivedAt)
      .where(sql`snapshot_status = 'pending' OR description_status = 'pending'`),
  ],
);

/**
 * Workers AI calls per camera and UTC day (ADR 016), reserved with one conditional upsert before a
 * call (`used < limit`) and given back when the call fails, so concurrent work never overspends.
 */
export const aiUsage = sqliteTable(
  "ai_usage",
  {
    deviceId: text("device_id").notNull(),
    /** "YYYY-MM-DD" (UTC), the budget's day. */
    day: text("day").notNull(),
    kind: text("kind", { enum: ["description", "summary"] }).notNull(),
    used: integer("used").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.day, t.kind] })],
);

/**
 * A day's summary of one camera for one ownership, in the owner's time zone: computed once and
 * stored; recomputed only when the facts it covered changed (new events on a day still running,
 * a plan window that moved). The ownership is part of the key: a new owner never reads a summary
 * of the previous owner's events.
 */
export const eventSummaries = sqliteTable(
  "event_summaries",
  {
    deviceId: text("device_id").notNull(),
    ownershipId: text("ownership_id").notNull(),
    /** "YYYY-MM-DD" in timeZone. */
    date: text("date").notNull(),
    timeZone: text("time_zone").notNull(),
    summary: text("summary").notNull(),
    eventCount: integer("event_count").notNull(),
    /** The newest event (seq) and the earliest moment the summary covered. */
    throughSeq: integer("through_seq").notNull(),
    fromAt: integer("from_at").notNull(),
    /** ai: the text model wrote it; facts: our own sentence (over budget or the model failed). */
    source: text("source", { enum: ["ai", "facts"] }).notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.ownershipId, t.date, t.timeZone] }), index("event_summaries_computed_idx").on(t.computedAt)],
);

export type CameraEvent = typeof cameraEvents.$inferSelect;
export type EventSummary = typeof eventSummaries.$inferSelect;
