/**
 * Who sees which camera events (ADR 015): the caller's cameras (current ownerships only), each
 * with its window (ownership start ∩ plan history, app/domain/cloud-access-window.ts) and what its
 * plan allows (AI summaries, smart search). Entitlements are the caller's on that camera, so a
 * previous owner's plan never opens anything. Two queries side by side, not one db.batch: drizzle's
 * D1 batch maps a join's columns by name, so devices.id and device_ownerships.id collide.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { deviceOwnerships, devices, entitlements, type Device } from "~/db/schema";
import { accessWindow, type EntitlementLike, type TimeWindow } from "~/domain/cloud-access-window";
import { cheapestPlanWith, featureInForce, type EventFeature } from "~/domain/event-features";
import { refuse, type Refusal } from "~/domain/result";
import { paths } from "~/lib/paths";
import type { Deps } from "../deps.server";
import { toEntitlementLike } from "../video/playback-access.server";

export interface CameraAccess {
  device: Device;
  /** What the owner calls the camera. */
  name: string;
  ownershipId: string;
  ownershipStartedAt: number;
  /** Where this owner may look (null: no cloud history on this camera). */
  window: TimeWindow | null;
  aiSummary: boolean;
  smartSearch: boolean;
  entitlements: EntitlementLike[];
}

const EVENT_KEYS = ["cloud_playback", "ai_summary", "smart_search"];

/** The camera's name as its owner sees it: theirs ("Front door"), else the model. */
const cameraName = sql<string>`coalesce(${deviceOwnerships.name}, ${devices.model})`;

/** The caller's cameras (or just `deviceId`, when it is theirs), with windows and features at `now`. */
export async function camerasOf(deps: Deps, userId: string, now: number, deviceId?: string): Promise<CameraAccess[]> {
  const { db } = deps;
  const mine = and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active"), deviceId ? eq(deviceOwnerships.deviceId, deviceId) : undefined);
  const [owned, ents] = await Promise.all([
    db
      .select({ device: devices, name: cameraName, ownershipId: deviceOwnerships.id, startedAt: deviceOwnerships.startedAt })
      .from(deviceOwnerships)
      .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
      .where(mine)
      .orderBy(devices.serial),
    db
      .select()
      .from(entitlements)
      .where(
        and(
          eq(entitlements.userId, userId),
          eq(entitlements.status, "ACTIVE"),
          inArray(entitlements.key, EVENT_KEYS),
          // The caller's own rows; those of cameras they no longer own are dropped below.
          deviceId ? eq(entitlements.deviceId, deviceId) : undefined,
        ),
      ),
  ]);
  return owned.map((o) => {
    const rows = ents.filter((e) => e.deviceId === o.device.id);
    const all = rows.map(toEntitlementLike);
    const access = accessWindow({ entitlements: all, ownershipStartedAt: o.startedAt, now });
    return {
      device: o.device,
      name: o.name,
      ownershipId: o.ownershipId,
      ownershipStartedAt: o.startedAt,
      window: access.ok ? access.window : null,
      aiSummary: featureInForce(rows, "ai_summary", now),
      smartSearch: featureInForce(rows, "smart_search", now),
      entitlements: all,
    };
  });
}

export type FeatureNotInPlan = Refusal<"feature_not_in_plan", { feature: EventFeature; planName: string; upgradeUrl: string; scope: "camera" | "all" }>;

/** The refusal for a camera (or all cameras) whose plan lacks `feature`, pointing at the plans. */
export function featureNotInPlan(feature: EventFeature, scope: "camera" | "all"): FeatureNotInPlan {
  return refuse("feature_not_in_plan", { feature, planName: cheapestPlanWith(feature).name, upgradeUrl: paths.services, scope });
}
