import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { clipPartsOf, clipSpans, type Span } from "~/domain/timeline";
import { useT } from "~/i18n/react";
import { formatTime } from "~/lib/format";
import type { HlsPlayback } from "./hls.client";

const SPEEDS = [0.5, 1, 1.5, 2, 4];
const SKIP_S = 10;
/** A new HLS session is asked for this long before the current one expires. */
const RENEW_BEFORE_MS = 60_000;

type PlayState = "loading" | "playing" | "paused" | "ended" | "error";

interface Session {
  url: string;
  expiresAt: string;
}

/** A session refused without our API's sentence (the page words the status). */
class OpenFailed extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** An ON_DEMAND session for [start, end] from our API; a 429 (the per-stream pacer) waits its Retry-After. */
async function openSession(deviceId: string, start: number, end: number, signal: AbortSignal): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    const url = `/api/devices/${encodeURIComponent(deviceId)}/stream?start=${new Date(start).toISOString()}&end=${new Date(end).toISOString()}`;
    const res = await fetch(url, { signal, headers: { Accept: "application/json" } });
    const body = (await res.json().catch(() => ({}))) as Session & { message?: string };
    if (res.ok) return body;
    if (res.status === 429 && attempt < 5) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get("Retry-After") ?? 1) * 1000));
      continue;
    }
    // The API's sentence is already in the request's language.
    throw body.message ? new Error(body.message) : new OpenFailed(res.status);
  }
}

/**
 * Where position `seconds` of a playlist that starts at `base` is on the wall clock: KVS plays the
 * recorded fragments back to back (gaps are skipped), so walk the recorded spans.
 */
function wallClockAt(spans: readonly Span[], base: number, end: number, seconds: number): number {
  let left = seconds * 1000;
  for (const s of clipSpans(spans, { start: base, end })) {
    if (left < s.end - s.start) return s.start + left;
    left -= s.end - s.start;
  }
  return base + seconds * 1000;
}

export interface PlaybackProps {
  deviceId: string;
  range: { start: number; end: number };
  spans: Span[];
  locale: string;
  zone: string;
  clipPartSeconds: number | null;
  onPosition: (wallClock: number) => void;
  onClose: () => void;
}

/**
 * The recording player: HLS ON_DEMAND for the chosen range (hls.js, or the browser's own HLS),
 * with play/pause, seek, ±10 s, speed, full screen and keys (Space/K, ←/J, →/L, F, < and >). The
 * session is renewed before it expires; "Download clip" saves the recorded parts of the range as
 * MP4s, each short enough for one GetClip.
 */
