/**
 * The voices a user may speak with: the provider's shared library plus their own clones (ADR 009).
 * The provider lists every clone of our account (all users'), so clones come from D1 per user.
 */
import { desc, eq } from "drizzle-orm";
import { voiceClones } from "~/db/schema";
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { createElevenLabsClient, ElevenLabsError, type ElevenLabsClient, type ElevenLabsVoice } from "~/lib/elevenlabs.server";
import { log } from "~/lib/log.server";
import type { Db } from "~/db/client.server";
import type { Deps } from "../deps.server";

export function elevenLabs(env: Env): ElevenLabsClient {
  const cfg = getConfig(env);
  return createElevenLabsClient({ apiKey: cfg.ELEVENLABS_API_KEY, baseUrl: cfg.ELEVENLABS_API_BASE });
}

export type ProviderUnavailable = Refusal<"provider_unavailable", { operation: "voice_list" | "cloning" }>;

export function providerUnavailable(err: unknown, operation: "voice_list" | "cloning"): ProviderUnavailable {
  log("warn", "elevenlabs_failed", {
    what: operation === "voice_list" ? "list_voices" : "add_voice",
    error: err instanceof Error ? err.message : String(err),
    code: err instanceof ElevenLabsError ? err.code : null,
  });
  return refuse("provider_unavailable", { operation });
}

export interface StudioVoice extends ElevenLabsVoice {
  /** The signed-in user's own clone. */
  own: boolean;
}

export interface CloneView {
  voiceId: string;
  name: string;
  sampleCount: number;
  createdAt: number;
}

// Voices that belong to our provider account rather than to ElevenLabs' shared library.
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

/** The user's clones, as a statement (for a caller that batches it with its own). */
export const clonesQuery = (db: Db, userId: string) => db.select().from(voiceClones).where(eq(voiceClones.userId, userId)).orderBy(desc(voiceClones.createdAt));

const toCloneView = (r: typeof voiceClones.$inferSelect): CloneView => ({
  voiceId: r.voiceId,
  name: r.name,
  sampleCount: r.sampleCount,
  createdAt: r.createdAt,
});

export async function listClones(deps: Deps, userId: string): Promise<CloneView[]> {
  return (await clonesQuery(deps.db, userId)).map(toCloneView);
}

export type ListVoicesResult = { ok: true; voices: StudioVoice[] } | ProviderUnavailable;

/** The provider's shared voices (cached), or why they can't be listed. */
export async function sharedVoiceList(env: Env): Promise<{ ok: true; shared: ElevenLabsVoice[] } | ProviderUnavailable> {
  try {
    return { ok: true, shared: await sharedVoices(env) };
  } catch (err) {
    return providerUnavailable(err, "voice_list");
  }
}

/** The user's clones first, then the shared voices; nothing when the provider couldn't list its voices. */
export function voicesFrom(shared: Awaited<ReturnType<typeof sharedVoiceList>>, cloneRows: (typeof voiceClones.$inferSelect)[]): ListVoicesResult {
  if (!shared.ok) return shared;
  return {
    ok: true,
    voices: [
      ...cloneRows
        .map(toCloneView)
        .map((c) => ({ voiceId: c.voiceId, name: c.name, category: "cloned", labels: {}, description: null, previewUrl: null, own: true })),
      ...shared.shared.map((v) => ({ ...v, own: false })),
    ],
  };
}

export async function listVoices(deps: Deps, userId: string): Promise<ListVoicesResult> {
  const shared = await sharedVoiceList(deps.env);
  return voicesFrom(shared, shared.ok ? await clonesQuery(deps.db, userId) : []);
}

/** A voice this user may speak with: a shared provider voice or one of their own clones. */
export async function resolveVoice(
  deps: Deps,
  userId: string,
  voiceId: string,
): Promise<{ ok: true; name: string } | Refusal<"unknown_voice"> | ProviderUnavailable> {
  const [clone] = await deps.db.select().from(voiceClones).where(eq(voiceClones.voiceId, voiceId)).limit(1);
  // Another user's clone is indistinguishable from a voice that does not exist.
  if (clone) return clone.userId === userId ? { ok: true, name: clone.name } : refuse("unknown_voice");
  let shared: ElevenLabsVoice[];
  try {
    shared = await sharedVoices(deps.env);
  } catch (err) {
    return providerUnavailable(err, "voice_list");
  }
  const v = shared.find((x) => x.voiceId === voiceId);
  return v ? { ok: true, name: v.name } : refuse("unknown_voice");
}
