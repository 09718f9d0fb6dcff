/**
 * Recordings: D1 metadata + R2 audio under `${userId}/${id}.mp3` (ADR 009), with the lifecycle of
 * app/domain/voice-recordings (pending → ready | failed; non-favorites expire; deleting = claimed).
 * Everything here reads or changes only the actor's own live recordings: anyone else's is not found.
 */
import { and, count, desc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { isUniqueViolation } from "~/db/d1.server";
import type { Db } from "~/db/client.server";
import type { BatchRows } from "~/db/d1.server";
import { voiceRecordings } from "~/db/schema";
import { refuse, type Refusal } from "~/domain/result";
import { expiryAfterFavorite, LIVE_RECORDING_STATUSES, UNDO_DELETE_MS, undoDeadline } from "~/domain/voice-recordings";
import type { VoiceSettings } from "~/domain/voice-tiers";
import type { Actor, Deps } from "../deps.server";
import { refundPendingRecordings } from "./usage-ledger.server";

export type Recording = typeof voiceRecordings.$inferSelect;

export interface RecordingView {
  id: string;
  voiceId: string;
  voiceName: string | null;
  text: string;
  settings: VoiceSettings;
  preset: string | null;
  customPresetId: string | null;
  status: "pending" | "ready";
  size: number | null;
  favorite: boolean;
  createdAt: number;
  /** null for favorites (kept until un-favorited). */
  expiresAt: number | null;
  audioUrl: string;
  // The documented clients' names (docs/api.md), beside ours.
  speed: number;
  isFavorite: boolean;
  /** The upload's own settings object, else our effective settings. */
  audioConfig: Record<string, unknown>;
  /** The upload's preset name, else our system preset id. */
  presetUsed: string | null;
  /** Only on a deleted recording the page still offers to restore: until when "Undo" works. */
  undoUntil?: number;
}

export function toRecordingView(r: Recording): RecordingView {
  const settings = JSON.parse(r.settingsJson) as VoiceSettings;
  return {
    id: r.id,
    voiceId: r.voiceId,
    voiceName: r.voiceName,
    text: r.text,
    settings,
    preset: r.preset,
    customPresetId: r.customPresetId,
    status: r.status === "ready" ? "ready" : "pending",
    size: r.size,
    favorite: r.favorite,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    audioUrl: recordingAudioPath(r.id),
    speed: settings.speed,
    isFavorite: r.favorite,
    audioConfig: r.audioConfigJson ? (JSON.parse(r.audioConfigJson) as Record<string, unknown>) : { ...settings },
    presetUsed: r.presetUsed ?? r.preset,
    ...(r.status === "deleted" && r.deletedAt !== null ? { undoUntil: undoDeadline(r.deletedAt) } : {}),
  };
}

/** Where the owner plays a recording (GET /api/recordings/:id/audio). */
export const recordingAudioPath = (id: string) => `/api/recordings/${id}/audio`;

export const recordingKey = (userId: string, id: string) => `${userId}/${id}.mp3`;

/** SQL twin of "live" (domain): pending or ready, and not expired at `now`. */
export function liveRecording(now: number) {
  return and(inArray(voiceRecordings.status, [...LIVE_RECORDING_STATUSES]), or(isNull(voiceRecordings.expiresAt), gt(voiceRecordings.expiresAt, now)));
}

/** SQL twin of canRestore (domain): deleted by its owner less than UNDO_DELETE_MS ago and not expired. */
export function restorableRecording(now: number) {
  return and(
    eq(voiceRecordings.status, "deleted"),
    gt(voiceRecordings.deletedAt, now - UNDO_DELETE_MS),
    or(isNull(voiceRecordings.expiresAt), gt(voiceRecordings.expiresAt, now)),
  );
}

const ownLive = (id: string, userId: string, now: number) => and(eq(voiceRecordings.id, id), eq(voiceRecordings.userId, userId), liveRecording(now));

/**
 * "Contains `q`" over the recording's text and voice name, case-insensitively for ASCII. instr(),
 * not LIKE: D1 refuses LIKE patterns over 50 bytes, and instr() takes % and _ literally. drizzle
 * has no instr() builder, hence the raw SQL.
 */
function matching(q: string | undefined) {
  if (!q) return undefined;
  // lower() on both sides in SQL (it folds ASCII only), so an exact non-ASCII match still matches.
  return or(sql`instr(lower(${voiceRecordings.text}), lower(${q})) > 0`, sql`instr(lower(coalesce(${voiceRecordings.voiceName}, '')), lower(${q})) > 0`);
}

type NotFound = Refusal<"not_found", { subject: "recording" }>;
const notFound = (): NotFound => refuse("not_found", { subject: "recording" as const });

/** The actor's live recording (pending or ready, not expired); anything else, anyone else's → null. */
/** The actor's live recording `id` as a statement (no id: a statement that finds nothing), for a caller's batch. */
export const recordingQuery = (db: Db, id: string | null, actor: Actor) =>
  db
    .select()
    .from(voiceRecordings)
    .where(ownLive(id ?? "", actor.user.id, actor.now ?? Date.now()))
    .limit(id ? 1 : 0);

export async function findRecording({ db }: Deps, id: string, actor: Actor): Promise<Recording | null> {
  const [row] = await recordingQuery(db, id, actor);
  return row ?? null;
}

export async function getRecording(deps: Deps, id: string, actor: Actor): Promise<{ ok: true; recording: RecordingView } | NotFound> {
  const row = await findRecording(deps, id, actor);
  return row ? { ok: true, recording: toRecordingView(row) } : notFound();
}

export interface RecordingPage {
  recordings: RecordingView[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
}

/** `q`: text the recording's words or voice name contain; `withUndoable`: the page also lists just-deleted ones in place (to undo). */
type PageQuery = { page: number; limit: number; favoritesOnly: boolean; q?: string; withUndoable?: boolean };

/** A page of the actor's live recordings and their count: two statements for the caller's batch. */
export function recordingPageQueries(db: Db, q: PageQuery, actor: Actor) {
  const now = actor.now ?? Date.now();
  const shown = q.withUndoable ? or(liveRecording(now), restorableRecording(now)) : liveRecording(now);
  const mine = and(eq(voiceRecordings.userId, actor.user.id), shown, q.favoritesOnly ? eq(voiceRecordings.favorite, true) : undefined, matching(q.q));
  return [
    db
      .select()
      .from(voiceRecordings)
      .where(mine)
      .orderBy(desc(voiceRecordings.createdAt), desc(voiceRecordings.id))
      .limit(q.limit)
      .offset((q.page - 1) * q.limit),
    db.select({ n: count() }).from(voiceRecordings).where(mine),
  ] as const;
}

export function recordingPageFrom([rows, [counted]]: BatchRows<ReturnType<typeof recordingPageQueries>>, q: PageQuery): RecordingPage {
  const total = counted?.n ?? 0;
  return { recordings: rows.map(toRecordingView), page: q.page, limit: q.limit, total, hasMore: q.page * q.limit < total };
}

export async function listRecordings({ db }: Deps, q: PageQuery, actor: Actor): Promise<RecordingPage> {
  return recordingPageFrom(await db.batch(recordingPageQueries(db, q, actor)), q);
}

/**
 * Sets (or, with `favorite` undefined, toggles) the favorite flag in one statement. Favorites never
 * expire; un-favoriting restarts the clock; "setting" the current value changes nothing.
 */
export async function setFavorite(
  { db }: Deps,
  input: { id: string; favorite?: boolean },
  actor: Actor,
): Promise<{ ok: true; recording: RecordingView } | NotFound> {
  const now = actor.now ?? Date.now();
  // SET expressions all read the row as it was, so the new flag is computed once per column.
  const target = input.favorite === undefined ? sql`(1 - ${voiceRecordings.favorite})` : sql`${input.favorite ? 1 : 0}`;
  const [row] = await db
    .update(voiceRecordings)
    .set({
      expiresAt: sql`CASE WHEN ${target} = ${voiceRecordings.favorite} THEN ${voiceRecordings.expiresAt} WHEN ${target} = 1 THEN NULL ELSE ${expiryAfterFavorite(false, now)} END`,
      favorite: sql`${target}`,
    })
    .where(ownLive(input.id, actor.user.id, now))
    .returning();
  return row ? { ok: true, recording: toRecordingView(row) } : notFound();
}

/**
 * Deletes the actor's recording. A ready one is only marked `deleted` (out of the live set, so it
 * is neither listed nor served, and the same request generates anew): restoreRecording brings it
 * back for UNDO_DELETE_MS, then the sweep purges the row and its audio. A pending one has nothing
 * to bring back yet: claim the row (`deleting`), delete the object, then the row; if the object
 * delete fails the claimed row stays for the sweep, so the audio never outlives it.
 */
export async function deleteRecording({ db, env }: Deps, id: string, actor: Actor): Promise<{ ok: true; undoUntil: number | null } | NotFound> {
  const now = actor.now ?? Date.now();
  const own = ownLive(id, actor.user.id, now);
  const [trashed] = await db
    .update(voiceRecordings)
    .set({ status: "deleted", deletedAt: now })
    .where(and(own, eq(voiceRecordings.status, "ready")))
    .returning({ id: voiceRecordings.id });
  if (trashed) return { ok: true, undoUntil: undoDeadline(now) };
  const [claimed] = await db.update(voiceRecordings).set({ status: "deleting", expiresAt: now }).where(own).returning({ r2Key: voiceRecordings.r2Key });
  if (!claimed) return notFound();
  await env.AUDIO.delete(claimed.r2Key);
  await db.delete(voiceRecordings).where(and(eq(voiceRecordings.id, id), eq(voiceRecordings.status, "deleting")));
  return { ok: true, undoUntil: null };
}

type DuplicateRecording = Refusal<"duplicate_recording", { recordingId: string }>;

/**
 * Undoes a delete within UNDO_DELETE_MS: the actor's own deleted recording is ready again, listed
 * and served as before (its expiry and favorite flag untouched). Anyone else's, a purged one or
 * one past the window is not found. If the same request was generated again meanwhile, the live
 * twin wins (the unique index allows one) and the refusal names it.
 */
export async function restoreRecording(
  { db }: Deps,
  id: string,
  actor: Actor,
): Promise<{ ok: true; recording: RecordingView } | NotFound | DuplicateRecording> {
  const now = actor.now ?? Date.now();
  const own = and(eq(voiceRecordings.id, id), eq(voiceRecordings.userId, actor.user.id));
  try {
    const [row] = await db
      .update(voiceRecordings)
      .set({ status: "ready", deletedAt: null })
      .where(and(own, restorableRecording(now)))
      .returning();
    return row ? { ok: true, recording: toRecordingView(row) } : notFound();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const [deleted] = await db.select({ fingerprint: voiceRecordings.fingerprint }).from(voiceRecordings).where(own).limit(1);
    const [twin] = deleted
      ? await db
          .select({ id: voiceRecordings.id })
          .from(voiceRecordings)
          .where(and(eq(voiceRecordings.userId, actor.user.id), eq(voiceRecordings.fingerprint, deleted.fingerprint), liveRecording(now)))
          .limit(1)
      : [];
    return twin ? refuse("duplicate_recording", { recordingId: twin.id }) : notFound();
  }
}

/** The statement that moves the pending recordings matching `which` to failed (expired at once, for the sweep). */
export const failPendingStatement = (db: Db, which: SQL, now: number) =>
  db
    .update(voiceRecordings)
    .set({ status: "failed", expiresAt: now })
    .where(and(which, eq(voiceRecordings.status, "pending")));

/**
 * Marks a pending generation failed (provider error, no audio, R2 failure) and gives the unit back,
 * in ONE batch (a D1 transaction): the refund only matches while the row is still pending, then the
 * flip. Either both happen or neither (the row stays pending and the sweep refunds it later), and
 * only the batch that finds the row pending refunds, so a unit is never returned twice.
 */
export async function failGeneration({ db }: Deps, id: string, now: number): Promise<boolean> {
  const which = eq(voiceRecordings.id, id);
  const [, flipped] = (await db.batch([refundPendingRecordings(db, which, now), failPendingStatement(db, which, now)])) as [D1Result, D1Result];
  return (flipped.meta.changes ?? 0) > 0;
}

/** Polls a recording until it left pending (ready, or gone/failed → null), for at most `timeoutMs`. */
export async function waitForReady({ db }: Deps, id: string, timeoutMs: number, now = () => Date.now()): Promise<Recording | null> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(voiceRecordings).where(eq(voiceRecordings.id, id)).limit(1);
    if (!row || row.status === "ready") return row ?? null;
    if (row.status !== "pending" || now() >= deadline) return row.status === "pending" ? row : null;
    await new Promise((r) => setTimeout(r, 150));
  }
}
