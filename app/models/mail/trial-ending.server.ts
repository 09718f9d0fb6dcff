/**
 * The trial-ending notice (ADR 019), enqueued by the hourly cron itself: every live trial that
 * ends within TRIAL_ENDING_NOTICE_DAYS (trialEndingNoticeDue) gets one outbox row for its owner,
 * keyed by the device (a camera has one trial, ever), so every later run enqueues nothing new.
 */
import { and, eq, gt, lte } from "drizzle-orm";
import { runBatch } from "~/db/d1.server";
import { deviceOwnerships, devices, subscriptions } from "~/db/schema";
import { cameraLabel } from "~/domain/camera-name";
import { TRIAL_ENDING_NOTICE_MS, trialEndingNoticeDue } from "~/domain/mail-policy";
import { getConfig } from "~/lib/config.server";
import { paths } from "~/lib/paths";
import type { Deps } from "../deps.server";
import { hasLivePaidPlan } from "../devices/reads.server";
import { enqueueMail, userWithId } from "./outbox.server";

/** Trials looked at per run (a run an hour; the notice window is days long). */
const TRIALS_PER_RUN = 200;

export async function enqueueTrialEndings(deps: Deps, now = Date.now()): Promise<{ trialsEnding: number }> {
  const { db, env } = deps;
  const trials = await db
    .select({
      deviceId: subscriptions.deviceId,
      userId: subscriptions.userId,
      endsAt: subscriptions.currentPeriodEnd,
      name: deviceOwnerships.name,
      model: devices.model,
    })
    .from(subscriptions)
    .innerJoin(devices, eq(devices.id, subscriptions.deviceId))
    // Only while the trial's user still owns the camera (a transfer ends the trial anyway).
    .innerJoin(
      deviceOwnerships,
      and(eq(deviceOwnerships.deviceId, subscriptions.deviceId), eq(deviceOwnerships.userId, subscriptions.userId), eq(deviceOwnerships.status, "active")),
    )
    .where(
      and(
        eq(subscriptions.source, "trial"),
        eq(subscriptions.status, "ACTIVE"),
        gt(subscriptions.currentPeriodEnd, now),
        lte(subscriptions.currentPeriodEnd, now + TRIAL_ENDING_NOTICE_MS),
      ),
    )
    .limit(TRIALS_PER_RUN);
  const origin = getConfig(env).APP_ORIGIN;
  const stmts = [];
  for (const t of trials) {
    if (!t.deviceId || t.endsAt === null) continue;
    if (!trialEndingNoticeDue({ trialEndsAt: t.endsAt, livePaidPlan: await hasLivePaidPlan(deps, t.deviceId) }, now)) continue;
    stmts.push(
      enqueueMail(db, {
        kind: "trial_ending",
        causeId: t.deviceId,
        recipient: userWithId(t.userId),
        payload: {
          cameraName: cameraLabel({ name: t.name, model: t.model }),
          endsAt: t.endsAt,
          plansUrl: new URL(paths.device(t.deviceId), origin).toString(),
        },
        now,
      }),
    );
  }
  await runBatch(db, stmts);
  return { trialsEnding: stmts.length };
}
