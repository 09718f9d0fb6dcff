import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/react";
import type { LiveDetail, LiveState } from "./live.client";
import { useHydrated } from "./useHydrated";

/**
 * Live view: starts on its own once the page's JavaScript runs (WebRTC, else HLS; live.client.ts).
 * The player carries data-state (connecting | webrtc | hls | offline), said in words too.
 * Without JavaScript it only says that live view needs it: no settings, never credentials.
 */
export function LivePlayer({ deviceId, hasChannel, title }: { deviceId: string; hasChannel: boolean; title: string }) {
  const t = useT("watch");
  const hydrated = useHydrated();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<LiveState>(hasChannel ? "connecting" : "offline");
  const [detail, setDetail] = useState<LiveDetail | null>(null);
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

  const stateWords = (s: LiveState) =>
    s === "connecting" ? t("live.state.connecting") : s === "webrtc" ? t("live.state.webrtc") : s === "hls" ? t("live.state.hls") : t("live.state.offline");
  const detailWords = (d: LiveDetail) =>
    d.code === "message"
      ? d.text
      : d.code === "streamStopped"
        ? t("live.detail.streamStopped", { detail: d.detail })
        : d.code === "failed"
          ? t("live.detail.failed", { detail: d.detail })
          : d.code === "dropped"
            ? t("live.detail.dropped")
            : d.code === "webrtcTimeout"
              ? t("live.detail.webrtcTimeout")
              : t("live.detail.noHls");

  return (
    <section className="panel" aria-labelledby="live-title" id="live">
      <h2 id="live-title">{t("live.title")}</h2>
      <div className="player player--live" data-testid="live-player" data-state={state}>
        <video ref={video} className="player__video" muted playsInline autoPlay aria-label={t("live.videoLabel", { title })} />
        <noscript>
          <p className="player__overlay">{t("live.noScript")}</p>
        </noscript>
        {hydrated && state !== "webrtc" && state !== "hls" ? (
          <p className="player__overlay" aria-hidden="true">
            {hasChannel ? stateWords(state) : t("live.noChannel")}
          </p>
        ) : null}
      </div>
      <div className="player__status">
        <p aria-live="polite" data-testid="live-status">
          {hydrated ? (hasChannel ? stateWords(state) : t("live.noChannel")) : null}
          {hydrated && detail ? <span className="muted"> {detailWords(detail)}</span> : null}
        </p>
        {hydrated && hasChannel && state === "offline" ? (
          <button type="button" className="button--ghost" onClick={() => setRun((n) => n + 1)}>
            {t("live.retry")}
          </button>
        ) : null}
      </div>
      <p className="muted">{t("live.everyPlan")}</p>
    </section>
  );
}
