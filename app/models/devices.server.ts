import { and, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { getDb, type Db } from "~/db/client.server";
import {
  auditLog,
  deviceOwnerships,
  devices,
  deviceTransfers,
  deviceTrials,
  entitlements,
  simCards,
  subscriptions,
  users,
  type Device,
} from "~/db/schema";
import { digestsEqual, hashActivationCode, normalizeSerial } from "~/domain/activation-code";
import {
  ACTIVATION_FAILURE_LIMIT,
  ACTIVATION_FAILURE_WINDOW_MS,
  ACTIVATION_SERIAL_FAILURE_LIMIT,
  canReceiveTransfers,
  decideActivation,
  decideTransferAccept,
  decideTransferCancel,
  decideTransferOffer,
  decideUnbind,
  isLivePaidPlan,
  normalizeEmail,
  TRANSFER_OFFER_TTL_MS,
  trialWindow,
} from "~/domain/device-ownership";
import { CLOUD_TRIAL } from "~/domain/plans";
import { deviceStatus, type DeviceStatus } from "~/domain/device-status";
import type { SessionUser } from "~/lib/auth.server";
import { getConfig } from "~/lib/config.server";
import { randomToken, sha256Hex } from "~/lib/crypto.server";
import { failure, type Failure } from "~/lib/http.server";
import { peekRateLimit, releaseRateLimit, reserveRateLimit } from "~/lib/rate-limit.server";
import { auditInsert, recordAudit, type AuditInput } from "./audit.server";
import { getUserById } from "./users.server";

/**
 * Device ownership use-cases: read the facts, ask app/domain/device-ownership.ts, write the
 * outcome (with its audit events) in one db.batch. Authorization is always from the session user
 * and the active ownership row, never from a submitted id.
 */

const fail = failure;

export interface Actor {
  user: Pick<SessionUser, "id" | "email">;
  requestId?: string;
  now?: number;
}

function isUniqueViolation(err: unknown): boolean {
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(String(err instanceof Error ? err.message + String(err.cause ?? "") : err));
}

// ---------------------------------------------------------------------------------------------
// Guarded batches
//
// A decision is made on facts read a moment earlier; by the time its batch runs an offer may have
// been cancelled, the camera transferred or a paid plan bought. So every ownership-changing batch
// re-checks its preconditions in SQL, in its FIRST statement: that statement inserts the audit
// row that records the change (the "receipt", with a fresh id) only WHERE the preconditions still
// hold, and every later statement carries `AND EXISTS (receipt)`. D1 runs a batch as one
// transaction with a single writer, so nothing can change between the statements: either the
// receipt and every change are written, or nothing is. The receipt's meta.changes (1 or 0) says
// which. A fresh id (not "decided_at = now") keeps two same-millisecond attempts apart.

type Stmt = BatchItem<"sqlite">;

interface Receipt {
  audit: AuditInput;
  /** SQL condition over the current rows: the decision's facts, as they must still be. */
  preconditions: SQL;
}

/** SQL twin of isLivePaidPlan (domain): a Stripe subscription on the device that has not ended. */
const livePaidPlanSql = (deviceId: string) =>
  sql`EXISTS (SELECT 1 FROM subscriptions WHERE device_id = ${deviceId} AND source = 'stripe' AND status IN ('ACTIVE', 'INACTIVE'))`;

// `INSERT … SELECT … WHERE` through drizzle's insert().select() (db.run with parameters can't be
// batched by drizzle's D1 driver); the SELECT lists every column in the table's definition order.

/** An audit row written only WHERE `condition` holds. */
function auditInsertWhere(db: Db, e: AuditInput, condition: SQL, id: string = crypto.randomUUID()) {
  return db.insert(auditLog).select(
    sql`SELECT ${id}, ${e.at ?? Date.now()}, ${e.event}, ${e.actorUserId ?? null}, ${e.deviceId ?? null}, ${e.subjectType ?? null},
      ${e.subjectId ?? null}, ${JSON.stringify(e.detail ?? {})}, ${e.requestId ?? null} WHERE ${condition}`,
  );
}

/** Runs the receipt, then `rest(guard)`; true when the preconditions held and everything was written. */
async function guardedBatch(db: Db, receipt: Receipt, rest: (guard: SQL, guardedAudit: (e: AuditInput) => Stmt) => Stmt[]): Promise<boolean> {
  const receiptId = crypto.randomUUID();
  const guard = sql`EXISTS (SELECT 1 FROM audit_log WHERE id = ${receiptId})`;
  const guardedAudit = (e: AuditInput) => auditInsertWhere(db, e, guard);
  const [res] = (await db.batch([auditInsertWhere(db, receipt.audit, receipt.preconditions, receiptId), ...rest(guard, guardedAudit)])) as [D1Result, ...unknown[]];
  return (res.meta.changes ?? 0) === 1;
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function activeOwnerOf(db: Db, deviceId: string) {
  const [row] = await db
    .select()
    .from(deviceOwnerships)
    .where(and(eq(deviceOwnerships.deviceId, deviceId), eq(deviceOwnerships.status, "active")))
    .limit(1);
  return row ?? null;
}

export async function hasLivePaidPlan(db: Db, deviceId: string): Promise<boolean> {
  const rows = await db
    .select({ source: subscriptions.source, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.deviceId, deviceId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, ["ACTIVE", "INACTIVE"])));
  return rows.some(isLivePaidPlan);
}

/** The device if (and only if) this user is its current owner; otherwise null (callers answer 404). */
export async function getOwnedDevice(db: Db, deviceId: string, userId: string) {
  const [row] = await db
    .select({ device: devices, ownership: deviceOwnerships })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.deviceId, deviceId), eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")))
    .limit(1);
  return row ?? null;
}

