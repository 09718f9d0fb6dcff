import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof makeDb>;

const makeDb = (d1: D1Database) => drizzle(d1, { schema });

// drizzle() walks the whole schema for its relational config on every call (≈0.3 ms of a signed-in
// page's CPU, profiled for #11); the client holds no per-request state, so one per D1 binding.
const clients = new WeakMap<D1Database, Db>();

export function getDb(env: { DB: D1Database }): Db {
  let db = clients.get(env.DB);
  if (!db) {
    db = makeDb(env.DB);
    clients.set(env.DB, db);
  }
  return db;
}
