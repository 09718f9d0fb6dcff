import { desc, eq, and } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { sweepDeadLetters, type SweepDeadLetter } from "~/db/schema";
import { ok, refuse, type Result } from "~/domain/result";
import type { Deps } from "../deps.server";

/**
 * Sweep messages that exhausted their retries (ADR 027): recorded by the dead-letter queue's
 * consumer, listed for /ops, and requeued (the same body sent again to aovis-sweeps) or discarded.
 */

const BODY_CAP = 8 * 1024;

function kindOf(body: unknown): string {
  if (body && typeof body === "object" && "kind" in body && typeof body.kind === "string") {
    const name = "name" in body && typeof body.name === "string" ? `:${body.name}` : "";
    return `${body.kind}${name}`.slice(0, 80);
  }
  return "unknown";
}

/** One row per dead message (its queue id is the key: a redelivered dead letter is recorded once). */
export async function recordDeadLetters({ db }: Deps, messages: readonly Message<unknown>[], now: number): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = messages.map((m) => {
    let body: string;
    try {
      body = JSON.stringify(m.body) ?? "null";
    } catch {
      body = JSON.stringify(String(m.body));
    }
    return {
      id: m.id,
      body: body.slice(0, BODY_CAP),
      kind: kindOf(m.body),
      attempts: m.attempts,
      sentAt: m.timestamp.getTime(),
      recordedAt: now,
      status: "dead" as const,
    };
  });
  // D1 caps bound parameters per statement (100): 8 columns → 10 rows a statement.
  const stmts = [];
  for (let i = 0; i < rows.length; i += 10)
    stmts.push(
      db
        .insert(sweepDeadLetters)
        .values(rows.slice(i, i + 10))
        .onConflictDoNothing(),
    );
  await db.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
  return rows.length;
}

export function listDeadLetters(db: Db, opts: { status?: SweepDeadLetter["status"]; limit?: number } = {}): Promise<SweepDeadLetter[]> {
  const q = db.select().from(sweepDeadLetters);
  return (opts.status ? q.where(eq(sweepDeadLetters.status, opts.status)) : q)
    .orderBy(desc(sweepDeadLetters.recordedAt))
    .limit(Math.min(opts.limit ?? 100, 500));
}

type Resolution = Result<{ deadLetter: SweepDeadLetter }, "not_found" | "already_resolved">;

async function resolve({ db }: Deps, id: string, status: "requeued" | "discarded", now: number): Promise<Resolution> {
  const [row] = await db
    .update(sweepDeadLetters)
    .set({ status, resolvedAt: now })
    .where(and(eq(sweepDeadLetters.id, id), eq(sweepDeadLetters.status, "dead")))
    .returning();
  if (row) return ok({ deadLetter: row });
  const [exists] = await db.select({ id: sweepDeadLetters.id }).from(sweepDeadLetters).where(eq(sweepDeadLetters.id, id)).limit(1);
  return exists ? refuse("already_resolved") : refuse("not_found");
}

/** Sends the dead message's body to aovis-sweeps again (marked first, so two clicks send once). */
export async function requeueDeadLetter(deps: Deps, id: string, now = Date.now()): Promise<Resolution> {
  const r = await resolve(deps, id, "requeued", now);
  if (r.ok) await deps.env.SWEEPS.send(JSON.parse(r.deadLetter.body) as unknown, { contentType: "json" });
  return r;
}

export function discardDeadLetter(deps: Deps, id: string, now = Date.now()): Promise<Resolution> {
  return resolve(deps, id, "discarded", now);
}