export function PlaybackPlayer({ deviceId, range, spans, locale, zone, clipPartSeconds, onPosition, onClose }: PlaybackProps) {
  const t = useT("watch");
  const box = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayState>("loading");
  const [error, setError] = useState<string | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState(1);
  const base = useRef(range.start);
  const spansRef = useRef(spans);
  spansRef.current = spans;
  const speedRef = useRef(speed);
  speedRef.current = speed;
  const wall = (seconds: number) => wallClockAt(spansRef.current, base.current, range.end, seconds);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const ctrl = new AbortController();
    let playback: HlsPlayback | null = null;
    let renew: ReturnType<typeof setTimeout> | undefined;
    async function open(from: number) {
      const session = await openSession(deviceId, from, range.end, ctrl.signal);
      if (ctrl.signal.aborted || !v) return;
      const { attachHls } = await import("./hls.client");
      playback?.destroy();
      base.current = from;
      playback = await attachHls(v, session.url, { live: false, onFatal: (d) => !ctrl.signal.aborted && fail(t("playback.stopped", { detail: d })) });
      v.playbackRate = speedRef.current;
      v.play().catch(() => setState("paused"));
      // A session URL works for its lifetime only: ask for the rest of the range before it ends.
      renew = setTimeout(
        () => {
          if (!v.ended && !ctrl.signal.aborted) open(wall(v.currentTime)).catch((e: unknown) => fail(String(e)));
        },
        Math.max(10_000, Date.parse(session.expiresAt) - Date.now() - RENEW_BEFORE_MS),
      );
    }
    function fail(message: string) {
      setState("error");
      setError(message);
    }
    setState("loading");
    setError(null);
    open(range.start).catch(
      (e: unknown) =>
        !ctrl.signal.aborted && fail(e instanceof OpenFailed ? t("playback.openFailed", { status: e.status }) : e instanceof Error ? e.message : String(e)),
    );
    return () => {
      ctrl.abort();
      clearTimeout(renew);
      playback?.destroy();
    };
    // wall() reads refs only; a new range is a new player.
  }, [deviceId, range.start, range.end]);

  const onTime = () => {
    const v = video.current;
    if (!v) return;
    setTime(v.currentTime);
    onPosition(wall(v.currentTime));
  };
  const toggle = useCallback(() => {
    const v = video.current;
    if (!v) return;
    if (v.paused) v.play().catch(() => {});
    else v.pause();
  }, []);
  const skip = (s: number) => {
    const v = video.current;
    if (v) v.currentTime = Math.max(0, Math.min((v.duration || 0) - 0.5, v.currentTime + s));
  };
  const setRate = (r: number) => {
    setSpeed(r);
    if (video.current) video.current.playbackRate = r;
  };
  const fullScreen = () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else box.current?.requestFullscreen?.().catch(() => {});
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== box.current && e.target !== video.current) return; // the controls keep their own keys
    const i = SPEEDS.indexOf(speed);
    const actions: Record<string, () => void> = {
      " ": toggle,
      k: toggle,
      ArrowLeft: () => skip(-SKIP_S),
      j: () => skip(-SKIP_S),
      ArrowRight: () => skip(SKIP_S),
      l: () => skip(SKIP_S),
      f: fullScreen,
      ">": () => setRate(SPEEDS[Math.min(SPEEDS.length - 1, i + 1)]),
      "<": () => setRate(SPEEDS[Math.max(0, i - 1)]),
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };

  const now = wall(time);
  const partMs = (clipPartSeconds ?? 180) * 1000;
  const recorded = spans.length ? clipPartsOf(spans, range, partMs) : clipPartsOf([range], range, partMs);
  const clip = (p: Span) => `/api/devices/${encodeURIComponent(deviceId)}/clip?start=${new Date(p.start).toISOString()}&end=${new Date(p.end).toISOString()}`;
  const clock = (ms: number, s = false) => formatTime(ms, locale, zone, s);
  return (
    <section className="playback" aria-labelledby="playback-title" data-testid="playback" data-state={state} data-start={new Date(range.start).toISOString()}>
      <h3 id="playback-title">
        {t.rich("playback.title", { start: clock(range.start), end: clock(range.end), muted: (c) => <span className="muted">{c}</span> })}
      </h3>
      <div ref={box} className="player player--history" tabIndex={0} role="group" aria-label={t("playback.playerLabel")} onKeyDown={onKey}>
        <video
          ref={video}
          className="player__video"
          muted
          playsInline
          onTimeUpdate={onTime}
          onDurationChange={(e) => setDuration(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : 0)}
          onPlaying={() => setState("playing")}
          onPause={() => setState((s) => (s === "error" ? s : "paused"))}
          onEnded={() => setState("ended")}
          aria-label={t("playback.videoLabel", { start: clock(range.start) })}
        />
        {state === "loading" ? <p className="player__overlay">{t("playback.opening")}</p> : null}
        {state === "error" ? <p className="player__overlay">{error}</p> : null}
      </div>
      <div className="controls" role="group" aria-label={t("playback.controls")}>
        <button type="button" onClick={toggle} aria-label={state === "playing" ? t("playback.pause") : t("playback.play")}>
          {state === "playing" ? "❚❚" : "▶"}
        </button>
        <button type="button" className="button--ghost" onClick={() => skip(-SKIP_S)} aria-label={t("playback.back", { seconds: SKIP_S })}>
          {t("playback.skipBack", { seconds: SKIP_S })}
        </button>
        <button type="button" className="button--ghost" onClick={() => skip(SKIP_S)} aria-label={t("playback.forward", { seconds: SKIP_S })}>
          {t("playback.skipForward", { seconds: SKIP_S })}
        </button>
        <label className="controls__seek">
          <span className="visually-hidden">{t("playback.position")}</span>
          <input
            type="range"
            min={0}
            max={Math.max(1, Math.floor(duration))}
            step={1}
            value={Math.floor(time)}
            aria-valuetext={clock(now, true)}
            onChange={(e) => {
              if (video.current) video.current.currentTime = Number(e.currentTarget.value);
            }}
          />
        </label>
        <output className="controls__time" aria-live="off" data-testid="playback-time">
          {clock(now, true)}
        </output>
        <label className="controls__speed">
          <span className="visually-hidden">{t("playback.speed")}</span>
          <select value={speed} onChange={(e) => setRate(Number(e.currentTarget.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button--ghost" onClick={fullScreen}>
          {t("playback.fullScreen")}
        </button>
        <button type="button" className="button--ghost" onClick={onClose}>
          {t("playback.close")}
        </button>
      </div>
      <div className="playback__download">
        {recorded.length === 1 ? (
          <a className="button button--ghost" href={clip(recorded[0])} download data-testid="download-clip">
            {t("playback.downloadOne", { start: clock(recorded[0].start), end: clock(recorded[0].end) })}
          </a>
        ) : recorded.length > 1 ? (
          <details>
            <summary data-testid="download-clip">{t("playback.downloadParts", { count: recorded.length })}</summary>
            <ol className="clip-parts">
              {recorded.map((p) => (
                <li key={p.start}>
                  <a href={clip(p)} download>
                    {clock(p.start)}–{clock(p.end)}
                  </a>
                </li>
              ))}
            </ol>
          </details>
        ) : null}
      </div>
    </section>
  );
}
