import { AwsClient } from "aws4fetch";
import { KvsError, toKvsError, trimSlash, streamRef, type FetchLike, type KvsClientOptions, type KvsApiName, type FragmentSelectorType } from "./shared.ts";

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
export function createKvsArchiveClient(opts: KvsClientOptions, dataEndpointOf: (stream: string, api: KvsApiName) => Promise<string>) {
  const doFetch: FetchLike = opts.fetch ?? ((r) => fetch(r));
  const signer = new AwsClient({
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    sessionToken: opts.sessionToken,
    region: opts.region,
    service: "kinesisvideo",
    retries: 0,
  });
  const endpointFor = dataEndpointOf;

  async function post<T>(operation: string, endpoint: string, path: string, body: unknown): Promise<T> {
    const request = await signer.sign(`${trimSlash(endpoint)}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
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
