import { AwsClient } from "aws4fetch";

/**
 * Our client for AWS Kinesis Video Streams (control plane, archived media, signaling) and the
 * IoT registry, on aws4fetch only. Shapes: ../shared/API-SHAPES.md §3 (botocore models).
 *
 * - The SigV4 service and region are always passed explicitly: aws4fetch would otherwise guess
 *   them from the host, which is wrong for custom endpoints (stand-ins) and for `iot.` hosts.
 * - aws4fetch's own retry loop is off (retries: 0): retries are the caller's decision
 *   (`withRetry`), so a GetClip stream or an UpdateDataRetention is never silently sent twice.
 * - One client for the Worker and the ops CLIs (scripts/kvs-retention.mjs, provision-device.mjs),
 *   which import this file directly with Node's type stripping: no Remix or `~/` imports, and only
 *   erasable TypeScript (no parameter properties or enums).
 * - Timestamps are epoch seconds (numbers), as KVS's rest-json protocol carries them.
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

async function toKvsError(res: Response, operation: string): Promise<KvsError> {
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
    (typeof body.message === "string" && body.message) ||
    (typeof body.Message === "string" && body.Message) ||
    text.slice(0, 500) ||
    res.statusText;
  return new KvsError(normalizeErrorCode(rawCode), res.status, message, operation, res.headers.get("x-amzn-RequestId"));
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** Seconds since the epoch from a Date or Unix milliseconds. */
export function toEpochSeconds(t: Date | number): number {
  return (t instanceof Date ? t.getTime() : t) / 1000;
}

