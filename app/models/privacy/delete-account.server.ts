/**
 * Deleting an account (ADR 026). One guarded db.batch does everything D1 holds: the user row
 * becomes a tombstone (erased e-mail, name, subject, time zone; sessions ended by the epoch), every
 * camera they still own is released on the unbind rules (trial ended, never granted again: the
 * device_trials row stays), open offers are cancelled, presets go, recordings are claimed for
 * deletion with their text erased, pending mails are suppressed. Billing history, the trial ledger
 * and the audit log stay, pointing at the tombstone. The files (R2, provider clones) go after the
 * commit (./storage-erasure.server.ts), retried by the cron until done.
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Stmt } from "~/db/d1.server";
import {
  deviceOwnerships,
  devices,
  deviceTransfers,
  eventSummaries,
  mailOutbox,
  subscriptions,
  users,
  voiceClones,
  voicePresets,
  voiceRecordings,
} from "~/db/schema";
import { normalizeEmail } from "~/domain/device-ownership";
import { refuse, type Refusal } from "~/domain/result";
import { LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { destroySession } from "~/lib/sessions.server";
import { recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { endTrialStatements, guardedBatch, simLeftWithOwnerAudit } from "../devices/guarded-batch.server";
import { simOf } from "../devices/reads.server";
import { eraseStorageOf } from "./storage-erasure.server";

/** What a deleted account's e-mail becomes: unique, never deliverable (RFC 6761 `.invalid`). */
export const tombstoneEmail = (userId: string) => `deleted-${userId}@invalid`;
/** Its Auth0 subject: no identity maps to it, so the same person signing in again gets a new account. */
export const tombstoneSub = (userId: string) => `deleted:${userId}`;

export type DeleteAccountResult =
  | { ok: true; camerasReleased: number; storageErased: boolean }
  | Refusal<"confirmation_mismatch">
  | Refusal<"active_plan_blocks_deletion", { plans: string[]; billingPortalUrl: string }>
  | Refusal<"account_changed">;

/**
 * What blocks a deletion (ADR 026): the user's Stripe plan in force (the live statuses of
 * app/domain/subscription-status) and not set to cancel. One condition for the refusal, the
 * batch's re-check and the page's preview.
 */
const blockingPlanWhere = (userId: string) =>
  and(
    eq(subscriptions.userId, userId),
    eq(subscriptions.source, "stripe"),
    inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]),
    eq(subscriptions.cancelAtPeriodEnd, false),
  );
const blockingPlanSql = (userId: string) => sql`EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${blockingPlanWhere(userId)})`;

