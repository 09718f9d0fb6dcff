import type { Sweep } from "./cron.server";

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

export const ALL_SWEEPS: readonly Sweep[] = [authHousekeeping];
