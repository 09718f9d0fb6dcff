import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A physical camera, pre-provisioned at the factory (or by `npm run devices:provision`). The AWS
 * resource names stay with the device for its whole life: ownership changes never touch them.
 */
export const devices = sqliteTable(
  "devices",
  {
    id: text("id").primaryKey(),
    aovisId: text("aovis_id").notNull(),
    serial: text("serial").notNull(),
    model: text("model").notNull(),
    /** HMAC-SHA256(ACTIVATION_CODE_PEPPER, normalized code), hex. The code itself is never stored. */
    activationCodeHash: text("activation_code_hash").notNull(),
    iotThingName: text("iot_thing_name").notNull(),
    kvsStreamName: text("kvs_stream_name").notNull(),
    webrtcChannelArn: text("webrtc_channel_arn"),
    iccid: text("iccid"),
    /** Set once, on the first activation ever; the trial can never be granted again (see device_trials). */
    trialUsedAt: integer("trial_used_at"),
    createdAt: integer("created_at")
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [
    uniqueIndex("devices_aovis_id_unique").on(t.aovisId),
    uniqueIndex("devices_serial_unique").on(t.serial),
    // Camera events arrive by IoT thing name (ADR 015); AWS keeps thing names unique per account.
    uniqueIndex("devices_iot_thing_unique").on(t.iotThingName),
  ],
);

export type Device = typeof devices.$inferSelect;
