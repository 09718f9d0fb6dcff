import { AwsV4Signer } from "aws4fetch";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { getDb } from "~/db/client.server";
import { entitlements, type Device, type Entitlement } from "~/db/schema";
import {
  checkRange,
  MAX_CLIP_SPAN_MS,
  splitClipRange,
  type EntitlementLike,
  type TimeWindow,
} from "~/domain/cloud-access-window";
import { CLOUD_TRIAL, cloudPlanBySku } from "~/domain/plans";
import { requireUser, type AuthContext, type SessionUser } from "~/lib/auth.server";
import { getConfig } from "~/lib/config.server";
import { deviceIdParam } from "~/lib/device-params.server";
import { jsonError } from "~/lib/http.server";
import { KvsError, kvsClientFromConfig, withRetry, type KvsClient } from "~/lib/kvs.server";
import { log } from "~/lib/log.server";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import type { Deps } from "~/models/deps.server";
import { getOwnedDevice } from "~/models/devices/reads.server";

/**
 * Cloud video for the owner of a device (ADR 010): who may see which stretch of history, and the
 * guards every KVS call from a request goes through (per-stream pacing, AWS errors as 502s).
 * The rule itself lives in app/domain/cloud-access-window.ts; this module only gathers its facts
 * (this user's entitlements on this device and the start of this user's current ownership).
 */

/** KVS allows 5 GetClip and 5 GetHLSStreamingSessionURL calls per second per stream. */
export const KVS_TPS_PER_STREAM = 5;

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

export function toEntitlementLike(row: Entitlement): EntitlementLike {
  return {
    key: row.key,
    quota: row.quota,
    status: row.status,
    startsAt: row.startsAt,
    expiresAt: row.expiresAt,
    source: row.source,
    planCode: row.source === "trial" ? "trial" : (cloudPlanBySku(row.sku)?.code ?? null),
  };
}

export interface PlaybackContext {
  device: Device;
  ownershipStartedAt: number;
  entitlements: EntitlementLike[];
}

/**
 * The device and the facts of its access window, only for its current owner (null otherwise:
 * callers answer 404). Entitlements are this user's on this device: a previous owner's plan
 * never opens anything for the new owner, and vice versa.
 */
export async function loadPlaybackContext(deps: Deps, deviceId: string, userId: string): Promise<PlaybackContext | null> {
  const { db } = deps;
  const owned = await getOwnedDevice(deps, deviceId, userId);
  if (!owned) return null;
  const rows = await db
    .select()
    .from(entitlements)
    .where(and(eq(entitlements.deviceId, deviceId), eq(entitlements.userId, userId), eq(entitlements.key, "cloud_playback"), eq(entitlements.status, "ACTIVE")));
  return { device: owned.device, ownershipStartedAt: owned.ownership.startedAt, entitlements: rows.map(toEntitlementLike) };
}

export interface OwnedPlayback {
  user: SessionUser;
  /** The device id from the URL (validated). */
  id: string;
  env: Env;
  db: Db;
  ctx: PlaybackContext;
}

/**
 * The opening every cloud-video route and the device page share: signed in (401 / login redirect),
 * a well-formed `:id`, and the caller owns the device now. Anything else throws the same JSON 404
 * (malformed, someone else's and unknown ids are indistinguishable).
 */
export async function requireOwnedPlayback(request: Request, params: Record<string, string | undefined>, context: AuthContext): Promise<OwnedPlayback> {
  const user = await requireUser(request, context);
  const id = deviceIdParam(params);
  const env = context.cloudflare.env;
  const db = getDb(env);
  const ctx = await loadPlaybackContext({ env, db }, id, user.id);
  if (!ctx) throw jsonError(404, "not_found", "No such device.");
  return { user, id, env, db, ctx };
}

/** What the plan is called in sentences ("Standard plan", "free trial"). */
export function planLabel(e: Pick<EntitlementLike, "source" | "planCode"> | null): string {
  if (!e) return "no plan";
  if (e.source === "trial" || e.planCode === "trial") return CLOUD_TRIAL.name;
  const code = e.planCode ?? "";
  const name = code ? code.charAt(0).toUpperCase() + code.slice(1) : "current";
  return `${name} plan`;
}

// ---------------------------------------------------------------------------------------------
// Query parameters

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A point in time: epoch milliseconds, or ISO-8601. An ISO time without a zone (what a
 * datetime-local input sends) is UTC, which is how every page shows times.
 */
export const TimeParam = z
  .string()
  .trim()
  .max(40)
  .transform((v, ctx) => {
    let ms = Number.NaN;
    if (/^\d{1,16}$/.test(v)) ms = Number(v);
    else if (ISO_8601.test(v)) ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO-8601 time (e.g. 2026-11-25T10:00:00Z) or Unix milliseconds" });
      return z.NEVER;
    }
    return ms;
  });

export const RangeQuery = z.object({ start: TimeParam, end: TimeParam });

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoWindow = (w: TimeWindow) => ({ start: iso(w.start), end: iso(w.end) });

// ---------------------------------------------------------------------------------------------
// The gate

export type GateResult = { ok: true; range: TimeWindow; window: TimeWindow } | { ok: false; response: Response };

/**
 * The window check, then KVS's 24 h cap. Order matters: a range outside the entitlement is a
 * 403 even if it is also too long, so nobody learns anything from the length error.
 */
