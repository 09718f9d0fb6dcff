/**
 * The D1 helpers every model uses: one typed batch (D1 runs a batch as one transaction) and one
 * way to recognise a unique-index violation (the invariants that must survive races are indexes).
 */
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
