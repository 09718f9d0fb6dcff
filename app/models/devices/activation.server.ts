/** Activating a camera with its serial and label code; checking its trial first (ADR 007). */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Stmt } from "~/db/d1.server";
import { deviceOwnerships, devices, deviceTrials, entitlements, simCards, subscriptions } from "~/db/schema";
import { digestsEqual, hashActivationCode, normalizeSerial } from "~/domain/activation-code";
import {
  ACTIVATION_ACCOUNT_FAILURE_LIMIT,
  ACTIVATION_ACCOUNT_WINDOW_MS,
  ACTIVATION_CLIENT_FAILURE_LIMIT,
  ACTIVATION_CLIENT_WINDOW_MS,
  ACTIVATION_FAILURE_LIMIT,
  ACTIVATION_FAILURE_WINDOW_MS,
  ACTIVATION_SERIAL_ALERT_AFTER,
  decideActivation,
  trialUsed,
  trialWindow,
} from "~/domain/device-ownership";
import { CLOUD_TRIAL } from "~/domain/plans";
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { clientNetwork } from "~/lib/client-ip.server";
import { log } from "~/lib/log.server";
import { countInWindow, releaseRateLimits, reserveRateLimits } from "~/lib/rate-limit.server";
import { auditInsert, recordAudit } from "../audit.server";
import type { Actor, Deps } from "../deps.server";
import { activeOwnerOf, describeDevice, deviceTrialUsed, type DeviceView } from "./reads.server";

async function verifyCode({ env, db }: Deps, serial: string, code: string) {
  const pepper = getConfig(env).ACTIVATION_CODE_PEPPER;
  const [device] = await db
    .select()
    .from(devices)
    .where(eq(devices.serial, normalizeSerial(serial)))
    .limit(1);
  const hash = await hashActivationCode(pepper, code);
  // Compare against something of the same length even for unknown serials (no timing signal).
  const valid = digestsEqual(hash, device?.activationCodeHash ?? "0".repeat(64)) && !!device;
  return { device: device ?? null, valid };
}

// The limits (ADR 013): attempts per (serial, account), per account across serials and per client
// network, each reserved atomically BEFORE the code is compared and all given back when it was
// right, so only wrong codes use them up and a parallel burst can't compare more than the limits.
// Wrong codes per serial are only counted (for the log): other people's guesses must never stop
// the owner's right code, and the 80-bit code space, not a serial lock, is what defeats guessing.
const attemptLimits = (serial: string, userId: string, network: string) => ({
  serial: { key: `activation:serial-user:${normalizeSerial(serial)}:${userId}`, limit: ACTIVATION_FAILURE_LIMIT, windowMs: ACTIVATION_FAILURE_WINDOW_MS },
  account: { key: `activation:user:${userId}`, limit: ACTIVATION_ACCOUNT_FAILURE_LIMIT, windowMs: ACTIVATION_ACCOUNT_WINDOW_MS },
  network: { key: `activation:client:${network}`, limit: ACTIVATION_CLIENT_FAILURE_LIMIT, windowMs: ACTIVATION_CLIENT_WINDOW_MS },
});
const serialFailureKey = (serial: string) => `activation:serial:${normalizeSerial(serial)}`;

/** Which limit is full: this serial for this account (`activation`, as ever), the account's, or the client network's. */
type TooManyAttempts = Refusal<"rate_limited", { limit: "activation" | "activation_account" | "activation_network"; retryAfterSeconds: number }>;

/** Who activates: the signed-in user, from which client address (CF-Connecting-IP). */
export type ActivationActor = Actor & { clientIp: string };

/**
 * Allows one code comparison or refuses with rate_limited. On ok, call `settle(codeValid)` right
 * after comparing: a right code gives every attempt back; a wrong one keeps them and is counted
 * against the serial, which only logs when a serial draws many wrong codes (someone guessing).
 */
