/**
 * The D1 helpers every model uses: one typed batch (D1 runs a batch as one transaction) and one
 * way to recognise a unique-index violation (the invariants that must survive races are indexes).
 */
import { fillPlaceholders } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client.server";

export type Stmt = BatchItem<"sqlite">;

/** Runs `stmts` as one transaction; an empty list does nothing. */
export async function runBatch(db: Db, stmts: readonly Stmt[]): Promise<unknown[]> {
  if (stmts.length === 0) return [];
  return db.batch(stmts as [Stmt, ...Stmt[]]);
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
}

/** A UNIQUE constraint failed (on `column`, e.g. "stripe_events.id", when given). */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const text = errorText(err);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text) && (column === undefined || text.includes(column));
}

/** The rows a batch of these statements resolves to, position by position (for builders shared between batches). */
export type BatchRows<T extends readonly unknown[]> = { [K in keyof T]: Awaited<T[K]> };

interface Preparable {
  prepare(): { getQuery(): { sql: string; params: unknown[] }; mapResult(response: unknown, isFromBatch?: boolean): unknown };
}

/**
 * Statements whose SQL drizzle builds once per isolate instead of on every request: building the
 * SQL text of a signed-in page's statements took more of the Worker's CPU than D1 took to answer
 * them. `build` writes the statements with `sql.placeholder("name")` where a request's values go;
 * the result, called with the db and those values, gives items for `db.batch` that type their rows
 * like the statements `build` wrote.
 */
export function builtOnce<T extends readonly Preparable[]>(build: (db: Db) => T): (db: Db, values: Record<string, unknown>) => T {
  let prepared: ReturnType<Preparable["prepare"]>[] | undefined;
  return (db, values) => {
    prepared ??= build(db).map((q) => q.prepare());
    return prepared.map((once) => {
      const { sql, params } = once.getQuery();
      const bound = fillPlaceholders(params, values);
      // What drizzle's D1 batch reads from an item (drizzle-orm 0.45, d1/session.js): the query, its
      // statement on this request's binding, and how to map its rows.
      const item = { _prepare: () => ({ getQuery: () => ({ sql, params: bound }), stmt: db.$client.prepare(sql), mapResult: once.mapResult.bind(once) }) };
      return item;
    }) as unknown as T;
  };
}
