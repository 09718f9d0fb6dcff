import type { Db } from "~/db/client.server";
import type { VoiceTierCode } from "~/domain/plans";

/**
 * The user's voice tier comes from their voice subscription's entitlements (billing); no active
 * entitlement → Free. Billing writes `voice_tier` entitlements (sku = tier code).
 */
export async function voiceTierForUser(db: Db, userId: string, now = Date.now()): Promise<VoiceTierCode> {
  const row = await db.$client
    .prepare(
      `SELECT sku FROM entitlements
       WHERE user_id = ?1 AND key = 'voice_tier' AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ?2)
       ORDER BY CASE sku WHEN 'PREMIUM' THEN 2 WHEN 'BASIC' THEN 1 ELSE 0 END DESC LIMIT 1`,
    )
    .bind(userId, now)
    .first<{ sku: string }>();
  return row?.sku === "PREMIUM" || row?.sku === "BASIC" ? row.sku : "FREE";
}
