/** Cron: entitlements and trials past their end stop saying ACTIVE. */
import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { runBatch, type Stmt } from "~/db/d1.server";
import { entitlements, subscriptions } from "~/db/schema";
import { auditInsert } from "../audit.server";
import type { Deps } from "../deps.server";

/** Rows per batch: each expiry is an update and its audit row. */
const CHUNK = 25;

/**
 * Marks entitlements past their expiry as EXPIRED and ends trial subscriptions past their end.
 * Stripe subscription rows are left alone (Stripe is their truth; the next event re-applies
 * them). `updated_at` is not bumped, so a snapshot read before the sweep still wins over it.
 */
export async function expireEntitlements({ db }: Deps, now = Date.now(), limit = 500): Promise<{ entitlementsExpired: number; trialsEnded: number }> {
  const due = await db
    .select({
      id: entitlements.id,
      deviceId: entitlements.deviceId,
      userId: entitlements.userId,
      key: entitlements.key,
      source: entitlements.source,
      expiresAt: entitlements.expiresAt,
    })
    .from(entitlements)
    .where(and(eq(entitlements.status, "ACTIVE"), isNotNull(entitlements.expiresAt), lte(entitlements.expiresAt, now)))
    .limit(limit);
  let expired = 0;
  for (let i = 0; i < due.length; i += CHUNK) {
    const chunk = due.slice(i, i + CHUNK);
    const stmts: Stmt[] = [];
    for (const e of chunk) {
      stmts.push(
        db
          .update(entitlements)
          .set({ status: "EXPIRED", endedAt: sql`COALESCE(${entitlements.endedAt}, ${entitlements.expiresAt})` })
          .where(and(eq(entitlements.id, e.id), eq(entitlements.status, "ACTIVE"), lte(entitlements.expiresAt, now))),
        auditInsert(db, {
          event: "entitlements_expired",
          actorUserId: null,
          deviceId: e.deviceId,
          subjectType: "entitlement",
          subjectId: e.id,
          detail: { key: e.key, source: e.source, userId: e.userId, expiresAt: e.expiresAt },
          at: now,
        }),
      );
    }
    await runBatch(db, stmts);
    expired += chunk.length;
  }
  const trials = await db
    .update(subscriptions)
    .set({ status: "EXPIRED", endedAt: sql`COALESCE(${subscriptions.endedAt}, ${subscriptions.currentPeriodEnd})` })
    .where(and(eq(subscriptions.source, "trial"), eq(subscriptions.status, "ACTIVE"), lte(subscriptions.currentPeriodEnd, now)));
  return { entitlementsExpired: expired, trialsEnded: trials.meta.changes ?? 0 };
}
