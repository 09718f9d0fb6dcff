/** When an entitlement grants something: ACTIVE, started, and not yet expired (expiresAt is exclusive). */
export function entitlementInForce(e: { status: string; startsAt?: number | null; expiresAt: number | null }, now: number): boolean {
  return e.status === "ACTIVE" && (e.startsAt === undefined || e.startsAt === null || e.startsAt <= now) && (e.expiresAt === null || e.expiresAt > now);
}
