/** What an owner (and the other areas) read about devices: ownership, live plans, the device view. */
import { and, eq, gte, inArray, sql, type Placeholder } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { builtOnce, type BatchRows } from "~/db/d1.server";
import type { Deps } from "../deps.server";
import { auditLog, deviceOwnerships, devices, deviceTrials, entitlements, simCards, subscriptions, type Device } from "~/db/schema";
import { trialUsed } from "~/domain/device-ownership";
import { deviceStatus, type DeviceStatus } from "~/domain/device-status";
import { planOutlook, type PlanOutlook } from "~/domain/plan-outlook";
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
  /** The one effective plan and what happens next (app/domain/plan-outlook), for every page that shows the camera. */
  outlook: PlanOutlook;
}

type Owned = {
  device: Pick<Device, "id" | "aovisId" | "serial" | "model" | "iccid" | "trialUsedAt">;
  ownership: { userId: string; startedAt: number; name?: string | null };
};

/** The devices `userId` owns now, as a subquery (so the status reads can share one batch with the list). */
const ownedIds = (db: Db, userId: string | Placeholder) =>
  db
    .select({ id: deviceOwnerships.deviceId })
    .from(deviceOwnerships)
    .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")));

/**
 * The rows a device's status is made of, for the devices `ids` names (a list, or the owner's
 * devices as a subquery), and only `userId`'s plans: three statements for one batch, not three per device.
 */
function statusQueries(db: Db, ids: string[] | ReturnType<typeof ownedIds>, userId: string | Placeholder) {
  return [
    db.select({ deviceId: deviceTrials.deviceId }).from(deviceTrials).where(inArray(deviceTrials.deviceId, ids)),
    db
      .select()
      .from(subscriptions)
      .where(and(inArray(subscriptions.deviceId, ids), eq(subscriptions.source, "stripe"), eq(subscriptions.userId, userId))),
    db
      .select()
      .from(entitlements)
      .where(and(inArray(entitlements.deviceId, ids), eq(entitlements.key, "cloud_playback"), eq(entitlements.userId, userId))),
  ] as const;
}

type StatusRows = BatchRows<ReturnType<typeof statusQueries>>;

/** The owner's view of each device; the rule that turns the rows into trial/plan/history lives in app/domain/device-status.ts. */
function toDeviceViews(owned: readonly Owned[], [trialRows, subRows, entRows]: StatusRows, now: number): DeviceView[] {
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
      outlook: planOutlook(status),
    };
  });
}

/** What the owner sees about one device: trial, plan and how far back they may watch. */
export async function describeDevice({ db }: Deps, device: Device, ownership: Owned["ownership"], now = Date.now()): Promise<DeviceView> {
  const rows = await db.batch(statusQueries(db, [device.id], ownership.userId));
  return toDeviceViews([{ device, ownership }], rows, now)[0];
}

/**
 * The devices `userId` owns now, by serial, with their owner. Named columns, each once: in a batch
 * D1 hands rows back as objects keyed by column name, so two `id` columns (devices and ownerships)
 * would collapse into one and drizzle would map the ownership's id onto the device.
 */
const ownedDevicesQuery = (db: Db, userId: string | Placeholder) =>
  db
    .select({
      device: {
        id: devices.id,
        aovisId: devices.aovisId,
        serial: devices.serial,
        model: devices.model,
        iccid: devices.iccid,
        trialUsedAt: devices.trialUsedAt,
      },
      ownership: { userId: deviceOwnerships.userId, startedAt: deviceOwnerships.startedAt, name: deviceOwnerships.name },
    })
    .from(deviceOwnerships)
    .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
    .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")))
    .orderBy(devices.serial);

/** The statements of `listMyDevices`, for a caller that batches them with its own (the devices page). */
const myDevicesStatements = builtOnce((db) => {
  const userId = sql.placeholder("userId");
  return [ownedDevicesQuery(db, userId), ...statusQueries(db, ownedIds(db, userId), userId)] as const;
});
export const myDevicesQueries = (db: Db, userId: string) => myDevicesStatements(db, { userId });

export type MyDevicesRows = BatchRows<ReturnType<typeof myDevicesQueries>>;

export const toMyDevices = ([owned, ...status]: MyDevicesRows, now: number): DeviceView[] => toDeviceViews(owned, status, now);

/** The user's devices in ONE batch (the list and what their status is made of). */
export async function listMyDevices({ db }: Deps, userId: string, now = Date.now()): Promise<DeviceView[]> {
  return toMyDevices(await db.batch(myDevicesQueries(db, userId)), now);
}

/**
 * Audit events of one device the user owns now, only since this user's current ownership began
 * (never a previous owner's): the join with the active ownership is the whole filter, so a device
 * the user does not own has no story at all.
 */
const deviceStoryStatement = builtOnce((db) => {
  const [userId, deviceId] = [sql.placeholder("userId"), sql.placeholder("deviceId")];
  return [
    db
      .select({ event: auditLog.event, at: auditLog.at })
      .from(auditLog)
      .innerJoin(
        deviceOwnerships,
        and(eq(deviceOwnerships.deviceId, auditLog.deviceId), eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active")),
      )
      .where(and(eq(auditLog.deviceId, deviceId), gte(auditLog.at, deviceOwnerships.startedAt)))
      .orderBy(auditLog.at),
  ] as const;
});
export const deviceStoryQuery = (db: Db, userId: string, deviceId: string) => deviceStoryStatement(db, { userId, deviceId })[0];
