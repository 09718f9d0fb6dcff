import { desc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { auditLog } from "~/db/schema";

export type AuditEventName =
  | "device_activated"
  | "device_activation_repeated"
  | "device_activation_refused"
  | "trial_granted"
  | "trial_denied_already_used"
  | "device_unbound"
  | "unbind_blocked_active_subscription"
  | "unbind_refused"
  | "transfer_offered"
  | "transfer_refused"
  | "transfer_accepted"
  | "transfer_accept_refused"
  | "transfer_cancelled"
  | "transfer_expired"
  | "sim_left_with_previous_owner"
  | "sim_transferred"
  | "sim_assigned"
  | "trial_ended_ownership_change"
  | "subscription_synced"
  | "entitlements_expired"
  | "checkout_started"
  | "checkout_refused"
  | "billing_portal_opened"
  | "order_recorded"
  | "subscription_paid_twice"
  // Staff actions from the support view (ADR 025); detail.staff = {email, sub} from the Access token.
  | "transfer_ended_by_staff"
  | "mail_resent_by_staff"
  | "subscription_resync_by_staff_failed"
  | "dead_letter_requeued_by_staff"
  | "dead_letter_discarded_by_staff"
  | "account_deleted"
  | "account_deletion_blocked";

export interface AuditInput {
  event: AuditEventName;
  actorUserId?: string | null;
  deviceId?: string | null;
  subjectType?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
  requestId?: string | null;
  at?: number;
}

/** An insert statement for the audit log, to put in the same db.batch as the change it records. */
export function auditInsert(db: Db, e: AuditInput) {
  return db.insert(auditLog).values({
    id: crypto.randomUUID(),
    at: e.at ?? Date.now(),
    event: e.event,
    actorUserId: e.actorUserId ?? null,
    deviceId: e.deviceId ?? null,
    subjectType: e.subjectType ?? null,
    subjectId: e.subjectId ?? null,
    detailJson: JSON.stringify(e.detail ?? {}),
    requestId: e.requestId ?? null,
  });
}

export async function recordAudit(db: Db, e: AuditInput): Promise<void> {
  await auditInsert(db, e);
}

export async function deviceAuditTrail(db: Db, deviceId: string, limit = 20) {
  return db.select().from(auditLog).where(eq(auditLog.deviceId, deviceId)).orderBy(desc(auditLog.at)).limit(limit);
}
