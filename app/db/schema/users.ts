import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A customer, keyed by their Auth0 subject. Times are Unix milliseconds. */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    auth0Sub: text("auth0_sub").notNull(),
    email: text("email").notNull(),
    /**
     * The identity provider's `email_verified` claim at the last sign-in. Anything that trusts the
     * address (transfer offers are addressed by email) requires it to be true.
     */
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    name: text("name"),
    /** Bumped by "sign out everywhere"; every session carries the epoch it was issued under. */
    sessionEpoch: integer("session_epoch").notNull().default(0),
    /**
     * When "sign out everywhere" last ran (ms): an ID token issued before it never starts a session
     * (ADR 012). 0 = never.
     */
    sessionsValidAfter: integer("sessions_valid_after").notNull().default(0),
    stripeCustomerId: text("stripe_customer_id"),
    createdAt: integer("created_at")
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    lastLoginAt: integer("last_login_at"),
    /** IANA time zone the user chose in their profile (null: the browser's, else UTC). Pages render dates in it. */
    timeZone: text("time_zone"),
    /**
     * The language mails are written in (en | zh-CN, ADR 019): from the browser's Accept-Language at
     * the last sign-in that sent one. null = never seen (mails fall back to en).
     */
    locale: text("locale"),
    /**
     * Account deleted (ADR 026): the row stays as a tombstone so billing, trial and audit rows keep
     * their user; email/name/sub are erased in the same batch. null = a live account.
     */
    deletedAt: integer("deleted_at"),
    /** When the deleted account's stored files (R2 audio, provider voice clones) were all removed; null = the cron still owes it. */
    storageErasedAt: integer("storage_erased_at"),
  },
  (t) => [uniqueIndex("users_auth0_sub_unique").on(t.auth0Sub), uniqueIndex("users_stripe_customer_unique").on(t.stripeCustomerId)],
);

export type User = typeof users.$inferSelect;