function streamRef(stream: string): { StreamName: string } | { StreamARN: string } {
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

export interface CreateStreamInput {
  name: string;
  dataRetentionInHours: number;
  deviceName?: string;
  mediaType?: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}

export interface HlsOptions {
  fragmentSelectorType?: FragmentSelectorType;
  /** Seconds, 300..43200 (AWS default 300). */
  expires?: number;
  containerFormat?: "FRAGMENTED_MP4" | "MPEG_TS";
  maxMediaPlaylistFragmentResults?: number;
  dataEndpoint?: string;
}

export type KvsClient = ReturnType<typeof createKvsClient>;

export function createKvsClient(opts: KvsClientOptions) {
  const doFetch: FetchLike = opts.fetch ?? ((r) => fetch(r));
  const common = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, sessionToken: opts.sessionToken, region: opts.region, retries: 0 };
  const kvsSigner = new AwsClient({ ...common, service: "kinesisvideo" });
  const iotSigner = new AwsClient({ ...common, service: "iot" });
  const kvsBase = trimSlash(opts.kvsEndpoint);
  const iotBase = trimSlash(opts.iotEndpoint);
  // Data endpoints are stable per stream and API; caching saves a subrequest per call.
  const dataEndpoints = new Map<string, string>();

  async function send(signer: AwsClient, operation: string, url: string, init: { method: "GET" | "POST"; body?: unknown }): Promise<Response> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const request = await signer.sign(url, {
      method: init.method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body,
    });
    let res: Response;
    try {
      res = await doFetch(request);
    } catch (err) {
      // A network failure is as retryable as a 5xx; report it in the same shape.
      // Node's fetch says only "fetch failed"; its cause names the reason (ECONNREFUSED…).
      const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
      const message = err instanceof Error ? err.message : String(err);
      throw new KvsError("NetworkError", 599, typeof cause === "string" ? `${message} (${cause})` : message, operation);
    }
    if (!res.ok) throw await toKvsError(res, operation);
    return res;
  }

  async function kvsJson<T>(operation: string, path: string, body: unknown, base = kvsBase): Promise<T> {
    const res = await send(kvsSigner, operation, `${trimSlash(base)}${path}`, { method: "POST", body });
    return (await res.json()) as T;
  }

  async function getDataEndpoint(stream: string, apiName: KvsApiName): Promise<string> {
    const key = `${stream}|${apiName}`;
    const cached = dataEndpoints.get(key);
    if (cached) return cached;
    const out = await kvsJson<{ DataEndpoint: string }>("GetDataEndpoint", "/getDataEndpoint", { ...streamRef(stream), APIName: apiName });
    dataEndpoints.set(key, out.DataEndpoint);
    return out.DataEndpoint;
  }

  return {
    async describeStream(stream: string): Promise<StreamInfo> {
      const out = await kvsJson<{ StreamInfo: StreamInfo }>("DescribeStream", "/describeStream", streamRef(stream));
      return out.StreamInfo;
    },

    /** `changeInHours` is a delta (≥ 1) added or removed; `currentVersion` from describeStream. */
    async updateDataRetention(input: { stream: string; currentVersion: string; operation: RetentionOperation; changeInHours: number }): Promise<void> {
      await kvsJson("UpdateDataRetention", "/updateDataRetention", {
        ...streamRef(input.stream),
        CurrentVersion: input.currentVersion,
        Operation: input.operation,
        DataRetentionChangeInHours: input.changeInHours,
      });
    },

    async createStream(input: CreateStreamInput): Promise<{ streamArn: string }> {
      const out = await kvsJson<{ StreamARN: string }>("CreateStream", "/createStream", {
        StreamName: input.name,
        DataRetentionInHours: input.dataRetentionInHours,
        ...(input.deviceName ? { DeviceName: input.deviceName } : {}),
        ...(input.mediaType ? { MediaType: input.mediaType } : {}),
        ...(input.kmsKeyId ? { KmsKeyId: input.kmsKeyId } : {}),
        ...(input.tags ? { Tags: input.tags } : {}),
      });
      return { streamArn: out.StreamARN };
    },

    getDataEndpoint,

    /**
     * GetClip for [start, end] (epoch seconds; at most 24 h, end in the past for server
     * timestamps). The body is the live response stream.
     */
    async getClip(
      stream: string,
      start: number,
      end: number,
      options: { fragmentSelectorType?: FragmentSelectorType; dataEndpoint?: string } = {},
    ): Promise<ClipResponse> {
      const endpoint = options.dataEndpoint ?? (await getDataEndpoint(stream, "GET_CLIP"));
      const res = await send(kvsSigner, "GetClip", `${trimSlash(endpoint)}/getClip`, {
        method: "POST",
        body: {
          ...streamRef(stream),
          ClipFragmentSelector: {
            FragmentSelectorType: options.fragmentSelectorType ?? "SERVER_TIMESTAMP",
            TimestampRange: { StartTimestamp: start, EndTimestamp: end },
          },
        },
      });
      if (!res.body) throw new KvsError("EmptyResponse", res.status, "GetClip answered without a body", "GetClip");
      const length = res.headers.get("Content-Length");
      return { body: res.body, contentType: res.headers.get("Content-Type") ?? "video/mp4", contentLength: length === null ? null : Number(length) };
    },

    /** ON_DEMAND needs `range` with both ends; LIVE must not have one; LIVE_REPLAY needs a start. */
    async getHlsStreamingSessionUrl(stream: string, mode: HlsPlaybackMode, range?: TimestampRange, options: HlsOptions = {}): Promise<string> {
      const endpoint = options.dataEndpoint ?? (await getDataEndpoint(stream, "GET_HLS_STREAMING_SESSION_URL"));
      const selectorType = options.fragmentSelectorType ?? "SERVER_TIMESTAMP";
      const out = await kvsJson<{ HLSStreamingSessionURL: string }>(
        "GetHLSStreamingSessionURL",
        "/getHLSStreamingSessionURL",
        {
          ...streamRef(stream),
          PlaybackMode: mode,
          HLSFragmentSelector: range
            ? {
                FragmentSelectorType: selectorType,
                TimestampRange: { StartTimestamp: range.start, ...(range.end !== undefined ? { EndTimestamp: range.end } : {}) },
              }
            : { FragmentSelectorType: selectorType },
          ...(options.expires !== undefined ? { Expires: options.expires } : {}),
          ...(options.containerFormat ? { ContainerFormat: options.containerFormat } : {}),
          ...(options.maxMediaPlaylistFragmentResults !== undefined ? { MaxMediaPlaylistFragmentResults: options.maxMediaPlaylistFragmentResults } : {}),
        },
        endpoint,
      );
      return out.HLSStreamingSessionURL;
    },

    async createSignalingChannel(input: { name: string; messageTtlSeconds?: number; tags?: { Key: string; Value: string }[] }): Promise<{ channelArn: string }> {
      const out = await kvsJson<{ ChannelARN: string }>("CreateSignalingChannel", "/createSignalingChannel", {
        ChannelName: input.name,
        ChannelType: "SINGLE_MASTER",
        ...(input.messageTtlSeconds !== undefined ? { SingleMasterConfiguration: { MessageTtlSeconds: input.messageTtlSeconds } } : {}),
        ...(input.tags ? { Tags: input.tags } : {}),
      });
      return { channelArn: out.ChannelARN };
    },

    /** By channel name or ARN. */
    async describeSignalingChannel(channel: string): Promise<ChannelInfo> {
      const ref = channel.startsWith("arn:") ? { ChannelARN: channel } : { ChannelName: channel };
      const out = await kvsJson<{ ChannelInfo: ChannelInfo }>("DescribeSignalingChannel", "/describeSignalingChannel", ref);
      return out.ChannelInfo;
    },

    async getSignalingChannelEndpoint(channelArn: string, role: ChannelRole, protocols: ChannelProtocol[] = ["WSS", "HTTPS"]): Promise<SignalingEndpoints> {
      const out = await kvsJson<{ ResourceEndpointList: { Protocol: ChannelProtocol; ResourceEndpoint: string }[] }>(
        "GetSignalingChannelEndpoint",
        "/getSignalingChannelEndpoint",
        { ChannelARN: channelArn, SingleMasterChannelEndpointConfiguration: { Protocols: protocols, Role: role } },
      );
      const endpoints: SignalingEndpoints = {};
      for (const e of out.ResourceEndpointList ?? []) endpoints[e.Protocol] = e.ResourceEndpoint;
      return endpoints;
    },

    /** `endpoint` is the HTTPS endpoint from getSignalingChannelEndpoint. */
    async getIceServerConfig(endpoint: string, channelArn: string, clientId?: string): Promise<IceServer[]> {
      const out = await kvsJson<{ IceServerList?: IceServer[] }>(
        "GetIceServerConfig",
        "/v1/get-ice-server-config",
        { ChannelARN: channelArn, ...(clientId ? { ClientId: clientId } : {}), Service: "TURN" },
        endpoint,
      );
      return out.IceServerList ?? [];
    },

    /** Idempotent for the same name and configuration; 409 ResourceAlreadyExistsException otherwise. */
    async createThing(name: string, input: { attributes?: Record<string, string>; thingTypeName?: string } = {}): Promise<CreatedThing> {
      const res = await send(iotSigner, "CreateThing", `${iotBase}/things/${encodeURIComponent(name)}`, {
        method: "POST",
        body: {
          ...(input.thingTypeName ? { thingTypeName: input.thingTypeName } : {}),
          ...(input.attributes ? { attributePayload: { attributes: input.attributes } } : {}),
        },
      });
      return (await res.json()) as CreatedThing;
    },

    async describeThing(name: string): Promise<ThingDescription> {
      const res = await send(iotSigner, "DescribeThing", `${iotBase}/things/${encodeURIComponent(name)}`, { method: "GET" });
      return (await res.json()) as ThingDescription;
    },
  };
}

