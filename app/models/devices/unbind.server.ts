/** Removing a camera from the owner's account (ADR 007): its trial ends for good, offers end, the SIM stays. */
import { and, eq, sql } from "drizzle-orm";
import type { Stmt } from "~/db/d1.server";
import { deviceOwnerships, devices, deviceTransfers } from "~/db/schema";
import { decideUnbind, type OwnerActionDecision } from "~/domain/device-ownership";
import { refuse, type Refusal } from "~/domain/result";
import { paths } from "~/lib/paths";
import { recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { endTrialStatements, guardedBatch, livePaidPlanSql, simLeftWithOwnerAudit } from "./guarded-batch.server";
import { activeOwnerOf, hasLivePaidPlan, simOf } from "./reads.server";

export type UnbindResult =
  | { ok: true }
  | Exclude<OwnerActionDecision, { ok: true } | { error: "active_subscription_requires_billing_portal" }>
  | Refusal<"active_subscription_requires_billing_portal", { verb: "unbind" | "transfer"; billingPortalUrl: string }>
  | Refusal<"ownership_changed">;

export async function unbindDevice(deps: Deps, deviceId: string, actor: Actor): Promise<UnbindResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  const owner = device ? await activeOwnerOf(deps, device.id) : null;
  const decision = decideUnbind({
    actorUserId: actor.user.id,
    activeOwnerUserId: owner?.userId ?? null,
    livePaidPlan: device ? await hasLivePaidPlan(deps, device.id) : false,
  });
  if (!decision.ok) {
    const blocked = decision.error === "active_subscription_requires_billing_portal";
    if (device && owner?.userId === actor.user.id) {
      await recordAudit(db, {
        event: blocked ? "unbind_blocked_active_subscription" : "unbind_refused",
        actorUserId: actor.user.id,
        deviceId: device.id,
        requestId: actor.requestId,
        at: now,
      });
    }
    return blocked ? { ...decision, billingPortalUrl: paths.services } : decision;
  }
  const d = device!;
  const ownership = owner!;
  const sim = await simOf(deps, d);
  const done = await guardedBatch(
    db,
    {
      audit: {
        event: "device_unbound",
        actorUserId: actor.user.id,
        deviceId: d.id,
        subjectType: "ownership",
        subjectId: ownership.id,
        detail: { awsResourcesKept: true },
        requestId: actor.requestId,
        at: now,
      },
      // Still this actor's active ownership, and still no paid plan (decideUnbind's facts).
      preconditions: sql`EXISTS (SELECT 1 FROM device_ownerships WHERE id = ${ownership.id} AND user_id = ${actor.user.id} AND status = 'active')
        AND NOT ${livePaidPlanSql(d.id)}`,
    },
    (guard, guardedAudit) => {
      const stmts: Stmt[] = [
        db
          .update(deviceOwnerships)
          .set({ status: "ended", endedAt: now, endReason: "unbound" })
          .where(and(eq(deviceOwnerships.id, ownership.id), eq(deviceOwnerships.status, "active"), guard)),
        ...endTrialStatements(db, d.id, actor.user.id, now, guard),
        db
          .update(deviceTransfers)
          .set({ status: "cancelled", decidedAt: now })
          .where(and(eq(deviceTransfers.deviceId, d.id), eq(deviceTransfers.status, "offered"), guard)),
      ];
      if (sim?.userId) {
        stmts.push(
          guardedAudit(
            simLeftWithOwnerAudit({ actorUserId: actor.user.id, deviceId: d.id, sim: { ...sim, userId: sim.userId }, requestId: actor.requestId, at: now }),
          ),
        );
      }
      return stmts;
    },
  );
  if (!done) {
    await recordAudit(db, {
      event: "unbind_refused",
      actorUserId: actor.user.id,
      deviceId: d.id,
      detail: { reason: "ownership_changed" },
      requestId: actor.requestId,
      at: now,
    });
    return refuse("ownership_changed");
  }
  return { ok: true };
}
