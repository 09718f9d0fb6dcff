import { Link } from "@remix-run/react";
import { formatDateTime } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { CameraDay } from "~/models/events/camera-day.server";
import { EVENT_TYPE_NAMES as TYPE_NAMES } from "./EventMarkers";

/** "Today on this camera": the day's sentence (AI summaries), the newest events, and a way on to search. */
export function CameraDaySection({ day, deviceId, locale }: { day: CameraDay; deviceId: string; locale: string }) {
  const time = (iso: string) => formatDateTime(Date.parse(iso), locale, day.timeZone);
  return (
    <section className="panel" aria-labelledby="today-title" id="today" data-testid="camera-today">
      <h2 id="today-title">Today on this camera</h2>
      {day.upgrade === "cloud" ? (
        <p className="muted">
          Events are kept with the cloud history, which this camera's plan doesn't include. <Link to={paths.services}>See plans</Link>
        </p>
      ) : (
        <>
          {day.summary ? (
            <p className="camera-brief" data-testid="camera-brief">
              {day.summary}
            </p>
          ) : null}
          {day.upgrade === "ai" ? (
            <p className="muted">
              Descriptions, a daily brief and Smart search come with every paid cloud plan. <Link to={paths.services}>See plans</Link>
            </p>
          ) : null}
          {day.events.length === 0 ? (
            <p className="muted">Nothing has been detected today{day.timeZone === "UTC" ? " (UTC)" : ""}.</p>
          ) : (
            <ol className="camera-events" data-testid="camera-events">
              {day.events.map((e) => (
                <li key={e.eventId}>
                  {e.thumbnailUrl ? <img src={e.thumbnailUrl} alt="" width={96} height={54} loading="lazy" /> : null}
                  <span>
                    <strong>{TYPE_NAMES[e.type] ?? e.type}</strong>
                    {e.description ? ` — ${e.description}` : ""}
                    <br />
                    <Link to={e.playUrl}>
                      <time dateTime={e.at}>{time(e.at)}</time>
                      <span className="visually-hidden">, play this moment</span>
                    </Link>
                  </span>
                </li>
              ))}
            </ol>
          )}
          {day.total > day.events.length ? (
            <p className="muted">
              {day.total} events today. <Link to={`${paths.search}?${new URLSearchParams({ q: "today", deviceId })}`}>See them all</Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