/** The client for the app's configuration (`getConfig(env)` from ~/lib/config.server). */
export function kvsClientFromConfig(
  config: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string; kvsEndpoint: string; iotEndpoint: string },
  fetchImpl?: FetchLike,
): KvsClient {
  return createKvsClient({
    accessKeyId: config.AWS_ACCESS_KEY_ID,
    secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
    region: config.AWS_REGION,
    kvsEndpoint: config.kvsEndpoint,
    iotEndpoint: config.iotEndpoint,
    fetch: fetchImpl,
  });
}

// ---------------------------------------------------------------------------------------------
// Archived media for watching: ListFragments (the timeline) and GetImages (thumbnails).
// Shapes: botocore kinesis-video-archived-media 2017-09-30 (ListFragmentsInput/Output, Fragment,
// GetImagesInput/Output, Image); see standins/aws/fragments.mjs and images.mjs for the rules.

/** One archived fragment (timestamps in epoch seconds, possibly fractional). */
export interface KvsFragment {
  /** A long decimal string; grows with ingestion order. */
  FragmentNumber: string;
  FragmentSizeInBytes: number;
  ProducerTimestamp: number;
  ServerTimestamp: number;
  FragmentLengthInMilliseconds: number;
}

export interface FragmentPage {
  /** In no particular order, even across pages (AWS says so): sort before use. */
  fragments: KvsFragment[];
  /** Pass back to get the next page; null on the last one. */
  nextToken: string | null;
}

export type ImageError = "NO_MEDIA" | "MEDIA_ERROR";

export interface KvsImage {
  /** Epoch seconds of the sample. */
  TimeStamp: number;
  /** Set when there is no picture for that moment (NO_MEDIA: nothing recorded then). */
  Error?: ImageError;
  /** Base64 of the JPEG/PNG file. */
  ImageContent?: string;
}

export interface ImagePage {
  images: KvsImage[];
  nextToken: string | null;
}

export interface GetImagesInput {
  /** Epoch seconds; end − start ≤ 300. */
  start: number;
  end: number;
  /** Milliseconds between samples, ≥ 200. */
  samplingIntervalMs: number;
  format?: "JPEG" | "PNG";
  /** 1..100 (AWS default 80). */
  jpegQuality?: number;
  /** Both or neither (the picture's own size). */
  width?: number;
  height?: number;
  /** Page size 1..100; AWS never returns more than 25 per page. */
  maxResults?: number;
  nextToken?: string;
  selectorType?: FragmentSelectorType;
  dataEndpoint?: string;
}

