import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Append-only record of every ownership and billing decision, refusals included. Never updated or
 * deleted by the app.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    event: text("event").notNull(),
    actorUserId: text("actor_user_id"),
    deviceId: text("device_id"),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    /** JSON object with event-specific detail; never secrets or tokens. */
    detailJson: text("detail_json").notNull().default("{}"),
    requestId: text("request_id"),
  },
  (t) => [index("audit_device_at_idx").on(t.deviceId, t.at), index("audit_actor_at_idx").on(t.actorUserId, t.at)],
);

export type AuditEvent = typeof auditLog.$inferSelect;