export interface DeviceView extends DeviceStatus {
  id: string;
  aovisId: string;
  serial: string;
  model: string;
  iccid: string | null;
  ownedSince: number;
}

type Owned = { device: Device; ownership: { userId: string; startedAt: number } };

/**
 * The owner's view of several devices with ONE batch of three queries (not three per device); the
 * rule that turns the rows into trial/plan/history lives in app/domain/device-status.ts.
 */
async function describeDevices(db: Db, owned: readonly Owned[], now: number): Promise<DeviceView[]> {
  if (owned.length === 0) return [];
  const ids = owned.map((o) => o.device.id);
  const [trialRows, subRows, entRows] = await db.batch([
    db.select({ deviceId: deviceTrials.deviceId }).from(deviceTrials).where(inArray(deviceTrials.deviceId, ids)),
    db.select().from(subscriptions).where(and(inArray(subscriptions.deviceId, ids), eq(subscriptions.source, "stripe"))),
    db.select().from(entitlements).where(and(inArray(entitlements.deviceId, ids), eq(entitlements.key, "cloud_playback"))),
  ]);
  return owned.map(({ device, ownership }) => {
    // Only this owner's rows: a previous owner's plan or trial never shows (or grants) anything.
    const mine = <T extends { deviceId: string | null; userId: string }>(r: T) => r.deviceId === device.id && r.userId === ownership.userId;
    const status = deviceStatus({
      trialUsed: !!device.trialUsedAt || trialRows.some((t) => t.deviceId === device.id),
      stripeSubscriptions: subRows.filter(mine),
      entitlements: entRows.filter(mine),
      now,
    });
    return {
      id: device.id,
      aovisId: device.aovisId,
      serial: device.serial,
      model: device.model,
      iccid: device.iccid,
      ownedSince: ownership.startedAt,
      ...status,
    };
  });
}

/** What the owner sees about one device: trial, plan and how far back they may watch. */
export async function describeDevice(db: Db, device: Device, ownership: { userId: string; startedAt: number }, now = Date.now()): Promise<DeviceView> {
  const [view] = await describeDevices(db, [{ device, ownership }], now);
  return view;
}

export async function listMyDevices(db: Db, userId: string, now = Date.now()): Promise<DeviceView[]> {
  const rows = await db
    .select({ device: devices, ownership: deviceOwnerships })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")))
    .orderBy(devices.serial);
  return describeDevices(db, rows, now);
}

// ---------------------------------------------------------------------------------------------
// Activation