export type KvsArchiveClient = ReturnType<typeof createKvsArchiveClient>;

/**
 * ListFragments and GetImages on the stream's data endpoint (from `dataEndpointOf`, normally the
 * cached `kvs.getDataEndpoint` of the main client, or `options.dataEndpoint`). Both are paced by
 * AWS (ListFragments: 5 TPS per stream): callers go through the per-stream pacer.
 */
export function createKvsArchiveClient(opts: KvsClientOptions, dataEndpointOf?: (stream: string, api: KvsApiName) => Promise<string>) {
  const doFetch: FetchLike = opts.fetch ?? ((r) => fetch(r));
  const signer = new AwsClient({
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    sessionToken: opts.sessionToken,
    region: opts.region,
    service: "kinesisvideo",
    retries: 0,
  });
  const endpointFor = (stream: string, api: KvsApiName) => (dataEndpointOf ? dataEndpointOf(stream, api) : createKvsClient(opts).getDataEndpoint(stream, api));

  async function post<T>(operation: string, endpoint: string, path: string, body: unknown): Promise<T> {
    const request = await signer.sign(`${trimSlash(endpoint)}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    let res: Response;
    try {
      res = await doFetch(request);
    } catch (err) {
      throw new KvsError("NetworkError", 599, err instanceof Error ? err.message : String(err), operation);
    }
    if (!res.ok) throw await toKvsError(res, operation);
    return (await res.json()) as T;
  }

  return {
    /**
     * One page of the fragments whose timestamps lie in [start, end] (epoch seconds, inclusive), or
     * the page after `range.nextToken`. maxResults 1..1000 (AWS default 100).
     */
    async listFragments(
      stream: string,
      range: { start: number; end: number } | { nextToken: string },
      options: { selectorType?: FragmentSelectorType; maxResults?: number; dataEndpoint?: string } = {},
    ): Promise<FragmentPage> {
      const endpoint = options.dataEndpoint ?? (await endpointFor(stream, "LIST_FRAGMENTS"));
      const out = await post<{ Fragments?: KvsFragment[]; NextToken?: string | null }>("ListFragments", endpoint, "/listFragments", {
        ...streamRef(stream),
        ...(options.maxResults !== undefined ? { MaxResults: options.maxResults } : {}),
        ...("nextToken" in range
          ? { NextToken: range.nextToken }
          : {
              FragmentSelector: {
                FragmentSelectorType: options.selectorType ?? "SERVER_TIMESTAMP",
                TimestampRange: { StartTimestamp: range.start, EndTimestamp: range.end },
              },
            }),
      });
      return { fragments: out.Fragments ?? [], nextToken: out.NextToken ?? null };
    },

    /** One page of images sampled every `samplingIntervalMs` from `start` (before `end`). */
    async getImages(stream: string, input: GetImagesInput): Promise<ImagePage> {
      const endpoint = input.dataEndpoint ?? (await endpointFor(stream, "GET_IMAGES"));
      const out = await post<{ Images?: KvsImage[]; NextToken?: string | null }>("GetImages", endpoint, "/getImages", {
        ...streamRef(stream),
        ImageSelectorType: input.selectorType ?? "SERVER_TIMESTAMP",
        StartTimestamp: input.start,
        EndTimestamp: input.end,
        SamplingInterval: input.samplingIntervalMs,
        Format: input.format ?? "JPEG",
        ...(input.jpegQuality !== undefined ? { FormatConfig: { JPEGQuality: String(input.jpegQuality) } } : {}),
        ...(input.width !== undefined ? { WidthPixels: input.width } : {}),
        ...(input.height !== undefined ? { HeightPixels: input.height } : {}),
        ...(input.maxResults !== undefined ? { MaxResults: input.maxResults } : {}),
        ...(input.nextToken !== undefined ? { NextToken: input.nextToken } : {}),
      });
      return { images: out.Images ?? [], nextToken: out.NextToken ?? null };
    },
  };
}

/** The archive client for the app's configuration, sharing `kvs`'s cached data endpoints. */
export function kvsArchiveClientFromConfig(
  config: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string; kvsEndpoint: string; iotEndpoint: string },
  kvs?: KvsClient,
  fetchImpl?: FetchLike,
): KvsArchiveClient {
  return createKvsArchiveClient(
    {
      accessKeyId: config.AWS_ACCESS_KEY_ID,
      secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
      region: config.AWS_REGION,
      kvsEndpoint: config.kvsEndpoint,
      iotEndpoint: config.iotEndpoint,
      fetch: fetchImpl,
    },
    kvs ? (stream, api) => kvs.getDataEndpoint(stream, api) : undefined,
  );
}
