/**
 * What the KVS clients share: shapes, the error type and its mapping, and the retry policy.
 * Imported by ../kvs.server.ts and ./archive.ts (with .ts extensions: the ops CLIs load these
 * files with Node's type stripping, so only erasable TypeScript and relative imports).
 */
export type FetchLike = (request: Request) => Promise<Response>;

export interface KvsClientOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** KVS control-plane base URL, e.g. https://kinesisvideo.us-east-1.amazonaws.com (config.kvsEndpoint). */
  kvsEndpoint: string;
  /** IoT control-plane base URL, e.g. https://iot.us-east-1.amazonaws.com (config.iotEndpoint). */
  iotEndpoint: string;
  fetch?: FetchLike;
}

export type StreamStatus = "CREATING" | "ACTIVE" | "UPDATING" | "DELETING";

export interface StreamInfo {
  DeviceName?: string;
  StreamName: string;
  StreamARN: string;
  MediaType?: string;
  KmsKeyId?: string;
  Version: string;
  Status: StreamStatus;
  /** Epoch seconds. */
  CreationTime: number;
  DataRetentionInHours: number;
}

export type RetentionOperation = "INCREASE_DATA_RETENTION" | "DECREASE_DATA_RETENTION";

export type KvsApiName =
  | "PUT_MEDIA"
  | "GET_MEDIA"
  | "LIST_FRAGMENTS"
  | "GET_MEDIA_FOR_FRAGMENT_LIST"
  | "GET_HLS_STREAMING_SESSION_URL"
  | "GET_DASH_STREAMING_SESSION_URL"
  | "GET_CLIP"
  | "GET_IMAGES";

export type FragmentSelectorType = "SERVER_TIMESTAMP" | "PRODUCER_TIMESTAMP";
export type HlsPlaybackMode = "LIVE" | "LIVE_REPLAY" | "ON_DEMAND";

/** Epoch seconds. */
export interface TimestampRange {
  start: number;
  end?: number;
}

export interface ChannelInfo {
  ChannelName: string;
  ChannelARN: string;
  ChannelType: "SINGLE_MASTER" | "FULL_MESH";
  ChannelStatus: StreamStatus;
  CreationTime: number;
  SingleMasterConfiguration?: { MessageTtlSeconds: number };
  Version: string;
}

export type ChannelRole = "MASTER" | "VIEWER";
export type ChannelProtocol = "WSS" | "HTTPS" | "WEBRTC";

export interface SignalingEndpoints {
  WSS?: string;
  HTTPS?: string;
  WEBRTC?: string;
}

export interface IceServer {
  Uris: string[];
  Username: string;
  Password: string;
  Ttl: number;
}

export interface ThingDescription {
  defaultClientId?: string;
  thingName: string;
  thingId: string;
  thingArn: string;
  thingTypeName?: string;
  attributes: Record<string, string>;
  version: number;
  billingGroupName?: string;
}

export interface CreatedThing {
  thingName: string;
  thingArn: string;
  thingId: string;
}

export interface ClipResponse {
  /** The MP4 bytes as they arrive; pass it on, never buffer it (a clip can be 100 MB). */
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: number | null;
}

/** An error answered by AWS (or the network). `code` is the AWS exception name. */
export class KvsError extends Error {
  // Plain fields, not parameter properties: Node's type stripping (the ops CLIs) can't transform those.
  readonly code: string;
  readonly status: number;
  readonly operation: string;
  readonly requestId: string | null;

  constructor(code: string, status: number, message: string, operation: string, requestId: string | null = null) {
    super(`${operation}: ${code} (${status}): ${message}`);
    this.name = "KvsError";
    this.code = code;
    this.status = status;
    this.operation = operation;
    this.requestId = requestId;
  }
}

/** Throttling and server-side failures are worth retrying; everything else is our bug or a fact. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof KvsError)) return false;
  return (
    err.code === "ClientLimitExceededException" ||
    err.code === "ThrottlingException" || // IoT's name for the same thing
    err.status >= 500
  );
}

/** "ns#Code:http://..." → "Code" (the forms AWS puts in x-amzn-ErrorType / __type). */
export function normalizeErrorCode(raw: string): string {
  let code = raw.trim();
  const colon = code.indexOf(":");
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.lastIndexOf("#");
  if (hash >= 0) code = code.slice(hash + 1);
  return code;
}

export async function toKvsError(res: Response, operation: string): Promise<KvsError> {
  const text = await res.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (e.g. a proxy's HTML page): keep the text as the message
  }
  const rawCode =
    res.headers.get("x-amzn-ErrorType") ??
    (typeof body.__type === "string" ? body.__type : null) ??
    (typeof body.code === "string" ? body.code : null) ??
    (typeof body.Code === "string" ? body.Code : null) ??
    `Http${res.status}`;
  const message =
    (typeof body.message === "string" && body.message) || (typeof body.Message === "string" && body.Message) || text.slice(0, 500) || res.statusText;
  return new KvsError(normalizeErrorCode(rawCode), res.status, message, operation, res.headers.get("x-amzn-RequestId"));
}

export const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** Seconds since the epoch from a Date or Unix milliseconds. */
export function toEpochSeconds(t: Date | number): number {
  return (t instanceof Date ? t.getTime() : t) / 1000;
}

export function streamRef(stream: string): { StreamName: string } | { StreamARN: string } {
  return stream.startsWith("arn:") ? { StreamARN: stream } : { StreamName: stream };
}

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** 0..1; defaults to Math.random (full jitter on the upper half of each step). */
  random?: () => number;
  retryIf?: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying retryable failures with exponential backoff:
 * delay_n = min(max, base·2^n) · (0.5 + 0.5·random). The last error is rethrown.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const { retries = 4, baseDelayMs = 200, maxDelayMs = 5000, sleep = defaultSleep, random = Math.random, retryIf = isRetryable, onRetry } = opts;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= retries || !retryIf(err)) throw err;
      const step = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      const delay = Math.round(step * (0.5 + 0.5 * random()));
      onRetry?.(err, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
