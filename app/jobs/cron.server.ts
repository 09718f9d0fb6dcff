import { log } from "~/lib/log.server";
import { ALL_SWEEPS, type Sweep } from "./sweeps.server";

/**
 * The Cron Trigger's work. Each sweep is independent: one failing sweep is logged and the others
 * still run, so a bad day for one subsystem never stops retention or expiry for the rest.
 */

export interface CronReport {
  cron: string;
  results: { name: string; ok: boolean; detail: Record<string, number | string> }[];
}

export async function runScheduled(env: Env, cron: string, now = Date.now(), sweeps: readonly Sweep[] = ALL_SWEEPS): Promise<CronReport> {
  const report: CronReport = { cron, results: [] };
  for (const sweep of sweeps) {
    try {
      const detail = await sweep.run(env, now);
      report.results.push({ name: sweep.name, ok: true, detail });
      log("info", "cron_sweep", { cron, sweep: sweep.name, ...detail });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      report.results.push({ name: sweep.name, ok: false, detail: { error: message } });
      log("error", "cron_sweep_failed", { cron, sweep: sweep.name, error: message });
    }
  }
  return report;
}
