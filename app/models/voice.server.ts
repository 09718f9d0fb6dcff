import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "~/db/client.server";
import { voiceClones, voicePresets } from "~/db/schema";
import { VOICE_PRESETS, VOICE_TIERS, type VoiceTierCode } from "~/domain/plans";
import {
  generationLimit,
  monthKey,
  remainingGenerations,
  resetDate,
  tierFeatures,
  type CustomPreset,
  type TierFeatures,
  type VoiceSettings,
} from "~/domain/voice-tiers";
import { checkCloneSamples, SNIFF_BYTES } from "~/domain/voice-input";
import { getConfig } from "~/lib/config.server";
import { createElevenLabsClient, ElevenLabsError, type ElevenLabsClient, type ElevenLabsVoice } from "~/lib/elevenlabs.server";
import { failure, type Failure } from "~/lib/http.server";
import { log } from "~/lib/log.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

/**
 * Voice studio: quota, voices, clones, custom presets and the profile (ADR 009). Generation and
 * recordings live in voice-recordings.server.ts.
 */

export function elevenLabs(env: Env): ElevenLabsClient {
  const cfg = getConfig(env);
  return createElevenLabsClient({ apiKey: cfg.ELEVENLABS_API_KEY, baseUrl: cfg.ELEVENLABS_API_BASE });
}

const tierName = (code: VoiceTierCode) => VOICE_TIERS.find((t) => t.code === code)!.name;
const tierSku = (code: VoiceTierCode) => VOICE_TIERS.find((t) => t.code === code)!.sku;

/** Where "upgrade" points from a tier: the next tier's store page (null at the top). */
export function upgradeUrlFor(tier: VoiceTierCode): string | null {
  if (tier === "FREE") return `/store/${tierSku("BASIC")}`;
  if (tier === "BASIC") return `/store/${tierSku("PREMIUM")}`;
  return null;
}
export const PREMIUM_URL = `/store/${tierSku("PREMIUM")}`;

// ---------------------------------------------------------------------------------------------
// Quota

export interface UsageView {
  tier: VoiceTierCode;
  month: string;
  used: number;
  /** null = unlimited (Premium). */
  limit: number | null;
  remaining: number | null;
  resetDate: number;
}

export async function getUsage(env: Env, userId: string, tier: VoiceTierCode, now = Date.now()): Promise<UsageView> {
  const month = monthKey(now);
  const row = await env.DB.prepare("SELECT used FROM voice_usage WHERE user_id = ?1 AND month = ?2").bind(userId, month).first<{ used: number }>();
  const used = row?.used ?? 0;
  return { tier, month, used, limit: generationLimit(tier), remaining: remainingGenerations(tier, used), resetDate: resetDate(now) };
}

export type Reservation = { ok: true; month: string; used: number } | { ok: false; month: string; limit: number };

/**
 * Takes one generation from this month's allowance in ONE conditional statement: the upsert only
 * increments while `used < limit`, so concurrent requests can never overshoot (D1 runs each
 * statement atomically). Unlimited tiers pass a NULL limit: counted, never blocked.
 */
export async function reserveGeneration(env: Env, userId: string, tier: VoiceTierCode, now = Date.now()): Promise<Reservation> {
  const month = monthKey(now);
  const limit = generationLimit(tier);
  if (limit !== null && limit <= 0) return { ok: false, month, limit };
  const row = await env.DB.prepare(
    `INSERT INTO voice_usage (user_id, month, used, updated_at) VALUES (?1, ?2, 1, ?4)
     ON CONFLICT (user_id, month) DO UPDATE SET used = voice_usage.used + 1, updated_at = excluded.updated_at
     WHERE ?3 IS NULL OR voice_usage.used < ?3
     RETURNING used`,
  )
    .bind(userId, month, limit, now)
    .first<{ used: number }>();
  return row ? { ok: true, month, used: row.used } : { ok: false, month, limit: limit! };
}

/** Gives a reserved generation back when no recording row could be written for it (failed rows refund in failGeneration's batch). */
export async function refundGeneration(env: Env, userId: string, month: string, now = Date.now()): Promise<void> {
  await env.DB.prepare("UPDATE voice_usage SET used = used - 1, updated_at = ?3 WHERE user_id = ?1 AND month = ?2 AND used > 0")
    .bind(userId, month, now)
    .run();
}