export function gateRange(ctx: PlaybackContext, start: number, end: number, now: number): GateResult {
  const r = checkRange({ entitlements: ctx.entitlements, ownershipStartedAt: ctx.ownershipStartedAt, now, start, end });
  if (!r.ok) {
    if (r.error === "invalid_range") {
      return { ok: false, response: jsonError(400, "invalid_range", "The start must be before the end, and the end can't be in the future.") };
    }
    if (r.error === "no_cloud_entitlement") {
      return { ok: false, response: jsonError(403, "no_cloud_entitlement", "This camera has no cloud plan, so there is no history to watch. Live view still works.") };
    }
    const message =
      r.reason === "before_ownership"
        ? "That footage is from before this camera was on your account, so it isn't yours to see."
        : "That footage is older than your plan lets you see.";
    return { ok: false, response: jsonError(403, r.error, message, { window: isoWindow(r.window), reason: r.reason }) };
  }
  if (r.range.end - r.range.start > MAX_CLIP_SPAN_MS) {
    return {
      ok: false,
      response: jsonError(400, "range_too_long", "A clip can cover at most 24 hours. Ask for it in parts.", {
        maxSeconds: MAX_CLIP_SPAN_MS / 1000,
        parts: splitClipRange(r.range.start, r.range.end).map(isoWindow),
      }),
    };
  }
  return { ok: true, range: r.range, window: r.window };
}

// ---------------------------------------------------------------------------------------------
// Pacing and AWS errors

export type PacedApi = "GetClip" | "GetHLSStreamingSessionURL";

/**
 * A 1 s fixed window per stream and API in D1, so all isolates together stay under KVS's 5 TPS
 * instead of collecting ClientLimitExceededExceptions. Returns a 429 to send, or null to go on.
 */
export async function paceStream(env: Env, api: PacedApi, stream: string, now = Date.now()): Promise<Response | null> {
  const r = await reserveRateLimit(getDb(env), `kvs:${api}:${stream}`, { limit: KVS_TPS_PER_STREAM, windowMs: 1000, now });
  if (r.ok) return null;
  return jsonError(
    429,
    "rate_limited",
    "Too many video requests for this camera right now. Please try again in a moment.",
    { retryAfterSeconds: r.retryAfterSeconds },
    { headers: { "Retry-After": String(r.retryAfterSeconds) } },
  );
}

/**
 * A failed AWS call as a 502 with the AWS error code (never a 500: our side did nothing wrong).
 * Anything that isn't a KvsError (a 200 whose body isn't the JSON KVS promises, a missing field)
 * is still the video service's answer we can't use: 502 with awsCode InvalidResponse, logged as
 * an error because it means AWS (or something in between) changed under us.
 */
export function awsFailure(err: unknown, error: "clip_error" | "stream_error" | "live_error", requestId?: string): Response {
  if (!(err instanceof KvsError)) {
    log("error", error, {
      requestId,
      awsCode: "InvalidResponse",
      errorName: err instanceof Error ? err.name : typeof err,
      error: err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300),
    });
    return jsonError(502, error, "The video service sent an answer we could not read. Please try again in a moment.", { awsCode: "InvalidResponse" });
  }
  log("warn", error, { requestId, awsCode: err.code, status: err.status, operation: err.operation, awsRequestId: err.requestId });
  const message =
    err.code === "ResourceNotFoundException"
      ? "No recording was found for that time (the camera may have been offline)."
      : err.code === "ClientLimitExceededException"
        ? "The video service is busy right now. Please try again in a moment."
        : "The video service could not answer. Please try again in a moment.";
  return jsonError(502, error, message, { awsCode: err.code, operation: err.operation });
}

/** Throttling and 5xx get two quick retries: a viewer waiting on a download should not fail on one blip. */
export function retryQuickly<T>(fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, { retries: 2, baseDelayMs: 250, maxDelayMs: 1000 });
}

export function clipFilename(serial: string, range: TimeWindow): string {
  const stamp = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  const safeSerial = serial.replace(/[^A-Za-z0-9-]/g, "") || "camera";
  return `aovis-${safeSerial}-${stamp(range.start)}-${stamp(range.end)}.mp4`;
}

// ---------------------------------------------------------------------------------------------
// Live view

/**
 * A viewer's connect URL for KVS WebRTC signaling (WSS), presigned with SigV4 query parameters
 * like the KVS WebRTC SDK's SigV4RequestSigner does, so the browser never holds AWS credentials.
 */
export async function presignViewerUrl(env: Env, wssEndpoint: string, channelArn: string, clientId: string, expiresSeconds = 300): Promise<string> {
  const config = getConfig(env);
  const url = new URL(wssEndpoint);
  url.searchParams.set("X-Amz-ChannelARN", channelArn);
  url.searchParams.set("X-Amz-ClientId", clientId);
  url.searchParams.set("X-Amz-Expires", String(expiresSeconds));
  const signer = new AwsV4Signer({
    method: "GET",
    url: url.toString(),
    accessKeyId: config.AWS_ACCESS_KEY_ID,
    secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
    service: "kinesisvideo",
    region: config.AWS_REGION,
    signQuery: true,
  });
  return (await signer.sign()).url.toString();
}
