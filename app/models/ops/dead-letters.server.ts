import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { sweepDeadLetters, type SweepDeadLetter } from "~/db/schema";
import { refuse, type Refusal } from "~/domain/result";
import type { Deps } from "../deps.server";
import { guardedBatch } from "../devices/guarded-batch.server";
import type { StaffActor } from "./actions.server";

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

type Resolution = { ok: true; deadLetter: SweepDeadLetter } | Refusal<"not_found", { subject: "page" }> | Refusal<"dead_letter_resolved">;

/**
 * A staff member's decision on a dead letter (ADR 025/027): the status change and its audit row,
 * naming the staff member, in one guarded batch (written only while the letter is still dead, so
 * two clicks decide once).
 */
async function resolve(deps: Deps, id: string, status: "requeued" | "discarded", actor: StaffActor): Promise<Resolution> {
  const { db } = deps;
  const now = actor.now ?? Date.now();
  const [row] = await db.select().from(sweepDeadLetters).where(eq(sweepDeadLetters.id, id)).limit(1);
  if (!row) return refuse("not_found", { subject: "page" as const });
  if (row.status !== "dead") return refuse("dead_letter_resolved");
  const done = await guardedBatch(
    db,
    {
      audit: {
        event: status === "requeued" ? "dead_letter_requeued_by_staff" : "dead_letter_discarded_by_staff",
        subjectType: "sweep_dead_letter",
        subjectId: id,
        detail: { staff: actor.staff, kind: row.kind, attempts: row.attempts },
        requestId: actor.requestId,
        at: now,
      },
      preconditions: sql`EXISTS (SELECT 1 FROM sweep_dead_letters WHERE id = ${id} AND status = 'dead')`,
    },
    (guard) => [
      db
        .update(sweepDeadLetters)
        .set({ status, resolvedAt: now })
        .where(and(eq(sweepDeadLetters.id, id), eq(sweepDeadLetters.status, "dead"), guard)),
    ],
  );
  if (!done) return refuse("dead_letter_resolved");
  return { ok: true, deadLetter: { ...row, status, resolvedAt: now } };
}

/** Sends the dead message's body to aovis-sweeps again (marked first, so two clicks send once). */
export async function requeueDeadLetter(deps: Deps, id: string, actor: StaffActor): Promise<Resolution> {
  const r = await resolve(deps, id, "requeued", actor);
  if (r.ok) await deps.env.SWEEPS.send(JSON.parse(r.deadLetter.body) as unknown, { contentType: "json" });
  return r;
}

export function discardDeadLetter(deps: Deps, id: string, actor: StaffActor): Promise<Resolution> {
  return resolve(deps, id, "discarded", actor);
}
