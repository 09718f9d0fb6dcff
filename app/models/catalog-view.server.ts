/** The store's reads for a page: D1's catalogue rows with their pictures, and the signed-in customer's plan marks. */
import { cameraLabel } from "~/domain/camera-name";
import { currentPlanMarks, type ComparedPlanCode } from "~/domain/plan-comparison";
import { cardImage } from "~/domain/product-details";
import type { Deps } from "./deps.server";
import { listMyDevices } from "./devices/reads.server";
import type { StoreProduct } from "./catalog.server";

export const withImage = <P extends StoreProduct>(p: P) => ({ ...p, image: cardImage(p) });

/** Which compared plans this customer's cameras are on (nothing for a visitor). */
export async function myPlanMarks(deps: Deps, userId: string | null, now = Date.now()): Promise<Partial<Record<ComparedPlanCode, string[]>>> {
  if (!userId) return {};
  const devices = await listMyDevices(deps, userId, now);
  return currentPlanMarks(devices.map((d) => ({ label: cameraLabel(d), planCode: d.plan.code })));
}
