import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Who owns which device, over time. Exactly one row per device may be `active`: a partial unique
 * index makes that a database invariant, so two concurrent activations can't both win.
 * Rows are never deleted: an ownership is ended with a reason.
 */
export const deviceOwnerships = sqliteTable(
  "device_ownerships",
  {
    id: text("id").primaryKey(),
    deviceId: text("device_id").notNull(),
    userId: text("user_id").notNull(),
    status: text("status", { enum: ["active", "ended"] }).notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    endReason: text("end_reason", { enum: ["unbound", "transferred"] }),
    /** What this owner calls the camera ("Front door"); a new owner names it afresh. Null: unnamed. */
    name: text("name"),
  },
  (t) => [
    uniqueIndex("device_ownerships_one_active")
      .on(t.deviceId)
      .where(sql`status = 'active'`),
    index("device_ownerships_user_idx").on(t.userId, t.status),
  ],
);

/**
 * The free cloud trial, once per physical device, ever. The primary key on device_id is the
 * proof: no code path can insert a second row for the same device.
 */
export const deviceTrials = sqliteTable("device_trials", {
  deviceId: text("device_id").primaryKey(),
  userId: text("user_id").notNull(),
  grantedAt: integer("granted_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/** A transfer offer from the current owner to an email address; the token is stored hashed. */
export const deviceTransfers = sqliteTable(
  "device_transfers",
  {
    id: text("id").primaryKey(),
    deviceId: text("device_id").notNull(),
    fromUserId: text("from_user_id").notNull(),
    toEmail: text("to_email").notNull(),
    includeSim: integer("include_sim", { mode: "boolean" }).notNull(),
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: ["offered", "accepted", "cancelled", "expired"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    decidedAt: integer("decided_at"),
    acceptedByUserId: text("accepted_by_user_id"),
  },
  (t) => [
    uniqueIndex("device_transfers_token_unique").on(t.tokenHash),
    uniqueIndex("device_transfers_one_open")
      .on(t.deviceId)
      .where(sql`status = 'offered'`),
    index("device_transfers_to_email_idx").on(t.toEmail, t.status),
  ],
);

/** LTE SIM cards. A SIM stays with its user until that user explicitly moves it. */
export const simCards = sqliteTable(
  "sim_cards",
  {
    id: text("id").primaryKey(),
    iccid: text("iccid").notNull(),
    userId: text("user_id"),
    deviceId: text("device_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("sim_cards_iccid_unique").on(t.iccid), index("sim_cards_user_idx").on(t.userId)],
);