export function limitReached(tier: VoiceTierCode, limit: number, now = Date.now()): Failure {
  return failure(403, "LIMIT_REACHED", `You have used all ${limit} generations included in ${tierName(tier)} this month.`, {
    upgradeUrl: upgradeUrlFor(tier) ?? PREMIUM_URL,
    limit,
    resetDate: resetDate(now),
  });
}

// ---------------------------------------------------------------------------------------------
// Voices

export interface StudioVoice extends ElevenLabsVoice {
  /** The signed-in user's own clone. */
  own: boolean;
}

// Voices that belong to our provider account rather than to ElevenLabs' shared library. The
// provider lists every clone of the account (all users'), so those come from D1 per user instead.
const ACCOUNT_CATEGORIES = new Set(["cloned", "generated", "professional"]);
const CATALOGUE_TTL_MS = 5 * 60 * 1000;
let catalogue: { base: string; at: number; voices: ElevenLabsVoice[] } | null = null;

/** The provider's shared voices, cached per isolate for a few minutes (they rarely change). */
async function sharedVoices(env: Env, now = Date.now()): Promise<ElevenLabsVoice[]> {
  const base = getConfig(env).ELEVENLABS_API_BASE;
  if (catalogue && catalogue.base === base && now - catalogue.at < CATALOGUE_TTL_MS) return catalogue.voices;
  const voices = (await elevenLabs(env).listVoices({ signal: AbortSignal.timeout(10_000) })).filter((v) => !ACCOUNT_CATEGORIES.has(v.category));
  catalogue = { base, at: now, voices };
  return voices;
}

function providerUnavailable(err: unknown, what: string): Failure {
  log("warn", "elevenlabs_failed", { what, error: err instanceof Error ? err.message : String(err), code: err instanceof ElevenLabsError ? err.code : null });
  return failure(503, "provider_unavailable", "The voice service is not answering right now. Please try again in a moment.");
}

export async function listVoices(env: Env, userId: string): Promise<{ ok: true; voices: StudioVoice[] } | Failure> {
  let shared: ElevenLabsVoice[];
  try {
    shared = await sharedVoices(env);
  } catch (err) {
    return providerUnavailable(err, "list_voices");
  }
  const clones = await listClones(getDb(env), userId);
  return {
    ok: true,
    voices: [
      ...clones.map((c) => ({ voiceId: c.voiceId, name: c.name, category: "cloned", labels: {}, description: null, previewUrl: null, own: true })),
      ...shared.map((v) => ({ ...v, own: false })),
    ],
  };
}

/** A voice this user may speak with: a shared provider voice or one of their own clones. */
export async function resolveVoice(env: Env, userId: string, voiceId: string): Promise<{ ok: true; name: string } | Failure> {
  const db = getDb(env);
  const [clone] = await db.select().from(voiceClones).where(eq(voiceClones.voiceId, voiceId)).limit(1);
  if (clone) {
    // Another user's clone is indistinguishable from a voice that does not exist.
    return clone.userId === userId ? { ok: true, name: clone.name } : unknownVoice();
  }
  let shared: ElevenLabsVoice[];
  try {
    shared = await sharedVoices(env);
  } catch (err) {
    return providerUnavailable(err, "list_voices");
  }
  const v = shared.find((x) => x.voiceId === voiceId);
  return v ? { ok: true, name: v.name } : unknownVoice();
}

const unknownVoice = () => failure(400, "unknown_voice", "That voice is not available. Pick one from the list.");

// ---------------------------------------------------------------------------------------------
// Clones (instant voice cloning, Basic and Premium: ADR 009)

export const MAX_CLONES_PER_USER = 10;

export interface CloneView {
  voiceId: string;
  name: string;
  sampleCount: number;
  createdAt: number;
}

export async function listClones(db: Db, userId: string): Promise<CloneView[]> {
  const rows = await db.select().from(voiceClones).where(eq(voiceClones.userId, userId)).orderBy(desc(voiceClones.createdAt));
  return rows.map((r) => ({ voiceId: r.voiceId, name: r.name, sampleCount: r.sampleCount, createdAt: r.createdAt }));
}