async function verifyCode(env: Env, serial: string, code: string) {
  const db = getDb(env);
  const pepper = getConfig(env).ACTIVATION_CODE_PEPPER;
  const [device] = await db.select().from(devices).where(eq(devices.serial, normalizeSerial(serial))).limit(1);
  const hash = await hashActivationCode(pepper, code);
  // Compare against something of the same length even for unknown serials (no timing signal).
  const valid = digestsEqual(hash, device?.activationCodeHash ?? "0".repeat(64)) && !!device;
  return { device: device ?? null, valid };
}

// Two limits (ADR 007): attempts per (serial, user), reserved atomically BEFORE the code is compared
// and given back when it was right, so a parallel burst can't compare more than the limit; and
// wrong codes per serial from everyone, higher, so one account can't lock a serial out alone.
const userAttemptKey = (serial: string, userId: string) => `activation:serial-user:${normalizeSerial(serial)}:${userId}`;
const serialFailureKey = (serial: string) => `activation:serial:${normalizeSerial(serial)}`;
const USER_ATTEMPT_LIMIT = { limit: ACTIVATION_FAILURE_LIMIT, windowMs: ACTIVATION_FAILURE_WINDOW_MS };
const SERIAL_FAILURE_LIMIT = { limit: ACTIVATION_SERIAL_FAILURE_LIMIT, windowMs: ACTIVATION_FAILURE_WINDOW_MS };

const tooManyAttempts = (retryAfterSeconds: number) =>
  fail(429, "rate_limited", "Too many wrong activation codes for this serial. Please wait 15 minutes and try again.", { retryAfterSeconds });

/**
 * Allows one code comparison or refuses with 429. On ok, call `settle(codeValid)` right after
 * comparing: a right code gives the attempt back; a wrong one is counted against the serial too,
 * and if that count is already full the answer is 429 instead of 403 (the conditional increment
 * decides, so wrong codes never push the serial past its cap; the serial's read before comparing
 * can be stale by the codes then in flight, at most 5 per account: ADR 007).
 */
async function openActivationAttempt(
  env: Env,
  serial: string,
  userId: string,
): Promise<{ ok: true; settle: (codeValid: boolean) => Promise<Failure | null> } | Failure> {
  // A serial that already has its wrong codes for the window compares no more codes, right or wrong
  // (otherwise a right guess would still answer 200 and the limit would be no limit).
  const serialPeek = await peekRateLimit(env.DB, serialFailureKey(serial), SERIAL_FAILURE_LIMIT);
  if (serialPeek.count >= SERIAL_FAILURE_LIMIT.limit) return tooManyAttempts(serialPeek.retryAfterSeconds);
  const key = userAttemptKey(serial, userId);
  const attempt = await reserveRateLimit(env.DB, key, USER_ATTEMPT_LIMIT);
  if (!attempt.ok) return tooManyAttempts(attempt.retryAfterSeconds);
  return {
    ok: true,
    settle: async (codeValid) => {
      if (codeValid) {
        await releaseRateLimit(env.DB, key, attempt.windowStart);
        return null;
      }
      const counted = await reserveRateLimit(env.DB, serialFailureKey(serial), SERIAL_FAILURE_LIMIT);
      return counted.ok ? null : tooManyAttempts(counted.retryAfterSeconds);
    },
  };
}

export type ActivationResult = { ok: true; device: DeviceView; trial: "granted" | "already_used" | "active"; repeated: boolean } | Failure;

