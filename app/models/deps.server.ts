/**
 * What every model function gets as its first argument: the Worker's bindings and ONE drizzle
 * client for the whole request (or cron run). Routes take it from the load context with
 * `depsOf(context)`; the cron and tests make one with `depsFor(env)`.
 */
import type { AppLoadContext } from "@remix-run/cloudflare";
import { getDb, type Db } from "~/db/client.server";

export interface Deps {
  env: Env;
  db: Db;
}

export function depsFor(env: Env): Deps {
  return { env, db: getDb(env) };
}

const perRequest = new WeakMap<AppLoadContext, Deps>();

/** The request's deps, made once per load context (so one db per request). */
export function depsOf(context: AppLoadContext): Deps {
  let d = perRequest.get(context);
  if (!d) {
    d = depsFor(context.cloudflare.env);
    perRequest.set(context, d);
  }
  return d;
}

/** Who acts in a use case: the signed-in user (never an id from the request), for audit rows too. */
export interface Actor {
  user: { id: string; email: string };
  requestId?: string | null;
  /** Tests pin the clock; requests use Date.now(). */
  now?: number;
}
