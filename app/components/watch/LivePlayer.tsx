import { useEffect, useRef, useState } from "react";
import type { LiveState } from "./live.client";
import { useHydrated } from "./useHydrated";

const STATE_WORDS: Record<LiveState, string> = {
  connecting: "Connecting to the camera…",
  webrtc: "Live (direct connection)",
  hls: "Live (streamed; a few seconds behind)",
  offline: "The camera is not reachable right now.",
};

/**
 * Live view: starts on its own once the page's JavaScript runs (WebRTC, else HLS; live.client.ts).
 * The player carries data-state (connecting | webrtc | hls | offline), said in words too.
 * Without JavaScript it only says that live view needs it: no settings, never credentials.
 */
export function LivePlayer({ deviceId, hasChannel, title }: { deviceId: string; hasChannel: boolean; title: string }) {
  const hydrated = useHydrated();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<LiveState>(hasChannel ? "connecting" : "offline");
  const [detail, setDetail] = useState<string | null>(null);
  const [run, setRun] = useState(0);

  useEffect(() => {
    if (!hydrated || !hasChannel || !video.current) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    import("./live.client").then(({ startLive }) => {
      if (cancelled || !video.current) return;
      stop = startLive(video.current, deviceId, (s, d) => {
        setState(s);
        setDetail(d ?? null);
      });
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [hydrated, hasChannel, deviceId, run]);

  return (
    <section className="panel" aria-labelledby="live-title" id="live">
      <h2 id="live-title">Live</h2>
      <div className="player player--live" data-testid="live-player" data-state={state}>
        <video ref={video} className="player__video" muted playsInline autoPlay aria-label={`Live view of ${title}`} />
        <noscript>
          <p className="player__overlay">Live view needs JavaScript. Turn it on to watch this camera live here.</p>
        </noscript>
        {hydrated && state !== "webrtc" && state !== "hls" ? (
          <p className="player__overlay" aria-hidden="true">
            {hasChannel ? STATE_WORDS[state] : "This camera has no live channel yet."}
          </p>
        ) : null}
      </div>
      <div className="player__status">
        <p aria-live="polite" data-testid="live-status">
          {hydrated ? (hasChannel ? STATE_WORDS[state] : "This camera has no live channel yet.") : null}
          {hydrated && detail ? <span className="muted"> {detail}</span> : null}
        </p>
        {hydrated && hasChannel && state === "offline" ? (
          <button type="button" className="button--ghost" onClick={() => setRun((n) => n + 1)}>
            Try again
          </button>
        ) : null}
      </div>
      <p className="muted">Live view is part of owning the camera: it works on every plan, including Local.</p>
    </section>
  );
}
