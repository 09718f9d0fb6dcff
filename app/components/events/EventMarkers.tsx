import { useEffect, useRef, useState, type MouseEvent } from "react";
import type { Span } from "~/domain/timeline";
import { EVENT_TYPES } from "~/domain/camera-events";
import { useT } from "~/i18n/react";
import { paths } from "~/lib/paths";

/** One marker: an event of the shown day inside the owner's window (deviceEvents). */
export interface Marker {
  eventId: string;
  at: number;
  type: string;
  description: string | null;
  thumbnailUrl: string | null;
}

const isEventType = (type: string): type is (typeof EVENT_TYPES)[number] => (EVENT_TYPES as readonly string[]).includes(type);

/** An event type's name in the served language ("Person", 人); a type newer than the catalogue shows as sent. */
export function useEventTypeName(): (type: string) => string {
  const t = useT("events");
  return (type) => (isEventType(type) ? t(`types.${type}`) : type);
}

// 16×16 outline icons, one per detection type (drawn here: no icon font to load).
const ICONS: Record<string, string> = {
  person: "M8 2.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 0 1 0-5ZM3 14c0-3 2.2-5 5-5s5 2 5 5",
  package: "M2 5l6-3l6 3v6l-6 3l-6-3ZM2 5l6 3l6-3M8 8v6",
  vehicle: "M1.5 11V8l2-4h9l2 4v3ZM1.5 8h13M4.5 13.5a1.5 1.5 0 1 0 0-3a1.5 1.5 0 0 0 0 3ZM11.5 13.5a1.5 1.5 0 1 0 0-3a1.5 1.5 0 0 0 0 3Z",
  animal: "M8 9c-2.5 0-4 2-4 3.5S5.5 14 8 14s4-.5 4-1.5S10.5 9 8 9ZM3 6.5a1 1 0 1 0 0 .1M13 6.5a1 1 0 1 0 0 .1M6 3.5a1 1 0 1 0 0 .1M10 3.5a1 1 0 1 0 0 .1",
  motion: "M2 8h5M2 5h8M2 11h8M11 4l3 4l-3 4",
  sound: "M2 6h3l4-3v10l-4-3H2ZM11 5.5a3.5 3.5 0 0 1 0 5M12.5 3.5a6 6 0 0 1 0 9",
};

export function EventIcon({ type }: { type: string }) {
  return (
    <svg className="event-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={ICONS[type] ?? ICONS.motion} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A marker's width with its gap (px), the lanes a busy stretch may stack into, and the width assumed before layout. */
const MARKER_PX = 26;
const MAX_LANES = 3;
const ASSUMED_WIDTH_PX = 800;

/** Lane per marker (sorted by time): the first lane where it doesn't cover the previous one; else the least covered. */
export function lanesOf(fractions: number[], widthPx: number): number[] {
  const lastX: number[] = [];
  return fractions.map((f) => {
    const x = f * widthPx;
    let lane = lastX.findIndex((prev) => x - prev >= MARKER_PX);
    if (lane < 0) lane = lastX.length < MAX_LANES ? lastX.length : lastX.indexOf(Math.min(...lastX));
    lastX[lane] = x;
    return lane;
  });
}

const pct = (ms: number, view: Span) => `${(((ms - view.start) / (view.end - view.start)) * 100).toFixed(3)}%`;

/**
 * The day's events as markers over the timeline bar (a row of its own: the bar is a slider, whose
 * children can't be controls). Each is a link to the device page at its moment, so it works before
 * JavaScript; with it, `onChoose` plays from there in place. Hover or keyboard focus shows the
 * snapshot, the description and the time.
 */
export function EventMarkers({
  deviceId,
  markers,
  view,
  dayLabel,
  time,
  onChoose,
}: {
  deviceId: string;
  markers: Marker[];
  view: Span;
  dayLabel: string;
  time: (ms: number) => string;
  onChoose: ((at: number) => void) | null;
}) {
  const t = useT("events");
  const typeName = useEventTypeName();
  const row = useRef<HTMLOListElement>(null);
  const any = markers.length > 0;
  const [width, setWidth] = useState(ASSUMED_WIDTH_PX);
  useEffect(() => {
    const el = row.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || ASSUMED_WIDTH_PX));
    ro.observe(el);
    return () => ro.disconnect();
  }, [any]);
  const shown = markers.filter((m) => m.at >= view.start && m.at < view.end).sort((a, b) => a.at - b.at);
  // Close events stack into lanes (a day on a phone), so each marker stays visible and hoverable.
  const lanes = lanesOf(
    shown.map((m) => (m.at - view.start) / (view.end - view.start)),
    width,
  );
  const laneCount = Math.max(1, ...lanes.map((l) => l + 1));
  if (!any) return null;
  return (
    <ol
      ref={row}
      className="tl__markers"
      aria-label={t("markers.label", { day: dayLabel })}
      data-testid="event-markers"
      style={{ height: `${laneCount * 1.75}rem` }}
    >
      {shown.map((m, i) => {
        const label = t("markers.at", { type: typeName(m.type), time: time(m.at) });
        const click = (e: MouseEvent<HTMLAnchorElement>) => {
          if (!onChoose || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onChoose(m.at);
        };
        const f = (m.at - view.start) / (view.end - view.start);
        return (
          <li
            key={m.eventId}
            style={{ left: pct(m.at, view), top: `${(laneCount - 1 - lanes[i]) * 1.75}rem` }}
            className={f > 0.7 ? "tl__marker--end" : f < 0.3 ? "tl__marker--start" : undefined}
          >
            <a
              href={`${paths.deviceAt(deviceId, m.at)}#history`}
              className="tl__marker"
              data-type={m.type}
              data-at={new Date(m.at).toISOString()}
              data-testid="event-marker"
              aria-label={label}
              onClick={click}
            >
              <EventIcon type={m.type} />
              <span className="tl__peek" data-testid="event-peek">
                {m.thumbnailUrl ? <img src={m.thumbnailUrl} alt="" width={160} height={90} loading="lazy" /> : null}
                <strong>{label}</strong>
                {m.description ? <span>{m.description}</span> : null}
              </span>
            </a>
          </li>
        );
      })}
    </ol>
  );
}
