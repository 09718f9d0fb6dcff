import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { HOUR_MS, lockedStretches, spanAfter, spanAt, type LockReason, type Span } from "~/domain/timeline";
import { useT } from "~/i18n/react";
import { formatTime } from "~/lib/format";
import { EventMarkers, type Marker } from "../events/EventMarkers";
import { PlaybackPlayer } from "./PlaybackPlayer";
import { useHydrated } from "./useHydrated";
import { useTimeline } from "./useTimeline";

type Zoom = "hour" | "6h" | "day";
const ZOOMS: { id: Zoom; ms: number; tick: number; key: number }[] = [
  { id: "hour", ms: HOUR_MS, tick: 10 * 60_000, key: 60_000 },
  { id: "6h", ms: 6 * HOUR_MS, tick: HOUR_MS, key: 5 * 60_000 },
  { id: "day", ms: 24 * HOUR_MS, tick: 3 * HOUR_MS, key: 15 * 60_000 },
];
/** How much a chosen moment plays (one HLS session; the player can be asked again from its end). */
const PLAY_MS = HOUR_MS;

export interface TimelineProps {
  deviceId: string;
  locale: string;
  zone: string;
  now: number;
  day: { key: string; label: string; start: number; end: number };
  window: { start: number; end: number } | null;
  ownershipStartedAt: number;
  locks: Record<LockReason, string>;
  /** A moment to play once the recordings around it are known (the page's ?at=, from a search result). */
  initialAt?: number | null;
  /** The day's camera events (inside the owner's window), drawn over the bar. */
  markers?: Marker[];
}

const pct = (ms: number, view: Span) => `${(((ms - view.start) / (view.end - view.start)) * 100).toFixed(3)}%`;

/**
 * The history of one day in the viewer's zone: locked time (with its reason), recorded spans and
 * gaps from the timeline API, thumbnails, zoom (hour / 6 h / day). Choosing a moment — a click on
 * the bar, Enter on it (a slider: arrows move, Home/End), a span or a thumbnail — plays from it.
 * A locked or empty moment says why instead (never a dead click).
 */
