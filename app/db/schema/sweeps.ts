import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Sweep messages that failed every retry on the aovis-sweeps queue (ADR 027). The dead-letter
 * queue's consumer writes one row per message (the queue message id is the key, so a redelivered
 * dead letter is recorded once). /ops lists them and may requeue (send the body again) or discard.
 * Times are Unix milliseconds.
 */
export const sweepDeadLetters = sqliteTable(
  "sweep_dead_letters",
  {
    /** The queue's message id. */
    id: text("id").primaryKey(),
    /** The message body as JSON (capped), exactly what a requeue sends again. */
    body: text("body").notNull(),
    /** The sweep kind when the body says one ("kvs_retention", "sweep:mail_outbox"), else "unknown". */
    kind: text("kind").notNull(),
    /** Deliveries seen by the dead-letter consumer (the main queue's attempts are not visible here). */
    attempts: integer("attempts").notNull(),
    /** When the message was first sent to the main queue. */
    sentAt: integer("sent_at").notNull(),
    recordedAt: integer("recorded_at").notNull(),
    status: text("status", { enum: ["dead", "requeued", "discarded"] }).notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [index("sweep_dead_letters_status_idx").on(t.status, t.recordedAt)],
);

export type SweepDeadLetter = typeof sweepDeadLetters.$inferSelect;
