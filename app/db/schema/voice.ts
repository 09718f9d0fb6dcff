import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Voice studio (ADR 009). Times are Unix milliseconds.
 *
 * Generations used per user per calendar month (UTC, "YYYY-MM"). Reserved with one conditional
 * upsert (`… DO UPDATE SET used = used + 1 WHERE used < limit RETURNING used`), refunded with
 * `used - 1` when the provider fails, so concurrent requests can never overshoot the limit.
 */
export const voiceUsage = sqliteTable(
  "voice_usage",
  {
    userId: text("user_id").notNull(),
    month: text("month").notNull(),
    used: integer("used").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month] })],
);

/**
 * One generation: metadata here, audio in R2 under `r2_key` (`${userId}/${id}.mp3`).
 * status: pending (row written before streaming starts) → ready (R2 write finished, size known)
 * or failed (provider/R2 failure; quota refunded, swept). deleting = claimed by the expiry sweep.
 * expires_at: created_at + 7 days for non-favorites, NULL for favorites.
 */
export const voiceRecordings = sqliteTable(
  "voice_recordings",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    voiceId: text("voice_id").notNull(),
    voiceName: text("voice_name"),
    text: text("text").notNull(),
    /** Effective provider settings, JSON {stability, similarityBoost, style, speed}. */
    settingsJson: text("settings_json").notNull(),
    /** System preset the settings came from (null for sliders or a custom preset). */
    preset: text("preset"),
    customPresetId: text("custom_preset_id"),
    /**
     * What a client uploaded with its own audio (POST /api/recordings): its audio settings (a flat
     * JSON object, as sent) and the preset it names. Null for our generations (their settings and
     * preset are the columns above).
     */
    audioConfigJson: text("audio_config_json"),
    presetUsed: text("preset_used"),
    /** sha256 hex of requestFingerprintInput(voice, text, settings): the dedupe key (`upload:<id>` for an upload). */
    fingerprint: text("fingerprint").notNull(),
    /** The voice_usage month the generation was charged to, so a failure refunds the right row. */
    usageMonth: text("usage_month").notNull(),
    r2Key: text("r2_key").notNull(),
    contentType: text("content_type").notNull().default("audio/mpeg"),
    size: integer("size"),
    status: text("status", { enum: ["pending", "ready", "failed", "deleted", "deleting"] }).notNull(),
    favorite: integer("favorite", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    readyAt: integer("ready_at"),
    expiresAt: integer("expires_at"),
    /** When the owner deleted it (status `deleted`): restorable for UNDO_DELETE_MS, then swept. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    index("voice_recordings_user_idx").on(t.userId, t.createdAt),
    index("voice_recordings_expiry_idx").on(t.expiresAt),
    index("voice_recordings_status_idx").on(t.status, t.createdAt),
    // At most one live recording per identical request: a concurrent duplicate loses the insert
    // and is served the winner's audio instead of spending quota twice.
    uniqueIndex("voice_recordings_live_fingerprint_unique")
      .on(t.userId, t.fingerprint)
      .where(sql`status IN ('pending', 'ready')`),
  ],
);

/** Voices a user cloned (IVC). The provider lists every clone of our account; we show only the owner's. */
export const voiceClones = sqliteTable(
  "voice_clones",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    voiceId: text("voice_id").notNull(),
    name: text("name").notNull(),
    sampleCount: integer("sample_count").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("voice_clones_voice_unique").on(t.voiceId), index("voice_clones_user_idx").on(t.userId, t.createdAt)],
);

/** A Premium user's saved slider settings. */
export const voicePresets = sqliteTable(
  "voice_presets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    stability: real("stability").notNull(),
    similarityBoost: real("similarity_boost").notNull(),
    style: real("style").notNull(),
    speed: real("speed").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("voice_presets_user_idx").on(t.userId, t.createdAt)],
);

export type VoiceRecording = typeof voiceRecordings.$inferSelect;
export type VoiceClone = typeof voiceClones.$inferSelect;
export type VoicePresetRow = typeof voicePresets.$inferSelect;
