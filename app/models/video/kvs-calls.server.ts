/**
 * How a request talks to KVS: one client per Worker env, two quick retries, and every failure as
 * a refusal with the AWS error code (the route answers 502: our side did nothing wrong).
 */
import { refuse, type Refusal } from "~/domain/result";
import { getConfig } from "~/lib/config.server";
import { KvsError, kvsArchiveClientFromConfig, kvsClientFromConfig, withRetry, type KvsArchiveClient, type KvsClient } from "~/lib/kvs.server";
import { log } from "~/lib/log.server";

const clients = new WeakMap<object, KvsClient>();

/** One client per Worker env, so GetDataEndpoint answers are cached across requests of an isolate. */
export function kvsFor(env: Env): KvsClient {
  let c = clients.get(env);
  if (!c) {
    c = kvsClientFromConfig(getConfig(env));
    clients.set(env, c);
  }
  return c;
}

const archives = new WeakMap<object, KvsArchiveClient>();

/** The archived-media client (ListFragments, GetImages) per Worker env, sharing kvsFor's data endpoints. */
export function archiveFor(env: Env): KvsArchiveClient {
  let a = archives.get(env);
  if (!a) {
    a = kvsArchiveClientFromConfig(getConfig(env), kvsFor(env));
    archives.set(env, a);
  }
  return a;
}

/** Throttling and 5xx get two quick retries: a viewer waiting on a download should not fail on one blip. */
export function retryQuickly<T>(fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, { retries: 2, baseDelayMs: 250, maxDelayMs: 1000 });
}

export type VideoServiceErrorCode = "clip_error" | "stream_error" | "live_error" | "timeline_error" | "thumbnail_error";

/**
 * The video service's answer we could not use. `awsCode` is the AWS exception name, or one of ours:
 * InvalidResponse (not the answer KVS promises), MissingEndpoint (no signaling endpoint).
 */
export type VideoServiceRefusal<C extends VideoServiceErrorCode = VideoServiceErrorCode> = Refusal<C, { awsCode: string; operation?: string }>;

/**
 * A failed AWS call as a refusal with its code. Anything that isn't a KvsError (a 200 whose body
 * isn't the JSON KVS promises, a missing field) is still the video service's answer we can't use:
 * awsCode InvalidResponse, logged as an error because it means AWS (or something in between)
 * changed under us.
 */
export function awsRefusal<C extends VideoServiceErrorCode>(err: unknown, error: C, requestId?: string | null): VideoServiceRefusal<C> {
  if (!(err instanceof KvsError)) {
    log("error", error, {
      requestId,
      awsCode: "InvalidResponse",
      errorName: err instanceof Error ? err.name : typeof err,
      error: err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300),
    });
    return refuse(error, { awsCode: "InvalidResponse" });
  }
  log("warn", error, { requestId, awsCode: err.code, status: err.status, operation: err.operation, awsRequestId: err.requestId });
  return refuse(error, { awsCode: err.code, operation: err.operation });
}