export async function deleteAccount(deps: Deps, input: { confirmEmail: string }, actor: Actor & { sessionId: string | null }): Promise<DeleteAccountResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const userId = actor.user.id;
  if (normalizeEmail(input.confirmEmail) !== normalizeEmail(actor.user.email)) return refuse("confirmation_mismatch");

  const blocking = await db.select({ sku: subscriptions.sku }).from(subscriptions).where(blockingPlanWhere(userId));
  if (blocking.length > 0) {
    await recordAudit(db, {
      event: "account_deletion_blocked",
      actorUserId: userId,
      detail: { plans: blocking.map((b) => b.sku) },
      requestId: actor.requestId,
      at: now,
    });
    return refuse("active_plan_blocks_deletion", { plans: blocking.map((b) => b.sku), billingPortalUrl: paths.services });
  }

  const owned = await db
    .select({ ownership: deviceOwnerships, device: devices })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")));
  const sims = await Promise.all(owned.map((o) => simOf(deps, o.device)));
  const ownedSince = (id: string) => sql`EXISTS (SELECT 1 FROM device_ownerships WHERE id = ${id} AND user_id = ${userId} AND status = 'active')`;
  const stillOwned = owned.length
    ? sql.join(
        owned.map((o) => ownedSince(o.ownership.id)),
        sql` AND `,
      )
    : sql`1`;

  const done = await guardedBatch(
    db,
    {
      audit: {
        event: "account_deleted",
        actorUserId: userId,
        subjectType: "user",
        subjectId: userId,
        detail: { camerasReleased: owned.length },
        requestId: actor.requestId,
        at: now,
      },
      // Still a live account, still no blocking plan, still the cameras read above.
      preconditions: sql`EXISTS (SELECT 1 FROM users WHERE id = ${userId} AND deleted_at IS NULL) AND NOT ${blockingPlanSql(userId)} AND ${stillOwned}`,
    },
    (guard, guardedAudit) => {
      const stmts: Stmt[] = [];
      owned.forEach(({ ownership, device }, i) => {
        stmts.push(
          db
            .update(deviceOwnerships)
            .set({ status: "ended", endedAt: now, endReason: "unbound" })
            .where(and(eq(deviceOwnerships.id, ownership.id), eq(deviceOwnerships.status, "active"), guard)),
          ...endTrialStatements(db, device.id, userId, now, guard),
          guardedAudit({
            event: "device_unbound",
            actorUserId: userId,
            deviceId: device.id,
            subjectType: "ownership",
            subjectId: ownership.id,
            detail: { awsResourcesKept: true, reason: "account_deleted" },
            requestId: actor.requestId,
            at: now,
          }),
        );
        const sim = sims[i];
        if (sim?.userId)
          stmts.push(
            guardedAudit(
              simLeftWithOwnerAudit({ actorUserId: userId, deviceId: device.id, sim: { ...sim, userId: sim.userId }, requestId: actor.requestId, at: now }),
            ),
          );
      });
      stmts.push(
        // Offers they made: ended, and the addressee's e-mail erased with them.
        db
          .update(deviceTransfers)
          .set({ status: "cancelled", decidedAt: now })
          .where(and(eq(deviceTransfers.fromUserId, userId), eq(deviceTransfers.status, "offered"), guard)),
        db
          .update(deviceTransfers)
          .set({ toEmail: "erased@invalid" })
          .where(and(eq(deviceTransfers.fromUserId, userId), guard)),
        db
          .update(deviceOwnerships)
          .set({ name: null })
          .where(and(eq(deviceOwnerships.userId, userId), guard)),
        db
          .delete(eventSummaries)
          .where(
            and(
              inArray(eventSummaries.ownershipId, db.select({ id: deviceOwnerships.id }).from(deviceOwnerships).where(eq(deviceOwnerships.userId, userId))),
              guard,
            ),
          ),
        db.delete(voicePresets).where(and(eq(voicePresets.userId, userId), guard)),
        db
          .update(voiceClones)
          .set({ name: "" })
          .where(and(eq(voiceClones.userId, userId), guard)),
        // Claimed like an expired recording (the voice sweep would finish it too); the words go now.
        db
          .update(voiceRecordings)
          .set({ status: "deleting", text: "", voiceName: null, audioConfigJson: null, presetUsed: null, expiresAt: now })
          .where(and(eq(voiceRecordings.userId, userId), guard)),
        db
          .update(mailOutbox)
          .set({ status: "suppressed", toEmail: tombstoneEmail(userId), payload: null })
          .where(and(eq(mailOutbox.toUserId, userId), ne(mailOutbox.status, "sent"), guard)),
        db
          .update(mailOutbox)
          .set({ toEmail: tombstoneEmail(userId), payload: null })
          .where(and(eq(mailOutbox.toUserId, userId), guard)),
        db
          .update(users)
          .set({
            email: tombstoneEmail(userId),
            emailVerified: false,
            name: null,
            auth0Sub: tombstoneSub(userId),
            timeZone: null,
            locale: null,
            deletedAt: now,
            sessionEpoch: sql`${users.sessionEpoch} + 1`,
            sessionsValidAfter: now,
          })
          .where(and(eq(users.id, userId), guard)),
      );
      return stmts;
    },
  );
  if (!done) return refuse("account_changed");

  if (actor.sessionId) await destroySession(deps, actor.sessionId, now);
  let storageErased = false;
  try {
    storageErased = await eraseStorageOf(deps, userId, now);
  } catch (err) {
    // The cron's account_erasure sweep tries again until storage_erased_at is set.
    log("warn", "account_storage_erase_deferred", { requestId: actor.requestId, userId, message: err instanceof Error ? err.message : String(err) });
  }
  log("info", "account_deleted", { requestId: actor.requestId, userId, camerasReleased: owned.length });
  return { ok: true, camerasReleased: owned.length, storageErased };
}

/** What the deletion page shows before asking: what goes, and whether a plan stands in the way. */
export async function deletionPreview({ db }: Deps, userId: string) {
  const [cams, recs, plans] = await Promise.all([
    db
      .select({ id: deviceOwnerships.id })
      .from(deviceOwnerships)
      .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active"))),
    db.select({ id: voiceRecordings.id }).from(voiceRecordings).where(eq(voiceRecordings.userId, userId)),
    db.select({ sku: subscriptions.sku }).from(subscriptions).where(blockingPlanWhere(userId)),
  ]);
  return { camerasOwned: cams.length, recordings: recs.length, blockingPlans: plans.map((p) => p.sku) };
}
