import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { formatDateTime } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { CameraDay } from "~/models/events/camera-day.server";
import { useEventTypeName } from "./EventMarkers";

/** "Today on this camera": the day's sentence (AI summaries), the newest events, and a way on to search. */
export function CameraDaySection({ day, deviceId, locale }: { day: CameraDay; deviceId: string; locale: string }) {
  const t = useT("events");
  const typeName = useEventTypeName();
  const time = (iso: string) => formatDateTime(Date.parse(iso), locale, day.timeZone);
  return (
    <section className="panel" aria-labelledby="today-title" id="today" data-testid="camera-today">
      <h2 id="today-title">{t("cameraDay.title")}</h2>
      {day.upgrade === "cloud" ? (
        <p className="muted">
          {t("cameraDay.noCloud")} <Link to={paths.services}>{t("cameraDay.seePlans")}</Link>
        </p>
      ) : (
        <>
          {/* With nothing today the line below says so in the page's language; the sentence would repeat it. */}
          {day.summary && day.total > 0 ? (
            <p className="camera-brief" data-testid="camera-brief">
              {day.summary}
            </p>
          ) : null}
          {day.upgrade === "ai" ? (
            <p className="muted">
              {t("cameraDay.noAi")} <Link to={paths.services}>{t("cameraDay.seePlans")}</Link>
            </p>
          ) : null}
          {day.events.length === 0 ? (
            <p className="muted">{day.timeZone === "UTC" ? t("cameraDay.nothingUtc") : t("cameraDay.nothing")}</p>
          ) : (
            <ol className="camera-events" data-testid="camera-events">
              {day.events.map((e) => (
                <li key={e.eventId}>
                  {e.thumbnailUrl ? <img src={e.thumbnailUrl} alt="" width={96} height={54} loading="lazy" /> : null}
                  <span>
                    <strong>{typeName(e.type)}</strong>
                    {e.description ? ` — ${e.description}` : ""}
                    <br />
                    <Link to={e.playUrl}>
                      <time dateTime={e.at}>{time(e.at)}</time>
                      <span className="visually-hidden">{t("cameraDay.playMoment")}</span>
                    </Link>
                  </span>
                </li>
              ))}
            </ol>
          )}
          {day.total > day.events.length ? (
            <p className="muted">
              {t("cameraDay.total", { count: day.total })}{" "}
              <Link to={`${paths.search}?${new URLSearchParams({ q: t("cameraDay.todayQuery"), deviceId })}`}>{t("cameraDay.seeAll")}</Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
