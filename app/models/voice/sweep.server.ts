/**
 * The cron sweep of recordings: pending rows whose worker died are failed and refunded, expired
 * ones and deleted ones past their undo window are claimed (status → deleting), their R2 objects deleted, then the rows. A crash between
 * the steps leaves `deleting` rows that the next run finishes; deleting a missing object is a
 * no-op, so every step is idempotent.
 */
import { and, eq, inArray, isNotNull, lt, lte, or } from "drizzle-orm";
import { voiceRecordings } from "~/db/schema";
import { STALE_PENDING_MS, UNDO_DELETE_MS } from "~/domain/voice-recordings";
import type { Deps } from "../deps.server";
import { failPendingStatement } from "./recordings.server";
import { refundPendingRecordings } from "./usage-ledger.server";

const SWEEP_BATCH = 50; // D1 binds at most 100 parameters per statement
const SWEEP_ROUNDS = 10;

export async function sweepRecordings({ db, env }: Deps, now: number = Date.now()): Promise<Record<string, number>> {
  // Refund every stale pending row (per user and month, as many units as rows), then flip them:
  // one batch, so a crash can't fail a row without its refund (or refund without failing it).
  const stale = lt(voiceRecordings.createdAt, now - STALE_PENDING_MS);
  const [, flipped] = (await db.batch([refundPendingRecordings(db, stale, now), failPendingStatement(db, stale, now)])) as [D1Result, D1Result];
  const staleFailed = flipped.meta.changes ?? 0;

  let deleted = 0;
  let objects = 0;
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    const expired = db
      .select({ id: voiceRecordings.id })
      .from(voiceRecordings)
      .where(
        or(
          and(inArray(voiceRecordings.status, ["ready", "failed", "deleted"]), isNotNull(voiceRecordings.expiresAt), lte(voiceRecordings.expiresAt, now)),
          // Deleted by the owner and past the undo window: purged like an expired one.
          and(eq(voiceRecordings.status, "deleted"), lte(voiceRecordings.deletedAt, now - UNDO_DELETE_MS)),
        ),
      )
      .limit(SWEEP_BATCH);
    await db.update(voiceRecordings).set({ status: "deleting" }).where(inArray(voiceRecordings.id, expired));
    const rows = await db
      .select({ id: voiceRecordings.id, r2Key: voiceRecordings.r2Key })
      .from(voiceRecordings)
      .where(eq(voiceRecordings.status, "deleting"))
      .limit(SWEEP_BATCH);
    if (rows.length === 0) break;
    await env.AUDIO.delete(rows.map((r) => r.r2Key));
    objects += rows.length;
    const res = await db.delete(voiceRecordings).where(
      and(
        eq(voiceRecordings.status, "deleting"),
        inArray(
          voiceRecordings.id,
          rows.map((r) => r.id),
        ),
      ),
    );
    deleted += res.meta.changes ?? 0;
    if (rows.length < SWEEP_BATCH) break;
  }
  return { recordingsDeleted: deleted, objectsDeleted: objects, stalePendingFailed: staleFailed };
}
