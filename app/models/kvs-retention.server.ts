import { and, eq, gt, gte, inArray, isNull, lte, not, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { runBatch, type Stmt } from "~/db/d1.server";
import { cronCursors, deviceRetention, devices, type DeviceRetention } from "~/db/schema";
import { planRetentionChange, retentionOperation } from "~/domain/kvs-retention";
import { getConfig } from "~/lib/config.server";
import { isRetryable, KvsError, kvsClientFromConfig, withRetry, type FetchLike, type KvsClient, type StreamInfo } from "~/lib/kvs.server";
import type { Deps } from "./deps.server";
import { Budget, BudgetExhausted, type Ticket } from "./kvs-retention-budget.server";

/**
 * KVS retention reconciliation (ADR 010), run by the cron sweep "kvs_retention".
 *
 * Every stream should keep KVS_DATA_RETENTION_HOURS of footage (plans only limit how far back a
 * user may look). Each invocation walks the devices in id order from a cursor kept in D1
 * (cron_cursors), spending at most CRON_SUBREQUEST_BUDGET AWS calls (retries included), and
 * wraps around at the end, so any number of devices is covered across invocations.
 *
 * Per device: DescribeStream, then UpdateDataRetention only to INCREASE. A stream above the
 * target is recorded as decrease_needed and never shrunk here: a decrease deletes footage at once.
 * Throttling and 5xx are retried with backoff; a device that still fails is recorded with its
 * error and the run moves on.
 *
 * The increase carries the stream's CurrentVersion: a VersionMismatchException re-reads the stream
 * and re-plans once. Devices come a page at a time (default 100, a pool of 4 at once); D1 work is
 * one read and one batch per page. A device reserves its CALLS_PER_DEVICE before it starts, so it
 * is never left half-done; retries spend what is left of the budget.
 */

export const RETENTION_CURSOR = "kvs_retention";

export interface ReconcileOptions {
  now?: number;
  /** AWS calls allowed in this invocation; default CRON_SUBREQUEST_BUDGET. */
  budget?: number;
  /** Default KVS_DATA_RETENTION_HOURS. */
  targetHours?: number;
  /** Devices read from D1 per page. */
  pageSize?: number;
  /** Devices handled at the same time. */
  concurrency?: number;
  /** Backoff sleep; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  baseDelayMs?: number;
  retries?: number;
  /** The fetch the KVS client uses (default: global fetch). Every call through it is counted. */
  fetch?: FetchLike;
  /**
   * Only the devices with ids in (after, upTo] (upTo null: to the end): the queue's range messages
   * (ADR 027). The stored cursor is neither read nor moved; the report's cursor says how far it got.
   */
  range?: { after: string; upTo: string | null };
  /**
   * Compare against D1 first: skip devices whose last check (since this time, same stream, same
   * target) found them in order, so steady-state hourly work is only what changed or aged out.
   */
  freshAfter?: number;
  /** Awaited before every AWS request with the stream's name (the queue's TPS pacing, app/domain/call-pacing.ts). */
  pace?: (stream: string) => Promise<void>;
}

export interface ReconcileReport {
  [k: string]: number | string;
  checked: number;
  ok: number;
  increased: number;
  decreaseNeeded: number;
  errors: number;
  /** AWS requests actually sent (retries included). */
  subrequests: number;
  budget: number;
  /** 1 when the cursor passed the last device and started again from the first. */
  wrapped: number;
  cursor: string;
  /** Range mode: 1 when every device of the range was handled (0: the budget ran out first). */
  complete: number;
}

type DeviceRow = Awaited<ReturnType<typeof readPage>>[number];

type Outcome =
  | { status: Extract<DeviceRetention["status"], "ok" | "increased">; retentionHours: number }
  | { status: Extract<DeviceRetention["status"], "decrease_needed">; retentionHours: number; note: string }
  | { status: Extract<DeviceRetention["status"], "error">; retentionHours: number | null; error: string };

/** "Code (Operation, HTTP n): message" — the KvsError message already starts with operation and code. */
const errorText = (err: unknown) =>
  (err instanceof KvsError
    ? `${err.code} (${err.operation}, HTTP ${err.status}): ${err.message.replace(`${err.operation}: ${err.code} (${err.status}): `, "")}`
    : err instanceof Error
      ? `${err.name}: ${err.message}`
      : String(err)
  ).slice(0, 500);

type Retry = <T>(fn: () => Promise<T>, canRetry: () => boolean) => Promise<T>;

interface OneOpts {
  targetHours: number;
  retries: number;
  retry: Retry;
  pace?: (stream: string) => Promise<void>;
}

async function reconcileOne(kvs: KvsClient, device: DeviceRow, ticket: Ticket, opts: OneOpts): Promise<Outcome> {
  // Every AWS request takes its share of the budget first (retries included). A throttle that
  // could still be retried but for the budget is not this device's failure: it is left (not
  // recorded, cursor not moved past it) for the next invocation.
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    let attempts = 0;
    try {
      return await opts.retry(
        async () => {
          ticket.take();
          attempts++;
          await opts.pace?.(device.stream);
          return fn();
        },
        () => ticket.canRetry(),
      );
    } catch (err) {
      if (isRetryable(err) && attempts <= opts.retries && !ticket.canRetry()) throw new BudgetExhausted();
      throw err;
    }
  };
  let info: StreamInfo | null = null;
  try {
    info = await call(() => kvs.describeStream(device.stream));
    if (info.Status !== "ACTIVE") return { status: "error", retentionHours: info.DataRetentionInHours, error: `StreamNotActive: stream is ${info.Status}` };
    let plan = planRetentionChange({ currentHours: info.DataRetentionInHours, targetHours: opts.targetHours, allowDecrease: false });
    if (plan.action === "blocked_decrease") {
      return {
        status: "decrease_needed",
        retentionHours: info.DataRetentionInHours,
        note: `decrease_needed: stream keeps ${info.DataRetentionInHours} h, target is ${opts.targetHours} h; not applied (a decrease deletes footage: use kvs:retention:apply --allow-decrease)`,
      };
    }
    if (plan.action === "none") return { status: "ok", retentionHours: info.DataRetentionInHours };
    for (let attempt = 0; ; attempt++) {
      const operation = retentionOperation(plan);
      if (operation !== "INCREASE_DATA_RETENTION" || plan.action !== "increase") throw new Error(`unexpected plan ${plan.action}`);
      try {
        const current = info;
        const changeInHours = plan.deltaHours;
        await call(() => kvs.updateDataRetention({ stream: device.stream, currentVersion: current.Version, operation, changeInHours }));
        return { status: "increased", retentionHours: opts.targetHours };
      } catch (err) {
        // Someone changed the stream between our read and write: read again and re-plan, once.
        if (!(err instanceof KvsError && err.code === "VersionMismatchException") || attempt > 0 || !ticket.canRetry()) throw err;
        info = await call(() => kvs.describeStream(device.stream));
        plan = planRetentionChange({ currentHours: info.DataRetentionInHours, targetHours: opts.targetHours, allowDecrease: false });
        if (plan.action === "none") return { status: "ok", retentionHours: info.DataRetentionInHours };
        if (plan.action !== "increase") {
          return {
            status: "decrease_needed",
            retentionHours: info.DataRetentionInHours,
            note: `decrease_needed: stream keeps ${info.DataRetentionInHours} h, target is ${opts.targetHours} h; not applied`,
          };
        }
      }
    }
  } catch (err) {
    if (err instanceof BudgetExhausted) throw err;
    return { status: "error", retentionHours: info?.DataRetentionInHours ?? null, error: errorText(err) };
  }
}

