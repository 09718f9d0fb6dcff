import { lt } from "drizzle-orm";
import { idTokenNonces, rateLimits, sessionRevocations, signInTransactions } from "~/db/schema";
import { expireEntitlements } from "~/models/billing/expiry.server";
import { depsFor } from "~/models/deps.server";
import { expireTransferOffers } from "~/models/devices/transfers.server";
import { expireEvents, retryPendingEvents } from "~/models/events/sweep.server";
import { deliverDueMail } from "~/models/mail/outbox.server";
import { enqueueTrialEndings } from "~/models/mail/trial-ending.server";
import { reconcileRetention } from "~/models/kvs-retention.server";
import { sweepAccountErasures } from "~/models/privacy/storage-erasure.server";
import { sweepRecordings } from "~/models/voice/sweep.server";

/** One unit of the cron's work (run by runScheduled in ./cron.server); its detail is logged. */
export interface Sweep {
  name: string;
  run(env: Env, now: number): Promise<Record<string, number | string>>;
}

/** Longer than any rate-limit window (the longest, activation failures, is minutes): a day-old row counts for nothing. */
const RATE_LIMIT_ROW_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Housekeeping: revocation rows past the sessions' absolute lifetime, stale rate-limit windows,
 * sign-ins never finished, and used nonces of tokens too old to sign in anyway (ADR 012).
 */
const authHousekeeping: Sweep = {
  name: "auth_housekeeping",
  async run(env, now) {
    const { db } = depsFor(env);
    const [revocations, limits, transactions, nonces] = await db.batch([
      db.delete(sessionRevocations).where(lt(sessionRevocations.expiresAt, now)),
      db.delete(rateLimits).where(lt(rateLimits.windowStart, now - RATE_LIMIT_ROW_TTL_MS)),
      db.delete(signInTransactions).where(lt(signInTransactions.expiresAt, now)),
      db.delete(idTokenNonces).where(lt(idTokenNonces.expiresAt, now)),
    ]);
    return {
      revocationsDeleted: revocations.meta.changes ?? 0,
      rateLimitsDeleted: limits.meta.changes ?? 0,
      signInsExpired: transactions.meta.changes ?? 0,
      noncesDeleted: nonces.meta.changes ?? 0,
    };
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
  run: (env, now) => reconcileRetention(depsFor(env), { now }),
};

/** Camera events: snapshots and descriptions still pending are tried again (ADR 015/016). */
const eventEnrichment: Sweep = {
  name: "event_enrichment",
  run: (env, now) => retryPendingEvents(depsFor(env), now),
};

/** Camera events and their snapshots age out with the footage (KVS_DATA_RETENTION_HOURS), in bounded batches. */
const eventRetention: Sweep = {
  name: "event_retention",
  run: (env, now) => expireEvents(depsFor(env), now),
};

/** Mail (ADR 019): trials ending soon get their notice queued, then every pending mail whose time has come is sent. */
export const mailOutboxSweep: Sweep = {
  name: "mail_outbox",
  async run(env, now) {
    const deps = depsFor(env);
    const queued = await enqueueTrialEndings(deps, now);
    return { ...queued, ...(await deliverDueMail(deps, now)) };
  },
};

/** Privacy (ADR 026): deleted accounts whose files (R2 audio, provider clones) are still owed. */
const accountErasure: Sweep = {
  name: "account_erasure",
  run: (env, now) => sweepAccountErasures(depsFor(env), now),
};

export const ALL_SWEEPS: readonly Sweep[] = [
  authHousekeeping,
  entitlementExpiry,
  transferOfferExpiry,
  voiceRecordings,
  kvsRetention,
  eventEnrichment,
  eventRetention,
  mailOutboxSweep,
  accountErasure,
];
