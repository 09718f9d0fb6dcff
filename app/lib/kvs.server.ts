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
import { AwsClient } from "aws4fetch";
import { createKvsArchiveClient, type KvsArchiveClient } from "./kvs/archive.ts";
import {
  KvsError,
  toKvsError,
  trimSlash,
  streamRef,
  type FetchLike,
  type KvsClientOptions,
  type StreamInfo,
  type RetentionOperation,
  type KvsApiName,
  type FragmentSelectorType,
  type HlsPlaybackMode,
  type TimestampRange,
  type ChannelInfo,
  type ChannelRole,
  type ChannelProtocol,
  type SignalingEndpoints,
  type IceServer,
  type ThingDescription,
  type CreatedThing,
  type ClipResponse,
} from "./kvs/shared.ts";

export * from "./kvs/shared.ts";
export * from "./kvs/archive.ts";

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

    async createSignalingChannel(input: {
      name: string;
      messageTtlSeconds?: number;
      tags?: { Key: string; Value: string }[];
    }): Promise<{ channelArn: string }> {
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

/** The archive client for the app's configuration, sharing `kvs`'s cached data endpoints. */
export function kvsArchiveClientFromConfig(
  config: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string; kvsEndpoint: string; iotEndpoint: string },
  kvs?: KvsClient,
  fetchImpl?: FetchLike,
): KvsArchiveClient {
  const opts = {
    accessKeyId: config.AWS_ACCESS_KEY_ID,
    secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
    region: config.AWS_REGION,
    kvsEndpoint: config.kvsEndpoint,
    iotEndpoint: config.iotEndpoint,
    fetch: fetchImpl,
  };
  // Data endpoints come from the control-plane client (cached there per stream and API).
  const control = kvs ?? createKvsClient(opts);
  return createKvsArchiveClient(opts, (stream, api) => control.getDataEndpoint(stream, api));
}
