/**
 * HLS in a <video>, in the browser only (a .client module: never in the Worker bundle). hls.js
 * where Media Source Extensions exist (Chromium, Firefox, desktop Safari), the browser's own HLS
 * where they don't (iOS Safari). hls.js runs without its Web Worker, so the page's CSP needs no
 * worker-src (ADR 014). KVS session URLs carry their own credentials: no cookies, no headers.
 */
/** The browser can't play HLS at all (the page says so in its language). */
export class NoHlsError extends Error {}

export interface HlsPlayback {
  /** "hls.js" or "native", for the page's diagnostics. */
  engine: "hls.js" | "native";
  destroy(): void;
}

export interface HlsOptions {
  live: boolean;
  /** A fatal playback error (network, media) the caller should handle. */
  onFatal?: (detail: string) => void;
}

const HLS_MIME = "application/vnd.apple.mpegurl";

export async function attachHls(video: HTMLVideoElement, url: string, opts: HlsOptions): Promise<HlsPlayback> {
  const { default: Hls } = await import("hls.js");
  if (Hls.isSupported()) {
    const hls = new Hls({
      enableWorker: false,
      lowLatencyMode: false,
      // KVS LIVE playlists slide; ON_DEMAND ones are complete: start where the playlist starts.
      ...(opts.live ? { liveSyncDurationCount: 2 } : { startPosition: 0 }),
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) opts.onFatal?.(`${data.type}: ${data.details}`);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    return {
      engine: "hls.js",
      destroy: () => hls.destroy(),
    };
  }
  if (video.canPlayType(HLS_MIME)) {
    const onError = () => opts.onFatal?.(`native: ${video.error?.message ?? "media error"}`);
    video.addEventListener("error", onError);
    video.src = url;
    return {
      engine: "native",
      destroy: () => {
        video.removeEventListener("error", onError);
        video.removeAttribute("src");
        video.load();
      },
    };
  }
  throw new NoHlsError("This browser can't play HLS video.");
}