export function Timeline({ deviceId, locale, zone, now: renderedNow, day, window, ownershipStartedAt, locks, initialAt, markers = [] }: TimelineProps) {
  const t = useT("watch");
  const hydrated = useHydrated();
  const [now, setNow] = useState(renderedNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const zoomLabel = (id: Zoom) => (id === "hour" ? t("timeline.zoomHour") : id === "6h" ? t("timeline.zoom6h") : t("timeline.zoomDay"));
  const [zoom, setZoom] = useState<Zoom>("day");
  const [viewStart, setViewStart] = useState(day.start);
  const [cursor, setCursor] = useState(Math.min(Math.max(renderedNow, day.start), day.end - 1));
  const [message, setMessage] = useState<string | null>(null);
  const [playing, setPlaying] = useState<{ start: number; end: number } | null>(null);
  const [playhead, setPlayhead] = useState<number | null>(null);
  const bar = useRef<HTMLDivElement>(null);

  // A new day (the day links) starts over at the day's zoom.
  useEffect(() => {
    setZoom("day");
    setViewStart(day.start);
    setCursor(Math.min(Math.max(Date.now(), day.start), day.end - 1));
    setMessage(null);
  }, [day.start, day.end]);

  const z = ZOOMS.find((x) => x.id === zoom)!;
  const view = useMemo<Span>(
    () => (zoom === "day" ? { start: day.start, end: day.end } : { start: viewStart, end: Math.min(viewStart + z.ms, day.end) }),
    [zoom, viewStart, day, z.ms],
  );
  const fetchable = !!window && view.start < now && view.end > window.start;
  const data = useTimeline(deviceId, view, hydrated && fetchable);
  const locked = lockedStretches({ start: view.start, end: Math.min(view.end, now) }, window, ownershipStartedAt);
  const time = (ms: number) => formatTime(ms, locale, zone);

  function lockAt(at: number): LockReason | null {
    return lockedStretches({ start: at, end: at + 1 }, window, ownershipStartedAt)[0]?.reason ?? null;
  }

  function describe(at: number): string {
    if (at >= now) return t("timeline.notYet", { time: time(at) });
    const reason = lockAt(at);
    if (reason) return t("timeline.locked", { time: time(at), reason: locks[reason] });
    if (at < data.coveredFrom && !data.complete) return t("timeline.loading", { time: time(at) });
    return spanAt(data.spans, at) ? t("timeline.recorded", { time: time(at) }) : t("timeline.notRecorded", { time: time(at) });
  }

  function choose(at: number) {
    setCursor(at);
    if (at >= now) return setMessage(t("timeline.future", { time: time(at) }));
    const reason = lockAt(at);
    if (reason) return setMessage(t("timeline.lockedChosen", { time: time(at), reason: locks[reason] }));
    if (at < data.coveredFrom && !data.complete) return setMessage(t("timeline.stillLoading", { time: time(at) }));
    const span = spanAt(data.spans, at) ?? spanAfter(data.spans, at);
    if (!span || span.start >= view.end) return setMessage(t("timeline.offline", { time: time(at) }));
    const from = Math.max(at, span.start);
    setMessage(from === at ? t("timeline.playing", { time: time(from) }) : t("timeline.playingNext", { time: time(at), next: time(from) }));
    setPlaying({ start: from, end: Math.min(from + PLAY_MS, now) });
  }

  // Play the asked moment once, as soon as the spans around it have loaded.
  const playedInitial = useRef(false);
  useEffect(() => {
    if (playedInitial.current || initialAt === null || initialAt === undefined) return;
    if (initialAt < data.coveredFrom && !data.complete) return;
    playedInitial.current = true;
    choose(initialAt);
    // choose() reads the latest spans; this runs again as loading progresses.
  }, [initialAt, data.coveredFrom, data.complete]);

  function momentAt(e: MouseEvent<HTMLDivElement>): number {
    const r = e.currentTarget.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
    return Math.round(view.start + f * (view.end - view.start - 1));
  }

  function onBarKey(e: KeyboardEvent<HTMLDivElement>) {
    const clamp = (v: number) => Math.min(view.end - 1, Math.max(view.start, v));
    const moves: Record<string, number> = { ArrowLeft: -z.key, ArrowRight: z.key, ArrowDown: -z.key, ArrowUp: z.key, PageDown: -4 * z.key, PageUp: 4 * z.key };
    if (e.key in moves) {
      e.preventDefault();
      const next = clamp(cursor + moves[e.key]);
      setCursor(next);
      if (lockAt(next)) setMessage(describe(next)); // a locked moment explains itself as the cursor reaches it
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      setCursor(e.key === "Home" ? view.start : clamp(Math.min(view.end, now) - 1));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      choose(cursor);
    }
  }

  function setZoomAround(id: Zoom) {
    const next = ZOOMS.find((x) => x.id === id)!;
    setZoom(id);
    if (id !== "day") setViewStart(day.start + Math.floor((cursor - day.start) / next.ms) * next.ms);
  }
  const step = (dir: -1 | 1) => {
    const start = Math.min(Math.max(day.start, viewStart + dir * z.ms), day.end - z.ms);
    setViewStart(start);
    setCursor(Math.min(Math.max(cursor, start), start + z.ms - 1));
  };

  const ticks: number[] = [];
  for (let s = day.start + Math.ceil((view.start - day.start) / z.tick) * z.tick; s <= view.end; s += z.tick) ticks.push(s);
  const spansInView = data.spans.filter((s) => s.end > view.start && s.start < view.end);
  const thumbs = data.thumbnails.filter((th) => th.at >= view.start && th.at < view.end);
  const loadingFrom = Math.max(view.start, window?.start ?? view.start);
  const loadingTo = Math.min(data.complete ? loadingFrom : data.coveredFrom, now, view.end);

  return (
    <div className="tl" data-testid="timeline">
      <div className="tl__tools">
        <div role="group" aria-label={t("timeline.zoom")} className="tl__zoom">
          {hydrated
            ? ZOOMS.map((x) => (
                <button
                  key={x.id}
                  type="button"
                  className={zoom === x.id ? "" : "button--ghost"}
                  aria-pressed={zoom === x.id}
                  onClick={() => setZoomAround(x.id)}
                >
                  {zoomLabel(x.id)}
                </button>
              ))
            : null}
        </div>
        {hydrated && zoom !== "day" ? (
          <div className="tl__step">
            <button
              type="button"
              className="button--ghost"
              onClick={() => step(-1)}
              disabled={view.start <= day.start}
              aria-label={t("timeline.earlier", { span: zoomLabel(z.id) })}
            >
              ◀
            </button>
            <span>
              {time(view.start)}–{time(view.end)}
            </span>
            <button
              type="button"
              className="button--ghost"
              onClick={() => step(1)}
              disabled={view.end >= day.end}
              aria-label={t("timeline.later", { span: zoomLabel(z.id) })}
            >
              ▶
            </button>
          </div>
        ) : null}
      </div>
      <EventMarkers deviceId={deviceId} markers={markers} view={view} dayLabel={day.label} time={time} onChoose={hydrated ? choose : null} />
      <div
        ref={bar}
        className="tl__bar"
        role="slider"
        tabIndex={0}
        aria-label={t("timeline.barLabel", { day: day.label, start: time(view.start), end: time(view.end) })}
        aria-valuemin={view.start}
        aria-valuemax={view.end}
        aria-valuenow={cursor}
        aria-valuetext={describe(cursor)}
        aria-describedby="tl-help"
        onKeyDown={onBarKey}
        onClick={(e) => choose(momentAt(e))}
        data-testid="timeline-bar"
        data-view-start={view.start}
        data-view-end={view.end}
      >
        {locked.map((l) => (
          <div
            key={l.start}
            className="tl__locked"
            data-reason={l.reason}
            style={{ left: pct(l.start, view), width: pct(view.start + l.end - l.start, view) }}
            title={locks[l.reason]}
          />
        ))}
        {now < view.end ? (
          <div className="tl__future" style={{ left: pct(Math.max(now, view.start), view), right: 0 }} title={t("timeline.notRecordedYet")} />
        ) : null}
        {hydrated && loadingTo > loadingFrom ? (
          <div className="tl__loading" style={{ left: pct(loadingFrom, view), width: pct(view.start + loadingTo - loadingFrom, view) }} />
        ) : null}
        {spansInView.map((s) => (
          <div
            key={s.start}
            className="tl__span"
            data-testid="timeline-span"
            style={{ left: pct(Math.max(s.start, view.start), view), width: pct(view.start + Math.min(s.end, view.end) - Math.max(s.start, view.start), view) }}
          />
        ))}
        <div className="tl__cursor" style={{ left: pct(cursor, view) }} aria-hidden="true" />
        {playhead !== null && playhead >= view.start && playhead < view.end ? (
          <div className="tl__playhead" style={{ left: pct(playhead, view) }} aria-hidden="true" />
        ) : null}
      </div>
      <div className="tl__ticks" aria-hidden="true">
        {ticks.map((s) => (
          <span key={s} style={{ left: pct(s, view) }}>
            {time(s)}
          </span>
        ))}
      </div>
      <p id="tl-help" className="field-hint">
        {hydrated ? t("timeline.help") : t("timeline.helpNoScript")}
      </p>
      <p className="tl__message" aria-live="polite" data-testid="timeline-message">
        {message}
      </p>
      {data.error ? (
        <p className="notice notice--error" role="alert">
          {data.error}
        </p>
      ) : null}
      {playing ? (
        <PlaybackPlayer
          key={playing.start}
          deviceId={deviceId}
          range={playing}
          spans={data.spans}
          locale={locale}
          zone={zone}
          clipPartSeconds={data.clipPartSeconds}
          onPosition={setPlayhead}
          onClose={() => {
            setPlaying(null);
            setPlayhead(null);
          }}
        />
      ) : null}
      {hydrated && fetchable ? (
        <>
          <h3 className="tl__subhead">{data.complete ? t("timeline.recordings", { count: spansInView.length }) : t("timeline.recordingsLoading")}</h3>
          {spansInView.length ? (
            <ul className="tl__spans">
              {spansInView.map((s) => (
                <li key={s.start}>
                  <button type="button" className="button--ghost" onClick={() => choose(Math.max(s.start, view.start))}>
                    <span className="visually-hidden">{t("timeline.play")}</span>
                    {time(Math.max(s.start, view.start))}–{time(Math.min(s.end, view.end))}
                  </button>
                </li>
              ))}
            </ul>
          ) : data.complete ? (
            <p className="muted">{t("timeline.nothingInPart")}</p>
          ) : null}
          {thumbs.length ? (
            <ul className="tl__thumbs" aria-label={t("timeline.pictures")}>
              {thumbs.map((th) => (
                <li key={th.at}>
                  <button type="button" onClick={() => choose(th.at)} aria-label={t("timeline.playFrom", { time: time(th.at) })}>
                    <img src={th.url} alt="" width={160} height={90} loading="lazy" data-testid="timeline-thumbnail" />
                    <span aria-hidden="true">{time(th.at)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
