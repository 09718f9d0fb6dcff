import { expireEntitlements } from "~/models/billing/expiry.server";
import { depsFor } from "~/models/deps.server";
import { expireTransferOffers } from "~/models/devices/transfers.server";
import { reconcileRetention } from "~/models/kvs-retention.server";
import { sweepRecordings } from "~/models/voice/sweep.server";

/** One unit of the cron's work (run by runScheduled in ./cron.server); its detail is logged. */
export interface Sweep {
  name: string;
  run(env: Env, now: number): Promise<Record<string, number | string>>;
}

/** Housekeeping: revocation rows past the sessions' absolute lifetime, stale rate-limit windows. */
const authHousekeeping: Sweep = {
  name: "auth_housekeeping",
  async run(env, now) {
    const [revocations, limits] = await env.DB.batch([
      env.DB.prepare("DELETE FROM session_revocations WHERE expires_at < ?1").bind(now),
      env.DB.prepare("DELETE FROM rate_limits WHERE window_start < ?1").bind(now - 24 * 60 * 60 * 1000),
    ]);
    return { revocationsDeleted: revocations.meta.changes ?? 0, rateLimitsDeleted: limits.meta.changes ?? 0 };
  },
};

/** Billing: entitlements past expires_at stop granting (reads check expiry too; this makes rows say so). */
const entitlementExpiry: Sweep = {
  name: "entitlement_expiry",
  run: async (env, now) => ({ ...(await expireEntitlements(depsFor(env), now)) }),
};

/** Devices: transfer offers past their 72 h are marked expired, with an audit event each. */
const transferOfferExpiry: Sweep = {
  name: "transfer_offer_expiry",
  run: async (env, now) => ({ offersExpired: await expireTransferOffers(depsFor(env), now) }),
};

/** Voice studio: expired recordings (R2 object first, then row) and pending rows whose worker died. */
const voiceRecordings: Sweep = {
  name: "voice_recordings",
  run: (env, now) => sweepRecordings(depsFor(env), now),
};

/** Cloud video: bring every KVS stream up to KVS_DATA_RETENTION_HOURS, a budget-limited page at a time (ADR 010). */
const kvsRetention: Sweep = {
  name: "kvs_retention",
  run: (env, now) => reconcileRetention(env, { now }),
};

export const ALL_SWEEPS: readonly Sweep[] = [authHousekeeping, entitlementExpiry, transferOfferExpiry, voiceRecordings, kvsRetention];
