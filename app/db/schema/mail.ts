import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The transactional mail outbox (ADR 019). A row is written IN THE SAME db.batch as the change that
 * makes the mail due, so a mail exists exactly when its cause committed; the unique index on
 * (kind, cause_id, to_user_id) makes "once per cause" a database invariant (inserts are
 * ON CONFLICT DO NOTHING). Sending happens after the commit and is retried by the cron.
 * Times are Unix milliseconds.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    /** What the mail is about (MailKind in app/domain/mail-policy.ts). */
    kind: text("kind", { enum: ["payment_failed", "transfer_offered", "transfer_accepted", "trial_ending", "subscription_cancelled"] }).notNull(),
    /** The cause's id: the invoice, the transfer, the device (its one trial), the subscription. */
    causeId: text("cause_id").notNull(),
    toUserId: text("to_user_id").notNull(),
    /** The verified address when enqueued; a send re-checks the user still has it, verified. */
    toEmail: text("to_email").notNull(),
    /** en | zh-CN, the recipient's when enqueued. */
    locale: text("locale").notNull(),
    /** The facts the template needs (JSON). Cleared once sent: a transfer offer's carries its accept link. */
    payload: text("payload"),
    status: text("status", { enum: ["pending", "sent", "suppressed", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** When a sender may next claim it; a claim pushes it forward first (a lease), so two senders never both send. */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    /** The provider's message id. */
    providerId: text("provider_id"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [uniqueIndex("mail_outbox_cause_unique").on(t.kind, t.causeId, t.toUserId), index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt)],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
