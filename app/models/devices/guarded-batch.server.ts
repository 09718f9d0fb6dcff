/**
 * Guarded batches. A decision is made on facts read a moment earlier; by the time its batch runs
 * an offer may have been cancelled, the camera transferred or a paid plan bought. So every
 * ownership-changing batch re-checks its preconditions in SQL, in its FIRST statement: that
 * statement inserts the audit row that records the change (the "receipt", with a fresh id) only
 * WHERE the preconditions still hold, and every later statement carries `AND EXISTS (receipt)`.
 * D1 runs a batch as one transaction with a single writer, so nothing can change between the
 * statements: either the receipt and every change are written, or nothing is. The receipt's
 * meta.changes (1 or 0) says which. A fresh id (not "decided_at = now") keeps two
 * same-millisecond attempts apart.
 *
 * In SQL (ADR 007): the receipt is `INSERT INTO audit_log … SELECT … WHERE <preconditions>`; every
 * later statement gets `AND EXISTS (SELECT 1 FROM audit_log WHERE id = <receipt>)` (inserts become
 * `INSERT … SELECT … WHERE EXISTS …`). Callers: accept, cancel and expire (transfers.server.ts) and
 * unbind (unbind.server.ts). A receipt that wrote nothing is answered transfer_not_open (accept,
 * cancel) or ownership_changed (unbind), with a refusal audit for accept and unbind.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import type { Stmt } from "~/db/d1.server";
import { auditLog, entitlements, subscriptions } from "~/db/schema";
import { LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";
import type { AuditInput } from "../audit.server";

export interface Receipt {
  audit: AuditInput;
  /** SQL condition over the current rows: the decision's facts, as they must still be. */
  preconditions: SQL;
}

/** SQL twin of isLivePaidPlan (domain): a Stripe subscription on the device that has not ended. */
export function livePaidPlanSql(deviceId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${and(eq(subscriptions.deviceId, deviceId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]))})`;
}

// `INSERT … SELECT … WHERE` through drizzle's insert().select() (db.run with parameters can't be
// batched by drizzle's D1 driver); the SELECT lists every column in the table's definition order.

/** An audit row written only WHERE `condition` holds. */
export function auditInsertWhere(db: Db, e: AuditInput, condition: SQL, id: string = crypto.randomUUID()) {
  return db.insert(auditLog).select(
    sql`SELECT ${id}, ${e.at ?? Date.now()}, ${e.event}, ${e.actorUserId ?? null}, ${e.deviceId ?? null}, ${e.subjectType ?? null},
      ${e.subjectId ?? null}, ${JSON.stringify(e.detail ?? {})}, ${e.requestId ?? null} WHERE ${condition}`,
  );
}

/** Runs the receipt, then `rest(guard)`; true when the preconditions held and everything was written. */
export async function guardedBatch(db: Db, receipt: Receipt, rest: (guard: SQL, guardedAudit: (e: AuditInput) => Stmt) => Stmt[]): Promise<boolean> {
  const receiptId = crypto.randomUUID();
  const guard = sql`EXISTS (SELECT 1 FROM audit_log WHERE id = ${receiptId})`;
  const guardedAudit = (e: AuditInput) => auditInsertWhere(db, e, guard);
  const [res] = (await db.batch([auditInsertWhere(db, receipt.audit, receipt.preconditions, receiptId), ...rest(guard, guardedAudit)])) as [
    D1Result,
    ...unknown[],
  ];
  return (res.meta.changes ?? 0) === 1;
}

/** Statements that end this owner's trial on the device (never deleted, only ended), under `guard`. */
export function endTrialStatements(db: Db, deviceId: string, userId: string, now: number, guard: SQL): Stmt[] {
  return [
    db
      .update(entitlements)
      .set({ status: "EXPIRED", endedAt: now, updatedAt: now })
      .where(
        and(eq(entitlements.deviceId, deviceId), eq(entitlements.userId, userId), eq(entitlements.source, "trial"), eq(entitlements.status, "ACTIVE"), guard),
      ),
    db
      .update(subscriptions)
      .set({ status: "EXPIRED", endedAt: now, updatedAt: now })
      .where(
        and(
          eq(subscriptions.deviceId, deviceId),
          eq(subscriptions.userId, userId),
          eq(subscriptions.source, "trial"),
          eq(subscriptions.status, "ACTIVE"),
          guard,
        ),
      ),
  ];
}

/** The audit row that says a SIM stayed with its owner when the camera left them (needs a decision). */
export function simLeftWithOwnerAudit(e: {
  actorUserId: string;
  deviceId: string;
  sim: { id: string; iccid: string; userId: string };
  requestId?: string | null;
  at: number;
}): AuditInput {
  return {
    event: "sim_left_with_previous_owner",
    actorUserId: e.actorUserId,
    deviceId: e.deviceId,
    subjectType: "sim",
    subjectId: e.sim.id,
    detail: { iccid: e.sim.iccid, simOwner: e.sim.userId, needsDecision: true },
    requestId: e.requestId,
    at: e.at,
  };
}