async function openActivationAttempt(
  { db }: Deps,
  serial: string,
  actor: ActivationActor,
): Promise<{ ok: true; settle: (codeValid: boolean) => Promise<void> } | TooManyAttempts> {
  const limits = attemptLimits(serial, actor.user.id, clientNetwork(actor.clientIp));
  const attempt = await reserveRateLimits(db, [limits.serial, limits.account, limits.network]);
  if (!attempt.ok) {
    const limit = attempt.full.includes(limits.serial.key)
      ? "activation"
      : attempt.full.includes(limits.account.key)
        ? "activation_account"
        : "activation_network";
    return refuse("rate_limited", { limit, retryAfterSeconds: attempt.retryAfterSeconds });
  }
  return {
    ok: true,
    settle: async (codeValid) => {
      if (codeValid) return releaseRateLimits(db, attempt.taken);
      const wrong = await countInWindow(db, serialFailureKey(serial), ACTIVATION_FAILURE_WINDOW_MS);
      if (wrong === ACTIVATION_SERIAL_ALERT_AFTER) {
        log("warn", "activation_serial_guessed", {
          serial: normalizeSerial(serial),
          wrongCodes: wrong,
          windowMs: ACTIVATION_FAILURE_WINDOW_MS,
          requestId: actor.requestId,
        });
      }
    },
  };
}

export type ActivationResult =
  | { ok: true; device: DeviceView; trial: "granted" | "already_used" | "active"; repeated: boolean }
  | TooManyAttempts
  | Refusal<"invalid_activation_code" | "device_already_owned">;