async function readCursor(db: Db): Promise<string> {
  const [row] = await db.select({ cursor: cronCursors.cursor }).from(cronCursors).where(eq(cronCursors.name, RETENTION_CURSOR)).limit(1);
  return row?.cursor ?? "";
}

/**
 * Devices after `after` (up to `upTo` when given), in id order. With `fresh`, devices whose last
 * check is recent, for the same stream and target, and found nothing to do are left out (D1 first).
 */
function readPage(db: Db, after: string, upTo: string | null, limit: number, fresh?: { since: number; targetHours: number }) {
  const inRange = upTo === null ? gt(devices.id, after) : and(gt(devices.id, after), lte(devices.id, upTo));
  const q = db.select({ id: devices.id, stream: devices.kvsStreamName }).from(devices);
  if (!fresh) return q.where(inRange).orderBy(devices.id).limit(limit);
  const inOrder = and(
    inArray(deviceRetention.status, ["ok", "increased", "decrease_needed"]),
    eq(deviceRetention.targetHours, fresh.targetHours),
    eq(deviceRetention.streamName, devices.kvsStreamName),
    gte(deviceRetention.checkedAt, fresh.since),
  );
  return q
    .leftJoin(deviceRetention, eq(deviceRetention.deviceId, devices.id))
    .where(and(inRange, or(isNull(deviceRetention.deviceId), not(inOrder!))))
    .orderBy(devices.id)
    .limit(limit);
}

/**
 * The device's row as this check left it. What the check could not learn (the hours, when a read
 * failed; the last good check, when this one wasn't) keeps its previous value.
 */
function outcomeStatement(db: Db, device: DeviceRow, o: Outcome, targetHours: number, now: number): Stmt {
  const lastError = o.status === "error" ? o.error : o.status === "decrease_needed" ? o.note : null;
  const okAt = o.status === "ok" || o.status === "increased" ? now : null;
  return db
    .insert(deviceRetention)
    .values({
      deviceId: device.id,
      streamName: device.stream,
      retentionHours: o.retentionHours,
      targetHours,
      status: o.status,
      checkedAt: now,
      lastError,
      lastOkAt: okAt,
    })
    .onConflictDoUpdate({
      target: deviceRetention.deviceId,
      set: {
        streamName: device.stream,
        ...(o.retentionHours !== null ? { retentionHours: o.retentionHours } : {}),
        targetHours,
        status: o.status,
        checkedAt: now,
        lastError,
        ...(okAt !== null ? { lastOkAt: okAt } : {}),
      },
    });
}

