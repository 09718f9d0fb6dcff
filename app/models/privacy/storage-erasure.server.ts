/**
 * A deleted account's stored files (ADR 026): every R2 object under `<userId>/` in AUDIO (voice
 * recordings, favourites, uploads: recordingKey), the provider's copies of their voice clones, then
 * the rows that pointed at them. Runs right after the deletion's batch commits and again from the
 * cron (`account_erasure`) until `users.storage_erased_at` is set, so a failure here is retried,
 * never left. Every step is idempotent: deleting a missing object or an already deleted voice is a no-op.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { users, voiceClones, voiceRecordings } from "~/db/schema";
import { log } from "~/lib/log.server";
import type { Deps } from "../deps.server";
import { elevenLabs } from "../voice/voices.server";

/** Accounts whose files one cron run erases at most (each lists R2 and calls the provider per clone). */
const ERASURES_PER_RUN = 10;

/** Every R2 object under the user's prefix, deleted a listing page (≤ 1000 keys) at a time. */
async function deleteAudioOf(bucket: R2Bucket, userId: string): Promise<number> {
  let removed = 0;
  for (;;) {
    // Always from the start: what was deleted is gone from the next listing.
    const page = await bucket.list({ prefix: `${userId}/`, limit: 1000 });
    if (page.objects.length === 0) return removed;
    await bucket.delete(page.objects.map((o) => o.key));
    removed += page.objects.length;
    if (!page.truncated) return removed;
  }
}

/** Erases one deleted account's files; true when everything is gone (the row then says so). */
export async function eraseStorageOf(deps: Deps, userId: string, now = Date.now()): Promise<boolean> {
  const { db, env } = deps;
  const [user] = await db.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user?.deletedAt) return false; // only ever a deleted account
  const objects = await deleteAudioOf(env.AUDIO, userId);
  // Keys outside the prefix would be a bug elsewhere; the rows name them, so delete those too.
  const keys = await db.select({ key: voiceRecordings.r2Key }).from(voiceRecordings).where(eq(voiceRecordings.userId, userId));
  for (let i = 0; i < keys.length; i += 1000) await env.AUDIO.delete(keys.slice(i, i + 1000).map((k) => k.key));
  const clones = await db.select({ id: voiceClones.id, voiceId: voiceClones.voiceId }).from(voiceClones).where(eq(voiceClones.userId, userId));
  for (const c of clones) {
    await elevenLabs(env).deleteVoice(c.voiceId, { signal: AbortSignal.timeout(10_000) });
    await db.delete(voiceClones).where(eq(voiceClones.id, c.id));
  }
  await db.batch([
    db.delete(voiceRecordings).where(eq(voiceRecordings.userId, userId)),
    db
      .update(users)
      .set({ storageErasedAt: now })
      .where(and(eq(users.id, userId), isNull(users.storageErasedAt))),
  ]);
  log("info", "account_storage_erased", { userId, objects, clones: clones.length });
  return true;
}

/** The cron's part: deleted accounts whose files are still owed, a few per run. */
export async function sweepAccountErasures(deps: Deps, now = Date.now()): Promise<Record<string, number>> {
  const due = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(and(isNotNull(users.deletedAt), isNull(users.storageErasedAt)))
    .limit(ERASURES_PER_RUN);
  let erased = 0;
  let failed = 0;
  for (const u of due) {
    try {
      if (await eraseStorageOf(deps, u.id, now)) erased++;
    } catch (err) {
      failed++;
      log("error", "account_storage_erase_failed", { userId: u.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { accountsErased: erased, accountErasuresFailed: failed };
}