export async function cloneVoice(
  env: Env,
  userId: string,
  tier: VoiceTierCode,
  input: { name: string; description?: string | null; files: File[] },
  now = Date.now(),
): Promise<{ ok: true; voice: CloneView; requiresVerification: boolean } | Failure> {
  if (!tierFeatures(tier).voiceCloning) return cloningLocked(tier);
  const samples = await Promise.all(
    input.files.map(async (f) => ({ name: f.name || "sample", type: f.type, size: f.size, head: new Uint8Array(await f.slice(0, SNIFF_BYTES).arrayBuffer()) })),
  );
  const check = checkCloneSamples(samples);
  if (!check.ok) return failure(400, check.error, check.message, check.file ? { file: check.file } : {});
  // A cheap early answer before the provider spends a voice slot; the insert below is the real guard.
  const existing = await env.DB.prepare("SELECT COUNT(*) AS n FROM voice_clones WHERE user_id = ?1").bind(userId).first<{ n: number }>();
  if ((existing?.n ?? 0) >= MAX_CLONES_PER_USER) return cloneLimitReached();
  let added: { voiceId: string; requiresVerification: boolean };
  try {
    added = await elevenLabs(env).addVoice({
      name: input.name,
      description: input.description ?? undefined,
      files: input.files,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    if (err instanceof ElevenLabsError && err.status === 400) {
      if (err.code === "duplicate_files") return failure(400, "duplicate_files", "Each sample must be a different recording.");
      return failure(400, "unsupported_file_type", "The voice service could not read one of the samples. Please upload clear, playable audio.");
    }
    return providerUnavailable(err, "add_voice");
  }
  const voice = { voiceId: added.voiceId, name: input.name, sampleCount: input.files.length, createdAt: now };
  // Count and insert in ONE statement, so concurrent clones can't pass the limit together.
  // Whatever keeps the row out (a lost race, a D1 failure) leaves the provider's voice orphaned:
  // our client has no delete, so it is logged at error level for someone to remove (ADR 009).
  const orphaned = (reason: string, error?: unknown) =>
    log("error", "voice_clone_orphaned", { userId, voiceId: added.voiceId, reason, error: error === undefined ? undefined : error instanceof Error ? error.message : String(error) });
  let inserted: D1Result;
  try {
    inserted = await env.DB.prepare(
      `INSERT INTO voice_clones (id, user_id, voice_id, name, sample_count, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE (SELECT COUNT(*) FROM voice_clones WHERE user_id = ?2) < ?7`,
    )
      .bind(crypto.randomUUID(), userId, voice.voiceId, voice.name, voice.sampleCount, voice.createdAt, MAX_CLONES_PER_USER)
      .run();
  } catch (err) {
    orphaned("insert_failed", err);
    return failure(503, "storage_failed", "Your voice was made but could not be saved. Please try again in a moment.");
  }
  if ((inserted.meta.changes ?? 0) === 0) {
    orphaned("clone_limit_reached");
    return cloneLimitReached();
  }
  return { ok: true, voice, requiresVerification: added.requiresVerification };
}

const cloneLimitReached = () => failure(409, "clone_limit_reached", `You can keep up to ${MAX_CLONES_PER_USER} cloned voices.`);

export function cloningLocked(tier: VoiceTierCode): Failure {
  return failure(403, "feature_locked", `Voice cloning is not included in ${tierName(tier)}.`, {
    feature: "voice_cloning",
    upgradeUrl: upgradeUrlFor(tier) ?? PREMIUM_URL,
  });
}

// ---------------------------------------------------------------------------------------------
// Presets

export const MAX_CUSTOM_PRESETS = 50;

export interface SystemPresetView extends VoiceSettings {
  id: string;
  name: string;
  /** Included in the user's tier. */
  available: boolean;
}

export interface CustomPresetView extends CustomPreset {
  createdAt: number;
}

const toCustom = (r: typeof voicePresets.$inferSelect): CustomPresetView => ({
  id: r.id,
  name: r.name,
  stability: r.stability,
  similarityBoost: r.similarityBoost,
  style: r.style,
  speed: r.speed,
  createdAt: r.createdAt,
});

export async function listPresets(db: Db, userId: string, tier: VoiceTierCode) {
  const features = tierFeatures(tier);
  const system: SystemPresetView[] = VOICE_PRESETS.map((p) => ({ ...p, available: features.presetIds.includes(p.id) }));
  const rows = await db.select().from(voicePresets).where(eq(voicePresets.userId, userId)).orderBy(voicePresets.createdAt);
  return { system, custom: rows.map(toCustom), customPresetsAllowed: features.customPresets };
}

export async function getCustomPreset(db: Db, userId: string, id: string): Promise<CustomPreset | null> {
  const [row] = await db.select().from(voicePresets).where(and(eq(voicePresets.id, id), eq(voicePresets.userId, userId))).limit(1);
  return row ? toCustom(row) : null;
}

export async function createPreset(
  db: Db,
  userId: string,
  tier: VoiceTierCode,
  input: { name: string } & VoiceSettings,
  now = Date.now(),
): Promise<{ ok: true; preset: CustomPresetView } | Failure> {
  if (!tierFeatures(tier).customPresets) {
    return failure(403, "feature_locked", `Custom presets are not included in ${tierName(tier)}.`, { feature: "custom_preset", upgradeUrl: PREMIUM_URL });
  }
  const row = { id: crypto.randomUUID(), userId, ...input, createdAt: now };
  // Count and insert in ONE statement: concurrent requests can't pass the limit together.
  const inserted = await db.run(sql`
    INSERT INTO voice_presets (id, user_id, name, stability, similarity_boost, style, speed, created_at)
    SELECT ${row.id}, ${userId}, ${row.name}, ${row.stability}, ${row.similarityBoost}, ${row.style}, ${row.speed}, ${row.createdAt}
    WHERE (SELECT COUNT(*) FROM voice_presets WHERE user_id = ${userId}) < ${MAX_CUSTOM_PRESETS}`);
  if ((inserted.meta.changes ?? 0) === 0) return failure(409, "preset_limit_reached", `You can keep up to ${MAX_CUSTOM_PRESETS} custom presets.`);
  return { ok: true, preset: toCustom(row) };
}

/** Deletes the user's own preset; someone else's (or none) → false, answered as 404. */
export async function deletePreset(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.delete(voicePresets).where(and(eq(voicePresets.id, id), eq(voicePresets.userId, userId))).returning({ id: voicePresets.id });
  return res.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Profile

export interface VoiceProfile {
  userId: string;
  email: string;
  subscriptionTier: VoiceTierCode;
  /** The voice subscription's status; NONE when the user never had one. */
  subscriptionStatus: "ACTIVE" | "CANCELLED" | "INACTIVE" | "EXPIRED" | "NONE";
  recordingsThisMonth: number;
  /** null = unlimited. */
  maxRecordings: number | null;
  resetDate: number;
  features: TierFeatures;
  upgradeUrl: string | null;
}

export async function voiceProfile(env: Env, user: { id: string; email: string }, now = Date.now()): Promise<VoiceProfile> {
  const db = getDb(env);
  const tier = await voiceTierForUser(db, user.id, now);
  const [usage, sub] = await Promise.all([
    getUsage(env, user.id, tier, now),
    env.DB.prepare(
      `SELECT s.status FROM entitlements e JOIN subscriptions s ON s.id = e.subscription_id
       WHERE e.user_id = ?1 AND e.key = 'voice_tier'
       ORDER BY CASE WHEN e.status = 'ACTIVE' AND (e.expires_at IS NULL OR e.expires_at > ?2) THEN 0 ELSE 1 END, e.updated_at DESC LIMIT 1`,
    )
      .bind(user.id, now)
      .first<{ status: VoiceProfile["subscriptionStatus"] }>(),
  ]);
  return {
    userId: user.id,
    email: user.email,
    subscriptionTier: tier,
    subscriptionStatus: sub?.status ?? "NONE",
    recordingsThisMonth: usage.used,
    maxRecordings: usage.limit,
    resetDate: usage.resetDate,
    features: tierFeatures(tier),
    upgradeUrl: upgradeUrlFor(tier),
  };
}