export async function activateDevice(deps: Deps, input: { serial: string; activationCode: string }, actor: ActivationActor): Promise<ActivationResult> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const attempt = await openActivationAttempt(deps, input.serial, actor);
  if (!attempt.ok) return attempt;
  const { device, valid } = await verifyCode(deps, input.serial, input.activationCode);
  await attempt.settle(valid);

  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = device ? await activeOwnerOf(deps, device.id) : null;
    const [trialRow] = device ? await db.select().from(deviceTrials).where(eq(deviceTrials.deviceId, device.id)).limit(1) : [];
    const actorTrialActive =
      !!device &&
      (
        await db
          .select({ id: entitlements.id })
          .from(entitlements)
          .where(
            and(
              eq(entitlements.deviceId, device.id),
              eq(entitlements.userId, actor.user.id),
              eq(entitlements.source, "trial"),
              eq(entitlements.status, "ACTIVE"),
              gt(entitlements.expiresAt, now),
            ),
          )
          .limit(1)
      ).length > 0;

    const decision = decideActivation({
      actorUserId: actor.user.id,
      codeValid: valid,
      activeOwnerUserId: owner?.userId ?? null,
      trialUsed: trialUsed({ ledgerRow: !!trialRow, trialUsedAt: device?.trialUsedAt }),
      actorTrialActive,
    });

    if (!decision.ok) {
      await recordAudit(db, {
        event: "device_activation_refused",
        actorUserId: actor.user.id,
        // Only name the device when the code proved the caller holds it.
        deviceId: valid ? device?.id : null,
        detail: { reason: decision.error },
        requestId: actor.requestId,
        at: now,
      });
      return decision;
    }

    const d = device!;
    if (decision.outcome === "repeat") {
      await recordAudit(db, { event: "device_activation_repeated", actorUserId: actor.user.id, deviceId: d.id, requestId: actor.requestId, at: now });
      const ownership = owner!;
      return { ok: true, device: await describeDevice(deps, d, ownership, now), trial: decision.trial, repeated: true };
    }

    const ownershipId = crypto.randomUUID();
    const stmts: Stmt[] = [];
    stmts.push(db.insert(deviceOwnerships).values({ id: ownershipId, deviceId: d.id, userId: actor.user.id, status: "active", startedAt: now }));
    stmts.push(
      auditInsert(db, {
        event: "device_activated",
        actorUserId: actor.user.id,
        deviceId: d.id,
        subjectType: "ownership",
        subjectId: ownershipId,
        requestId: actor.requestId,
        at: now,
      }),
    );
    if (decision.grantTrial) {
      const w = trialWindow(now);
      const externalId = `device-trial:${d.id}:${actor.user.id}`;
      const subId = crypto.randomUUID();
      // device_trials' primary key is the once-per-device proof: a racing second grant fails the whole batch.
      stmts.push(db.insert(deviceTrials).values({ deviceId: d.id, userId: actor.user.id, grantedAt: now, expiresAt: w.expiresAt }));
      stmts.push(
        db
          .update(devices)
          .set({ trialUsedAt: now })
          .where(and(eq(devices.id, d.id), isNull(devices.trialUsedAt))),
      );
      stmts.push(
        db.insert(subscriptions).values({
          id: subId,
          externalId,
          source: "trial",
          userId: actor.user.id,
          deviceId: d.id,
          sku: CLOUD_TRIAL.sku,
          planCode: "trial",
          status: "ACTIVE",
          currentPeriodStart: w.startsAt,
          currentPeriodEnd: w.expiresAt,
          createdAt: now,
          updatedAt: now,
        }),
      );
      for (const g of CLOUD_TRIAL.grants) {
        stmts.push(
          db.insert(entitlements).values({
            id: crypto.randomUUID(),
            externalId: `${externalId}:${g.key}`,
            subscriptionId: subId,
            source: "trial",
            userId: actor.user.id,
            deviceId: d.id,
            key: g.key,
            quota: g.quota,
            sku: CLOUD_TRIAL.sku,
            status: "ACTIVE",
            startsAt: w.startsAt,
            expiresAt: w.expiresAt,
            updatedAt: now,
          }),
        );
      }
      stmts.push(
        auditInsert(db, {
          event: "trial_granted",
          actorUserId: actor.user.id,
          deviceId: d.id,
          detail: { sku: CLOUD_TRIAL.sku, expiresAt: w.expiresAt },
          requestId: actor.requestId,
          at: now,
        }),
      );
    } else {
      stmts.push(auditInsert(db, { event: "trial_denied_already_used", actorUserId: actor.user.id, deviceId: d.id, requestId: actor.requestId, at: now }));
    }
    if (d.iccid) {
      // A SIM with no owner goes to the activating user; a SIM that belongs to someone stays theirs.
      stmts.push(
        db
          .insert(simCards)
          .values({ id: crypto.randomUUID(), iccid: d.iccid, userId: actor.user.id, deviceId: d.id, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({ target: simCards.iccid, set: { userId: sql`COALESCE(${simCards.userId}, excluded.user_id)`, updatedAt: now } }),
      );
    }
    try {
      await runBatch(db, stmts);
    } catch (err) {
      if (isUniqueViolation(err) && attempt === 0) continue; // someone else won the race: decide again on fresh facts
      throw err;
    }
    return {
      ok: true,
      device: await describeDevice(deps, d, { userId: actor.user.id, startedAt: now }, now),
      trial: decision.trial,
      repeated: false,
    };
  }
  return refuse("device_already_owned");
}

/** "Is this camera's free trial still available?" — needs the code too, so it reveals nothing to strangers. */
export async function checkTrialAvailability(
  deps: Deps,
  input: { serial: string; activationCode: string },
  actor: ActivationActor,
): Promise<{ ok: true; trialAvailable: boolean } | TooManyAttempts | Refusal<"invalid_activation_code">> {
  const attempt = await openActivationAttempt(deps, input.serial, actor);
  if (!attempt.ok) return attempt;
  const { device, valid } = await verifyCode(deps, input.serial, input.activationCode);
  await attempt.settle(valid && !!device);
  if (!valid || !device) return refuse("invalid_activation_code");
  return { ok: true, trialAvailable: !(await deviceTrialUsed(deps, device)) };
}