export async function activateDevice(env: Env, input: { serial: string; activationCode: string }, actor: Actor): Promise<ActivationResult> {
  const db = getDb(env);
  const now = actor.now ?? Date.now();
  const attempt = await openActivationAttempt(env, input.serial, actor.user.id);
  if (!attempt.ok) return attempt;
  const { device, valid } = await verifyCode(env, input.serial, input.activationCode);
  const limited = await attempt.settle(valid);
  if (limited) return limited;

  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = device ? await activeOwnerOf(db, device.id) : null;
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
      trialUsed: !!trialRow || !!device?.trialUsedAt,
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
      return fail(decision.status, decision.error, decision.message);
    }

    const d = device!;
    if (decision.outcome === "repeat") {
      await recordAudit(db, { event: "device_activation_repeated", actorUserId: actor.user.id, deviceId: d.id, requestId: actor.requestId, at: now });
      const ownership = owner!;
      return { ok: true, device: await describeDevice(db, d, ownership, now), trial: decision.trial, repeated: true };
    }

    const ownershipId = crypto.randomUUID();
    const stmts: BatchItem<"sqlite">[] = [];
    stmts.push(db.insert(deviceOwnerships).values({ id: ownershipId, deviceId: d.id, userId: actor.user.id, status: "active", startedAt: now }));
    stmts.push(auditInsert(db, { event: "device_activated", actorUserId: actor.user.id, deviceId: d.id, subjectType: "ownership", subjectId: ownershipId, requestId: actor.requestId, at: now }));
    if (decision.grantTrial) {
      const w = trialWindow(now);
      const externalId = `device-trial:${d.id}:${actor.user.id}`;
      const subId = crypto.randomUUID();
      // device_trials' primary key is the once-per-device proof: a racing second grant fails the whole batch.
      stmts.push(db.insert(deviceTrials).values({ deviceId: d.id, userId: actor.user.id, grantedAt: now, expiresAt: w.expiresAt }));
      stmts.push(db.update(devices).set({ trialUsedAt: now }).where(and(eq(devices.id, d.id), isNull(devices.trialUsedAt))));
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
      stmts.push(auditInsert(db, { event: "trial_granted", actorUserId: actor.user.id, deviceId: d.id, detail: { sku: CLOUD_TRIAL.sku, expiresAt: w.expiresAt }, requestId: actor.requestId, at: now }));
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
      await db.batch(stmts as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    } catch (err) {
      if (isUniqueViolation(err) && attempt === 0) continue; // someone else won the race: decide again on fresh facts
      throw err;
    }
    return {
      ok: true,
      device: await describeDevice(db, d, { userId: actor.user.id, startedAt: now }, now),
      trial: decision.trial,
      repeated: false,
    };
  }
  return fail(409, "device_already_owned", "This camera belongs to another account.");
}

/** "Is this camera's free trial still available?" — needs the code too, so it reveals nothing to strangers. */
export async function checkTrialAvailability(
  env: Env,
  input: { serial: string; activationCode: string },
  actor: Actor,
): Promise<{ ok: true; trialAvailable: boolean } | Failure> {
  const attempt = await openActivationAttempt(env, input.serial, actor.user.id);
  if (!attempt.ok) return attempt;
  const { device, valid } = await verifyCode(env, input.serial, input.activationCode);
  const limited = await attempt.settle(valid && !!device);
  if (limited) return limited;
  if (!valid || !device) return fail(403, "invalid_activation_code", "That serial number and activation code don't match a camera.");
  const [trialRow] = await getDb(env).select().from(deviceTrials).where(eq(deviceTrials.deviceId, device.id)).limit(1);
  return { ok: true, trialAvailable: !trialRow && !device.trialUsedAt };
}

// ---------------------------------------------------------------------------------------------
// Unbind

/** Statements that end this owner's trial on the device (never deleted, only ended), under `guard`. */
function endTrialStatements(db: Db, deviceId: string, userId: string, now: number, guard: SQL) {
  return [
    db
      .update(entitlements)
      .set({ status: "EXPIRED", endedAt: now, updatedAt: now })
      .where(and(eq(entitlements.deviceId, deviceId), eq(entitlements.userId, userId), eq(entitlements.source, "trial"), eq(entitlements.status, "ACTIVE"), guard)),
    db
      .update(subscriptions)
      .set({ status: "EXPIRED", endedAt: now, updatedAt: now })
      .where(and(eq(subscriptions.deviceId, deviceId), eq(subscriptions.userId, userId), eq(subscriptions.source, "trial"), eq(subscriptions.status, "ACTIVE"), guard)),
  ];
}

async function simOf(db: Db, device: Device) {
  if (!device.iccid) return null;
  const [sim] = await db.select().from(simCards).where(eq(simCards.iccid, device.iccid)).limit(1);
  return sim ?? null;
}

