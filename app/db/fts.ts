import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The FTS5 index over camera events, for queries only. It is a virtual table created (with its
 * triggers) by the hand-written migration `migrations/*_camera_events_fts.sql`; it is kept out of
 * app/db/schema so drizzle-kit never tries to generate it as an ordinary table.
 * rowid = camera_events.seq; columns: description, labels, device (deviceToken of device_id).
 */
export const cameraEventsFts = sqliteTable("camera_events_fts", {
  rowid: integer("rowid").notNull(),
  description: text("description"),
  labels: text("labels"),
  device: text("device"),
});