function cursorStatement(db: Db, cursor: string, wrappedNow: boolean, now: number): Stmt {
  const pass = wrappedNow ? 1 : 0;
  return db
    .insert(cronCursors)
    .values({ name: RETENTION_CURSOR, cursor, passes: pass, updatedAt: now })
    .onConflictDoUpdate({ target: cronCursors.name, set: { cursor, passes: sql`${cronCursors.passes} + ${pass}`, updatedAt: now } });
}

/**
 * One budget-limited reconciliation pass from the stored cursor. Never throws for a device's
 * failure (it is recorded); D1 failures do throw (the cron reports the sweep as failed).
 */
export async function reconcileRetention({ env, db }: Deps, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const config = getConfig(env);
  const now = opts.now ?? Date.now();
  const targetHours = opts.targetHours ?? config.KVS_DATA_RETENTION_HOURS;
  const budget = new Budget(opts.budget ?? config.CRON_SUBREQUEST_BUDGET);
  const baseFetch: FetchLike = opts.fetch ?? ((r) => fetch(r));
  let sent = 0;
  const kvs = kvsClientFromConfig(config, (r) => {
    sent++;
    return baseFetch(r);
  });
  const retries = opts.retries ?? 3;
  const retry: Retry = (fn, canRetry) =>
    withRetry(fn, {
      retries,
      baseDelayMs: opts.baseDelayMs ?? 200,
      maxDelayMs: 5000,
      sleep: opts.sleep,
      retryIf: (err) => isRetryable(err) && canRetry(),
    });
  const pageSize = Math.max(1, opts.pageSize ?? 100);
  const concurrency = Math.max(1, opts.concurrency ?? 4);

  const report: ReconcileReport = {
    checked: 0,
    ok: 0,
    increased: 0,
    decreaseNeeded: 0,
    errors: 0,
    subrequests: 0,
    budget: budget.limit,
    wrapped: 0,
    cursor: "",
    complete: 0,
  };
  const range = opts.range;
  const fresh = opts.freshAfter === undefined ? undefined : { since: opts.freshAfter, targetHours };
  const start = range ? range.after : await readCursor(db);
  let cursor = start;
  // Phase 1: the devices after the cursor. Phase 2 (after wrapping): from the first device up to
  // where this invocation began, so one invocation never handles a device twice.
  let upTo: string | null = range ? range.upTo : null;
  let exhausted = false;

  for (;;) {
    const page = await readPage(db, cursor, upTo, pageSize, fresh);

    // A small pool; results keep page order so the cursor only moves past devices that are done.
    const outcomes: (Outcome | undefined)[] = new Array(page.length);
    let next = 0;
    const worker = async () => {
      while (!exhausted && next < page.length) {
        const ticket = budget.reserve();
        if (!ticket) {
          exhausted = true;
          return;
        }
        const i = next++;
        try {
          outcomes[i] = await reconcileOne(kvs, page[i], ticket, { targetHours, retries, retry, pace: opts.pace });
        } catch (err) {
          if (!(err instanceof BudgetExhausted)) throw err;
          exhausted = true;
        } finally {
          ticket.release();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, worker));

    const stmts: Stmt[] = [];
    let done = 0;
    while (done < page.length && outcomes[done]) done++;
    page.forEach((device, i) => {
      const o = outcomes[i];
      if (!o) return;
      stmts.push(outcomeStatement(db, device, o, targetHours, now));
      report.checked++;
      if (o.status === "ok") report.ok++;
      else if (o.status === "increased") report.increased++;
      else if (o.status === "decrease_needed") report.decreaseNeeded++;
      else report.errors++;
    });
    if (done > 0) cursor = page[done - 1].id;
    const endOfRange = !exhausted && page.length < pageSize;
    if (range) {
      await runBatch(db, stmts);
      if (exhausted || endOfRange) {
        report.complete = endOfRange ? 1 : 0;
        break;
      }
      continue;
    }
    // Reached the last device: the next page starts from the first one again.
    const wrapNow = endOfRange && upTo === null;
    if (wrapNow) {
      cursor = "";
      report.wrapped = 1;
    }
    if (stmts.length > 0 || cursor !== start || wrapNow) stmts.push(cursorStatement(db, cursor, wrapNow && (start !== "" || report.checked > 0), now));
    await runBatch(db, stmts);
    if (exhausted || (endOfRange && (upTo !== null || start === ""))) break;
    if (wrapNow) upTo = start;
  }

  report.subrequests = sent;
  report.cursor = cursor;
  return report;
}
