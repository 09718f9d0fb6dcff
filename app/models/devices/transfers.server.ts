/** Transfer offers: one open offer per camera, accepted by the addressee's verified email (ADR 007). */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { builtOnce, isUniqueViolation, type BatchRows, type Stmt } from "~/db/d1.server";
import { deviceOwnerships, devices, deviceTransfers, simCards, users } from "~/db/schema";
import {
  canReceiveTransfers,
  decideTransferAccept,
  decideTransferCancel,
  decideTransferOffer,
  normalizeEmail,
  TRANSFER_OFFER_TTL_MS,
  type TransferAcceptDecision,
  type TransferCancelDecision,
  type TransferOfferDecision,
} from "~/domain/device-ownership";
import { refuse, type Refusal } from "~/domain/result";
import { randomToken, sha256Hex } from "~/lib/crypto.server";
import { paths } from "~/lib/paths";
import { auditInsert, recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { sendMailFor } from "../mail/outbox.server";
import { transferAcceptedMail, transferOfferedMail } from "../mail/transfer-mail.server";
import { getUserById } from "../users.server";
import { endTrialStatements, guardedBatch, livePaidPlanSql, simLeftWithOwnerAudit } from "./guarded-batch.server";
import { activeOwnerOf, hasLivePaidPlan, simOf } from "./reads.server";

type Refused<D> = Exclude<D, { ok: true }>;

export type OfferResult =
  | { ok: true; transfer: { id: string; toEmail: string; includeSim: boolean; expiresAt: number }; token: string }
  | Exclude<Refused<TransferOfferDecision>, { error: "active_subscription_requires_billing_portal" }>
  | Refusal<"active_subscription_requires_billing_portal", { verb: "unbind" | "transfer"; billingPortalUrl: string }>
  | Refusal<"transfer_already_pending", { raced: true }>;

export async function offerTransfer(deps: Deps, deviceId: string, input: { toEmail: string; includeSim: boolean }, actor: Actor): Promise<OfferResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  const owner = device ? await activeOwnerOf(deps, device.id) : null;
  const open = device
    ? await db
        .select({ id: deviceTransfers.id })
        .from(deviceTransfers)
        .where(and(eq(deviceTransfers.deviceId, device.id), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now)))
        .limit(1)
    : [];
  const decision = decideTransferOffer({
    actorUserId: actor.user.id,
    actorEmail: actor.user.email,
    activeOwnerUserId: owner?.userId ?? null,
    livePaidPlan: device ? await hasLivePaidPlan(deps, device.id) : false,
    toEmail: input.toEmail,
    openOfferExists: open.length > 0,
  });
  if (!decision.ok) {
    if (device && owner?.userId === actor.user.id) {
      await recordAudit(db, {
        event: decision.error === "active_subscription_requires_billing_portal" ? "unbind_blocked_active_subscription" : "transfer_refused",
        actorUserId: actor.user.id,
        deviceId: device.id,
        detail: { reason: decision.error, action: "transfer" },
        requestId: actor.requestId,
        at: now,
      });
    }
    return decision.error === "active_subscription_requires_billing_portal" ? { ...decision, billingPortalUrl: paths.services } : decision;
  }
  const token = randomToken(32);
  const id = crypto.randomUUID();
  const toEmail = normalizeEmail(input.toEmail);
  const expiresAt = now + TRANSFER_OFFER_TTL_MS;
  try {
    await db.batch([
      // An expired-but-unmarked offer would block the one-open-offer index: mark it first.
      db
        .update(deviceTransfers)
        .set({ status: "expired", decidedAt: now })
        .where(and(eq(deviceTransfers.deviceId, deviceId), eq(deviceTransfers.status, "offered"), sql`${deviceTransfers.expiresAt} <= ${now}`)),
      db.insert(deviceTransfers).values({
        id,
        deviceId,
        fromUserId: actor.user.id,
        toEmail,
        includeSim: input.includeSim,
        tokenHash: await sha256Hex(token),
        status: "offered",
        createdAt: now,
        expiresAt,
      }),
      auditInsert(db, {
        event: "transfer_offered",
        actorUserId: actor.user.id,
        deviceId,
        subjectType: "transfer",
        subjectId: id,
        detail: { toEmail, includeSim: input.includeSim, expiresAt },
        requestId: actor.requestId,
        at: now,
      }),
      // Mailed only to a known user with that address, verified (ADR 019).
      transferOfferedMail(deps, {
        transferId: id,
        toEmail,
        fromEmail: actor.user.email,
        camera: { name: owner?.name ?? null, model: device!.model },
        token,
        expiresAt,
        now,
      }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return refuse("transfer_already_pending", { raced: true as const });
    throw err;
  }
  await sendMailFor(deps, "transfer_offered", id);
  return { ok: true, transfer: { id, toEmail, includeSim: input.includeSim, expiresAt }, token };
}

export type TransferRef = { token: string } | { transferId: string };

async function findTransfer(db: Db, ref: TransferRef) {
  const where = "token" in ref ? eq(deviceTransfers.tokenHash, await sha256Hex(ref.token)) : eq(deviceTransfers.id, ref.transferId);
  const [t] = await db.select().from(deviceTransfers).where(where).limit(1);
  return t ?? null;
}

/** Marks one offer expired with its audit row, once: a second marker (cron vs. on use) writes nothing. */
async function markTransferExpired(db: Db, t: { id: string; deviceId: string }, now: number, actor?: Actor): Promise<boolean> {
  return guardedBatch(
    db,
    {
      audit: {
        event: "transfer_expired",
        actorUserId: actor?.user.id ?? null,
        deviceId: t.deviceId,
        subjectType: "transfer",
        subjectId: t.id,
        requestId: actor?.requestId,
        at: now,
      },
      preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${t.id} AND status = 'offered' AND expires_at <= ${now})`,
    },
    (guard) => [
      db
        .update(deviceTransfers)
        .set({ status: "expired", decidedAt: now })
        .where(and(eq(deviceTransfers.id, t.id), eq(deviceTransfers.status, "offered"), guard)),
    ],
  );
}

export type AcceptResult =
  | { ok: true; deviceId: string; simTransferred: boolean }
  | Refused<TransferAcceptDecision>
  | Refusal<"transfer_not_open", { raced: true } | { changedSinceRead: true }>;

export async function acceptTransfer(deps: Deps, ref: TransferRef, actor: Actor): Promise<AcceptResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const t = await findTransfer(db, ref);
  const [device] = t ? await db.select().from(devices).where(eq(devices.id, t.deviceId)).limit(1) : [];
  const owner = device ? await activeOwnerOf(deps, device.id) : null;
  // The stored flag, not the session's copy: it is rewritten from the ID token at every sign-in.
  const me = await getUserById(deps, actor.user.id);
  const decision = decideTransferAccept({
    transfer: t,
    actorUserId: actor.user.id,
    actorEmail: me?.email ?? actor.user.email,
    actorEmailVerified: me?.emailVerified ?? false,
    activeOwnerUserId: owner?.userId ?? null,
    livePaidPlan: device ? await hasLivePaidPlan(deps, device.id) : false,
    now,
  });
  if (!decision.ok) {
    if (t && decision.error === "transfer_expired" && decision.markExpired) {
      await markTransferExpired(db, t, now, actor);
    } else if (t && decision.error !== "wrong_recipient") {
      await recordAudit(db, {
        event: "transfer_accept_refused",
        actorUserId: actor.user.id,
        deviceId: t.deviceId,
        subjectType: "transfer",
        subjectId: t.id,
        detail: { reason: decision.error },
        requestId: actor.requestId,
        at: now,
      });
    }
    // A wrong recipient is told only that the link isn't for them.
    return decision;
  }
  const transfer = t!;
  const d = device!;
  const sim = await simOf(deps, d);
  const moveSim = transfer.includeSim && !!sim && sim.userId === transfer.fromUserId;
  const newOwnershipId = crypto.randomUUID();
  let done: boolean;
  try {
    done = await guardedBatch(
      db,
      {
        audit: {
          event: "transfer_accepted",
          actorUserId: actor.user.id,
          deviceId: d.id,
          subjectType: "transfer",
          subjectId: transfer.id,
          detail: { fromUserId: transfer.fromUserId, includeSim: transfer.includeSim },
          requestId: actor.requestId,
          at: now,
        },
        // decideTransferAccept's facts, as they are now: the offer is still open and unexpired, the
        // sender still owns the camera, no paid plan started, and the actor's address is verified.
        preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${transfer.id} AND status = 'offered' AND expires_at > ${now} AND from_user_id = ${transfer.fromUserId})
          AND EXISTS (SELECT 1 FROM device_ownerships WHERE device_id = ${d.id} AND user_id = ${transfer.fromUserId} AND status = 'active')
          AND NOT ${livePaidPlanSql(d.id)}
          AND EXISTS (SELECT 1 FROM users WHERE id = ${actor.user.id} AND email_verified = 1)`,
      },
      (guard, guardedAudit) => {
        const stmts: Stmt[] = [
          db
            .update(deviceTransfers)
            .set({ status: "accepted", decidedAt: now, acceptedByUserId: actor.user.id })
            .where(and(eq(deviceTransfers.id, transfer.id), eq(deviceTransfers.status, "offered"), guard)),
          db
            .update(deviceOwnerships)
            .set({ status: "ended", endedAt: now, endReason: "transferred" })
            .where(and(eq(deviceOwnerships.deviceId, d.id), eq(deviceOwnerships.userId, transfer.fromUserId), eq(deviceOwnerships.status, "active"), guard)),
          // The one-active-owner index still backs this: a violation rolls the whole batch back.
          // The last NULL is the camera's name: a new owner names it afresh (issue #12).
          db.insert(deviceOwnerships).select(sql`SELECT ${newOwnershipId}, ${d.id}, ${actor.user.id}, 'active', ${now}, NULL, NULL, NULL WHERE ${guard}`),
          ...endTrialStatements(db, d.id, transfer.fromUserId, now, guard),
          guardedAudit({
            event: "trial_denied_already_used",
            actorUserId: actor.user.id,
            deviceId: d.id,
            detail: { via: "transfer" },
            requestId: actor.requestId,
            at: now,
          }),
        ];
        // The sender hears that the camera left their account (ADR 019).
        const camera = { name: owner?.name ?? null, model: d.model };
        stmts.push(
          transferAcceptedMail(deps, { transferId: transfer.id, fromUserId: transfer.fromUserId, toEmail: me?.email ?? actor.user.email, camera, guard, now }),
        );
        if (sim && moveSim) {
          stmts.push(
            db
              .update(simCards)
              .set({ userId: actor.user.id, deviceId: d.id, updatedAt: now })
              .where(and(eq(simCards.id, sim.id), eq(simCards.userId, transfer.fromUserId), guard)),
          );
          stmts.push(
            guardedAudit({
              event: "sim_transferred",
              actorUserId: actor.user.id,
              deviceId: d.id,
              subjectType: "sim",
              subjectId: sim.id,
              detail: { iccid: sim.iccid, fromUserId: transfer.fromUserId, toUserId: actor.user.id },
              requestId: actor.requestId,
              at: now,
            }),
          );
        } else if (sim?.userId) {
          stmts.push(
            guardedAudit(
              simLeftWithOwnerAudit({ actorUserId: actor.user.id, deviceId: d.id, sim: { ...sim, userId: sim.userId }, requestId: actor.requestId, at: now }),
            ),
          );
        }
        return stmts;
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) return refuse("transfer_not_open", { raced: true as const });
    throw err;
  }
  if (!done) {
    await recordAudit(db, {
      event: "transfer_accept_refused",
      actorUserId: actor.user.id,
      deviceId: d.id,
      subjectType: "transfer",
      subjectId: transfer.id,
      detail: { reason: "transfer_not_open", changedSinceRead: true },
      requestId: actor.requestId,
      at: now,
    });
    return refuse("transfer_not_open", { changedSinceRead: true as const });
  }
  await sendMailFor(deps, "transfer_accepted", transfer.id);
  return { ok: true, deviceId: d.id, simTransferred: moveSim };
}

export type CancelResult = { ok: true } | Refused<TransferCancelDecision> | Refusal<"transfer_not_open">;

export async function cancelTransfer(deps: Deps, ref: TransferRef, actor: Actor): Promise<CancelResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const t = await findTransfer(db, ref);
  const decision = decideTransferCancel({ transfer: t, actorUserId: actor.user.id });
  if (!decision.ok) return decision;
  const transfer = t!;
  const done = await guardedBatch(
    db,
    {
      audit: {
        event: "transfer_cancelled",
        actorUserId: actor.user.id,
        deviceId: transfer.deviceId,
        subjectType: "transfer",
        subjectId: transfer.id,
        requestId: actor.requestId,
        at: now,
      },
      preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${transfer.id} AND status = 'offered' AND from_user_id = ${actor.user.id})`,
    },
    (guard) => [
      db
        .update(deviceTransfers)
        .set({ status: "cancelled", decidedAt: now })
        .where(and(eq(deviceTransfers.id, transfer.id), eq(deviceTransfers.status, "offered"), guard)),
    ],
  );
  if (!done) return refuse("transfer_not_open");
  return { ok: true };
}

/**
 * Offers for and from this user, as statements for the caller's batch (`toTransfers` reads the
 * rows). Offers addressed to the user's email are listed only while the identity provider says
 * the address is verified (`emailVerified` tells the page why none show).
 */
const transferStatements = builtOnce((db) => {
  const [userId, toEmail, now] = [sql.placeholder("userId"), sql.placeholder("toEmail"), sql.placeholder("now")];
  return [
    db
      .select({
        id: deviceTransfers.id,
        deviceId: deviceTransfers.deviceId,
        includeSim: deviceTransfers.includeSim,
        expiresAt: deviceTransfers.expiresAt,
        fromEmail: users.email,
        model: devices.model,
        serial: devices.serial,
        // What the offering owner calls it, so the recipient knows which camera (they name it afresh).
        cameraName: deviceOwnerships.name,
      })
      .from(deviceTransfers)
      .innerJoin(users, eq(users.id, deviceTransfers.fromUserId))
      .innerJoin(devices, eq(devices.id, deviceTransfers.deviceId))
      .leftJoin(
        deviceOwnerships,
        and(
          eq(deviceOwnerships.deviceId, deviceTransfers.deviceId),
          eq(deviceOwnerships.userId, deviceTransfers.fromUserId),
          eq(deviceOwnerships.status, "active"),
        ),
      )
      .where(and(eq(deviceTransfers.toEmail, toEmail), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now))),
    db
      .select({
        id: deviceTransfers.id,
        deviceId: deviceTransfers.deviceId,
        toEmail: deviceTransfers.toEmail,
        includeSim: deviceTransfers.includeSim,
        expiresAt: deviceTransfers.expiresAt,
      })
      .from(deviceTransfers)
      .where(and(eq(deviceTransfers.fromUserId, userId), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now))),
  ] as const;
});
export const transferQueries = (db: Db, user: { id: string; email: string }, now: number) =>
  transferStatements(db, { userId: user.id, toEmail: normalizeEmail(user.email), now });

export type TransferRows = BatchRows<ReturnType<typeof transferQueries>>;

/** `reader`: the confirmed session's user (its row is the session check's, not read again). */
export function toTransfers([incomingRows, outgoing]: TransferRows, reader: { emailVerified: boolean }) {
  const emailVerified = canReceiveTransfers(reader);
  return { incoming: emailVerified ? incomingRows : [], outgoing, emailVerified };
}

/** Cron: mark offers past their 72 h as expired, with an audit event each. */
export async function expireTransferOffers({ db }: Deps, now = Date.now()): Promise<number> {
  const due = await db
    .select()
    .from(deviceTransfers)
    .where(and(eq(deviceTransfers.status, "offered"), sql`${deviceTransfers.expiresAt} <= ${now}`))
    .limit(200);
  for (const t of due) await markTransferExpired(db, t, now);
  return due.length;
}
