import { highestVoiceTier } from "~/domain/checkout-policy";
import type { Db } from "~/db/client.server";
import type { VoiceTierCode } from "~/domain/plans";

/**
 * The user's voice tier comes from their voice subscription's entitlements (billing); no active
 * entitlement → Free. Billing writes `voice_tier` entitlements (sku = tier code); which tier ranks
 * highest is the domain's rule (checkout-policy), not SQL's.
 */
export async function voiceTierForUser(db: Db, userId: string, now = Date.now()): Promise<VoiceTierCode> {
  const rows = await db.$client
    .prepare(
      `SELECT sku FROM entitlements
       WHERE user_id = ?1 AND key = 'voice_tier' AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?2)`,
    )
    .bind(userId, now)
    .all<{ sku: string }>();
  return highestVoiceTier(rows.results.map((r) => r.sku));
}
