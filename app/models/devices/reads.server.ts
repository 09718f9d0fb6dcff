/** What an owner (and the other areas) read about devices: ownership, live plans, the device view. */
import { and, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import type { Deps } from "../deps.server";
import { auditLog, deviceOwnerships, devices, deviceTrials, entitlements, simCards, subscriptions, type Device } from "~/db/schema";
import { trialUsed } from "~/domain/device-ownership";
import { deviceStatus, type DeviceStatus } from "~/domain/device-status";
import { isLivePaidPlan, LIVE_SUBSCRIPTION_STATUSES } from "~/domain/subscription-status";

export async function activeOwnerOf({ db }: Deps, deviceId: string) {
  const [row] = await db
    .select()
    .from(deviceOwnerships)
    .where(and(eq(deviceOwnerships.deviceId, deviceId), eq(deviceOwnerships.status, "active")))
    .limit(1);
  return row ?? null;
}

export async function hasLivePaidPlan({ db }: Deps, deviceId: string): Promise<boolean> {
  const rows = await db
    .select({ source: subscriptions.source, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.deviceId, deviceId), eq(subscriptions.source, "stripe"), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])));
  return rows.some(isLivePaidPlan);
}

/** Whether the camera has had its once-ever trial. */
export async function deviceTrialUsed({ db }: Deps, device: Pick<Device, "id" | "trialUsedAt">): Promise<boolean> {
  const [row] = await db.select({ deviceId: deviceTrials.deviceId }).from(deviceTrials).where(eq(deviceTrials.deviceId, device.id)).limit(1);
  return trialUsed({ ledgerRow: !!row, trialUsedAt: device.trialUsedAt });
}

/** The device if (and only if) this user is its current owner; otherwise null (callers answer 404). */
export async function getOwnedDevice({ db }: Deps, deviceId: string, userId: string) {
  const [row] = await db
    .select({ device: devices, ownership: deviceOwnerships })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.deviceId, deviceId), eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")))
    .limit(1);
  return row ?? null;
}

export async function simOf({ db }: Deps, device: Device) {
  if (!device.iccid) return null;
  const [sim] = await db.select().from(simCards).where(eq(simCards.iccid, device.iccid)).limit(1);
  return sim ?? null;
}

export interface DeviceView extends DeviceStatus {
  id: string;
  aovisId: string;
  serial: string;
  model: string;
  /** What this owner calls the camera ("Front door"), null when unnamed (issue #12). */
  name: string | null;
  iccid: string | null;
  ownedSince: number;
}

type Owned = { device: Device; ownership: { userId: string; startedAt: number; name?: string | null } };

/**
 * The owner's view of several devices with ONE batch of three queries (not three per device); the
 * rule that turns the rows into trial/plan/history lives in app/domain/device-status.ts.
 */
async function describeDevices(db: Db, owned: readonly Owned[], now: number): Promise<DeviceView[]> {
  if (owned.length === 0) return [];
  const ids = owned.map((o) => o.device.id);
  const [trialRows, subRows, entRows] = await db.batch([
    db.select({ deviceId: deviceTrials.deviceId }).from(deviceTrials).where(inArray(deviceTrials.deviceId, ids)),
    db
      .select()
      .from(subscriptions)
      .where(and(inArray(subscriptions.deviceId, ids), eq(subscriptions.source, "stripe"))),
    db
      .select()
      .from(entitlements)
      .where(and(inArray(entitlements.deviceId, ids), eq(entitlements.key, "cloud_playback"))),
  ]);
  return owned.map(({ device, ownership }) => {
    // Only this owner's rows: a previous owner's plan or trial never shows (or grants) anything.
    const mine = <T extends { deviceId: string | null; userId: string }>(r: T) => r.deviceId === device.id && r.userId === ownership.userId;
    const status = deviceStatus({
      trialUsed: trialUsed({ ledgerRow: trialRows.some((t) => t.deviceId === device.id), trialUsedAt: device.trialUsedAt }),
      stripeSubscriptions: subRows.filter(mine),
      entitlements: entRows.filter(mine),
      now,
    });
    return {
      id: device.id,
      aovisId: device.aovisId,
      serial: device.serial,
      model: device.model,
      name: ownership.name ?? null,
      iccid: device.iccid,
      ownedSince: ownership.startedAt,
      ...status,
    };
  });
}

/** What the owner sees about one device: trial, plan and how far back they may watch. */
export async function describeDevice({ db }: Deps, device: Device, ownership: Owned["ownership"], now = Date.now()): Promise<DeviceView> {
  const [view] = await describeDevices(db, [{ device, ownership }], now);
  return view;
}

export async function listMyDevices({ db }: Deps, userId: string, now = Date.now()): Promise<DeviceView[]> {
  const rows = await db
    .select({ device: devices, ownership: deviceOwnerships })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")))
    .orderBy(devices.serial);
  return describeDevices(db, rows, now);
}

/** Audit events of the user's devices, only since this user's current ownership began (never a previous owner's). */
export async function ownershipHistory({ db }: Deps, userId: string, deviceIds: readonly string[]) {
  if (deviceIds.length === 0) return [];
  return db
    .select({ deviceId: auditLog.deviceId, event: auditLog.event, at: auditLog.at })
    .from(auditLog)
    .innerJoin(
      deviceOwnerships,
      and(eq(deviceOwnerships.deviceId, auditLog.deviceId), eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")),
    )
    .where(and(inArray(auditLog.deviceId, [...deviceIds]), gte(auditLog.at, deviceOwnerships.startedAt)))
    .orderBy(auditLog.at);
}