export async function unbindDevice(env: Env, deviceId: string, actor: Actor): Promise<{ ok: true } | Failure> {
  const db = getDb(env);
  const now = actor.now ?? Date.now();
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  const owner = device ? await activeOwnerOf(db, device.id) : null;
  const decision = decideUnbind({ actorUserId: actor.user.id, activeOwnerUserId: owner?.userId ?? null, livePaidPlan: device ? await hasLivePaidPlan(db, device.id) : false });
  if (!decision.ok) {
    if (device && owner?.userId === actor.user.id) {
      await recordAudit(db, { event: decision.error === "active_subscription_requires_billing_portal" ? "unbind_blocked_active_subscription" : "unbind_refused", actorUserId: actor.user.id, deviceId: device.id, requestId: actor.requestId, at: now });
    }
    return fail(decision.status, decision.error, decision.message, decision.error === "active_subscription_requires_billing_portal" ? { billingPortalUrl: "/account/services" } : undefined);
  }
  const d = device!;
  const ownership = owner!;
  const sim = await simOf(db, d);
  const done = await guardedBatch(
    db,
    {
      audit: { event: "device_unbound", actorUserId: actor.user.id, deviceId: d.id, subjectType: "ownership", subjectId: ownership.id, detail: { awsResourcesKept: true }, requestId: actor.requestId, at: now },
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
        db.update(deviceTransfers).set({ status: "cancelled", decidedAt: now }).where(and(eq(deviceTransfers.deviceId, d.id), eq(deviceTransfers.status, "offered"), guard)),
      ];
      if (sim?.userId) {
        stmts.push(guardedAudit({ event: "sim_left_with_previous_owner", actorUserId: actor.user.id, deviceId: d.id, subjectType: "sim", subjectId: sim.id, detail: { iccid: sim.iccid, simOwner: sim.userId, needsDecision: true }, requestId: actor.requestId, at: now }));
      }
      return stmts;
    },
  );
  if (!done) {
    await recordAudit(db, { event: "unbind_refused", actorUserId: actor.user.id, deviceId: d.id, detail: { reason: "ownership_changed" }, requestId: actor.requestId, at: now });
    return fail(409, "ownership_changed", "This camera's ownership changed while it was being removed (it was already removed or transferred, or a paid plan started). Reload the page to see where it stands.");
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Transfers

export async function offerTransfer(
  env: Env,
  deviceId: string,
  input: { toEmail: string; includeSim: boolean },
  actor: Actor,
): Promise<{ ok: true; transfer: { id: string; toEmail: string; includeSim: boolean; expiresAt: number }; token: string } | Failure> {
  const db = getDb(env);
  const now = actor.now ?? Date.now();
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  const owner = device ? await activeOwnerOf(db, device.id) : null;
  const open = device
    ? await db.select({ id: deviceTransfers.id }).from(deviceTransfers).where(and(eq(deviceTransfers.deviceId, device.id), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now))).limit(1)
    : [];
  const decision = decideTransferOffer({
    actorUserId: actor.user.id,
    actorEmail: actor.user.email,
    activeOwnerUserId: owner?.userId ?? null,
    livePaidPlan: device ? await hasLivePaidPlan(db, device.id) : false,
    toEmail: input.toEmail,
    openOfferExists: open.length > 0,
  });
  if (!decision.ok) {
    if (device && owner?.userId === actor.user.id) {
      await recordAudit(db, { event: decision.error === "active_subscription_requires_billing_portal" ? "unbind_blocked_active_subscription" : "transfer_refused", actorUserId: actor.user.id, deviceId: device.id, detail: { reason: decision.error, action: "transfer" }, requestId: actor.requestId, at: now });
    }
    return fail(decision.status, decision.error, decision.message);
  }
  const token = randomToken(32);
  const id = crypto.randomUUID();
  const toEmail = normalizeEmail(input.toEmail);
  const expiresAt = now + TRANSFER_OFFER_TTL_MS;
  try {
    await db.batch([
      // An expired-but-unmarked offer would block the one-open-offer index: mark it first.
      db.update(deviceTransfers).set({ status: "expired", decidedAt: now }).where(and(eq(deviceTransfers.deviceId, deviceId), eq(deviceTransfers.status, "offered"), sql`${deviceTransfers.expiresAt} <= ${now}`)),
      db.insert(deviceTransfers).values({ id, deviceId, fromUserId: actor.user.id, toEmail, includeSim: input.includeSim, tokenHash: await sha256Hex(token), status: "offered", createdAt: now, expiresAt }),
      auditInsert(db, { event: "transfer_offered", actorUserId: actor.user.id, deviceId, subjectType: "transfer", subjectId: id, detail: { toEmail, includeSim: input.includeSim, expiresAt }, requestId: actor.requestId, at: now }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return fail(409, "transfer_already_pending", "There is already an open transfer offer for this camera.");
    throw err;
  }
  return { ok: true, transfer: { id, toEmail, includeSim: input.includeSim, expiresAt }, token };
}

type TransferRef = { token: string } | { transferId: string };

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
      audit: { event: "transfer_expired", actorUserId: actor?.user.id ?? null, deviceId: t.deviceId, subjectType: "transfer", subjectId: t.id, requestId: actor?.requestId, at: now },
      preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${t.id} AND status = 'offered' AND expires_at <= ${now})`,
    },
    (guard) => [
      db.update(deviceTransfers).set({ status: "expired", decidedAt: now }).where(and(eq(deviceTransfers.id, t.id), eq(deviceTransfers.status, "offered"), guard)),
    ],
  );
}

export async function acceptTransfer(env: Env, ref: TransferRef, actor: Actor): Promise<{ ok: true; deviceId: string; simTransferred: boolean } | Failure> {
  const db = getDb(env);
  const now = actor.now ?? Date.now();
  const t = await findTransfer(db, ref);
  const [device] = t ? await db.select().from(devices).where(eq(devices.id, t.deviceId)).limit(1) : [];
  const owner = device ? await activeOwnerOf(db, device.id) : null;
  // The stored flag, not the session's copy: it is rewritten from the ID token at every sign-in.
  const me = await getUserById(db, actor.user.id);
  const decision = decideTransferAccept({
    transfer: t,
    actorUserId: actor.user.id,
    actorEmail: me?.email ?? actor.user.email,
    actorEmailVerified: me?.emailVerified ?? false,
    activeOwnerUserId: owner?.userId ?? null,
    livePaidPlan: device ? await hasLivePaidPlan(db, device.id) : false,
    now,
  });
  if (!decision.ok) {
    if (t && decision.error === "transfer_expired" && decision.markExpired) {
      await markTransferExpired(db, t, now, actor);
    } else if (t && decision.error !== "wrong_recipient") {
      await recordAudit(db, { event: "transfer_accept_refused", actorUserId: actor.user.id, deviceId: t.deviceId, subjectType: "transfer", subjectId: t.id, detail: { reason: decision.error }, requestId: actor.requestId, at: now });
    }
    // A wrong recipient is told only that the link isn't for them.
    return fail(decision.status, decision.error, decision.message);
  }
  const transfer = t!;
  const d = device!;
  const sim = await simOf(db, d);
  const moveSim = transfer.includeSim && !!sim && sim.userId === transfer.fromUserId;
  const newOwnershipId = crypto.randomUUID();
  let done: boolean;
  try {
    done = await guardedBatch(
      db,
      {
        audit: { event: "transfer_accepted", actorUserId: actor.user.id, deviceId: d.id, subjectType: "transfer", subjectId: transfer.id, detail: { fromUserId: transfer.fromUserId, includeSim: transfer.includeSim }, requestId: actor.requestId, at: now },
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
          db.insert(deviceOwnerships).select(sql`SELECT ${newOwnershipId}, ${d.id}, ${actor.user.id}, 'active', ${now}, NULL, NULL WHERE ${guard}`),
          ...endTrialStatements(db, d.id, transfer.fromUserId, now, guard),
          guardedAudit({ event: "trial_denied_already_used", actorUserId: actor.user.id, deviceId: d.id, detail: { via: "transfer" }, requestId: actor.requestId, at: now }),
        ];
        if (sim && moveSim) {
          stmts.push(db.update(simCards).set({ userId: actor.user.id, deviceId: d.id, updatedAt: now }).where(and(eq(simCards.id, sim.id), eq(simCards.userId, transfer.fromUserId), guard)));
          stmts.push(guardedAudit({ event: "sim_transferred", actorUserId: actor.user.id, deviceId: d.id, subjectType: "sim", subjectId: sim.id, detail: { iccid: sim.iccid, fromUserId: transfer.fromUserId, toUserId: actor.user.id }, requestId: actor.requestId, at: now }));
        } else if (sim?.userId) {
          stmts.push(guardedAudit({ event: "sim_left_with_previous_owner", actorUserId: actor.user.id, deviceId: d.id, subjectType: "sim", subjectId: sim.id, detail: { iccid: sim.iccid, simOwner: sim.userId, needsDecision: true }, requestId: actor.requestId, at: now }));
        }
        return stmts;
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) return fail(409, "transfer_not_open", "This transfer offer was already accepted.");
    throw err;
  }
  if (!done) {
    await recordAudit(db, { event: "transfer_accept_refused", actorUserId: actor.user.id, deviceId: d.id, subjectType: "transfer", subjectId: transfer.id, detail: { reason: "transfer_not_open", changedSinceRead: true }, requestId: actor.requestId, at: now });
    return fail(409, "transfer_not_open", "This transfer offer changed while you were accepting it (it was cancelled or has expired, or the camera's owner or plan changed). Reload the page to see where it stands.");
  }
  return { ok: true, deviceId: d.id, simTransferred: moveSim };
}

export async function cancelTransfer(env: Env, ref: TransferRef, actor: Actor): Promise<{ ok: true } | Failure> {
  const db = getDb(env);
  const now = actor.now ?? Date.now();
  const t = await findTransfer(db, ref);
  const decision = decideTransferCancel({ transfer: t, actorUserId: actor.user.id });
  if (!decision.ok) return fail(decision.status, decision.error, decision.message);
  const transfer = t!;
  const done = await guardedBatch(
    db,
    {
      audit: { event: "transfer_cancelled", actorUserId: actor.user.id, deviceId: transfer.deviceId, subjectType: "transfer", subjectId: transfer.id, requestId: actor.requestId, at: now },
      preconditions: sql`EXISTS (SELECT 1 FROM device_transfers WHERE id = ${transfer.id} AND status = 'offered' AND from_user_id = ${actor.user.id})`,
    },
    (guard) => [
      db.update(deviceTransfers).set({ status: "cancelled", decidedAt: now }).where(and(eq(deviceTransfers.id, transfer.id), eq(deviceTransfers.status, "offered"), guard)),
    ],
  );
  if (!done) return fail(409, "transfer_not_open", "This transfer offer was already accepted, cancelled or expired.");
  return { ok: true };
}

/**
 * Offers for and from this user. Offers addressed to the user's email are listed only while the
 * identity provider says the address is verified (`emailVerified` tells the page why none show).
 */
export async function transfersFor(db: Db, user: Pick<SessionUser, "id" | "email">, now = Date.now()) {
  const [meRows, incomingRows, outgoing] = await db.batch([
    db.select({ email: users.email, emailVerified: users.emailVerified }).from(users).where(eq(users.id, user.id)).limit(1),
    db
      .select({ id: deviceTransfers.id, deviceId: deviceTransfers.deviceId, includeSim: deviceTransfers.includeSim, expiresAt: deviceTransfers.expiresAt, fromEmail: users.email, model: devices.model, serial: devices.serial })
      .from(deviceTransfers)
      .innerJoin(users, eq(users.id, deviceTransfers.fromUserId))
      .innerJoin(devices, eq(devices.id, deviceTransfers.deviceId))
      .where(and(eq(deviceTransfers.toEmail, normalizeEmail(user.email)), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now))),
    db
      .select({ id: deviceTransfers.id, deviceId: deviceTransfers.deviceId, toEmail: deviceTransfers.toEmail, includeSim: deviceTransfers.includeSim, expiresAt: deviceTransfers.expiresAt })
      .from(deviceTransfers)
      .where(and(eq(deviceTransfers.fromUserId, user.id), eq(deviceTransfers.status, "offered"), gt(deviceTransfers.expiresAt, now))),
  ]);
  const me = meRows[0];
  const emailVerified = !!me && canReceiveTransfers(me);
  return { incoming: emailVerified ? incomingRows : [], outgoing, emailVerified };
}

/** Cron: mark offers past their 72 h as expired, with an audit event each. */
export async function expireTransferOffers(env: Env, now = Date.now()): Promise<number> {
  const db = getDb(env);
  const due = await db.select().from(deviceTransfers).where(and(eq(deviceTransfers.status, "offered"), sql`${deviceTransfers.expiresAt} <= ${now}`)).limit(200);
  for (const t of due) await markTransferExpired(db, t, now);
  return due.length;
}
