import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT, useLocale } from "~/i18n/react";
import { paths } from "~/lib/paths";
import type { CamerasToday } from "~/models/events/camera-day.server";

type State = { at: "waiting" } | { at: "loaded"; today: CamerasToday } | { at: "failed"; message: string | null };

/**
 * "Today on your cameras": one sentence per camera with AI summaries, and the plans for the rest.
 * It loads after the page (GET /api/events/today) so /account/devices keeps its two D1 round
 * trips; before JavaScript (or if it fails) the section still leads to today's events in search.
 */
export function TodayBrief() {
  const t = useT("events");
  // "today" in the served language: the search reads 今天 as well (app/domain/time-phrases.ts).
  const searchToday = `${paths.search}?${new URLSearchParams({ q: t("cameraDay.todayQuery") })}`;
  const [state, setState] = useState<State>({ at: "waiting" });
  // Asked again when the reader switches language (the switcher's redirect keeps this page mounted):
  // the day's sentences are written in the owner's language.
  const language = useLocale();
  useEffect(() => {
    const ctrl = new AbortController();
    fetch(paths.eventsToday, { headers: { Accept: "application/json" }, signal: ctrl.signal })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as CamerasToday & { message?: string };
        // The API's sentence is already in the request's language.
        setState(res.ok ? { at: "loaded", today: body } : { at: "failed", message: body.message ?? null });
      })
      .catch(() => {
        if (!ctrl.signal.aborted) setState({ at: "failed", message: null });
      });
    return () => ctrl.abort();
  }, [language]);

  const today = state.at === "loaded" ? state.today : null;
  return (
    <section className="panel" aria-labelledby="brief-title" data-testid="today-brief" data-state={state.at} aria-busy={state.at === "waiting"}>
      <h2 id="brief-title">{t("brief.title")}</h2>
      {state.at === "waiting" ? (
        <p className="muted" data-testid="today-brief-fallback">
          {t("brief.fallback")} <Link to={searchToday}>{t("brief.fallbackLink")}</Link>
        </p>
      ) : null}
      {state.at === "failed" ? (
        <p className="muted" role="status">
          {state.message ?? t("brief.failed")} <Link to={searchToday}>{t("brief.failedLink")}</Link>
        </p>
      ) : null}
      {today && today.briefs.length ? (
        <ul className="plain-list today-briefs">
          {today.briefs.map((b) => (
            <li key={b.deviceId} data-testid="today-brief-camera">
              <Link to={`${paths.device(b.deviceId)}#today`}>
                {b.name} · {b.serial}
              </Link>
              {t("brief.separator")}
              {b.events === 0 ? t("brief.nothingYet") : b.summary.replace(/^(Today: |今天[：:]\s*)/, "")}
            </li>
          ))}
        </ul>
      ) : null}
      {today && today.withoutAi ? (
        <p className="muted" data-testid="today-brief-upgrade">
          {t("brief.withoutAi", {
            who: today.briefs.length === 0 && today.withoutAi === 1 ? "mine" : today.withoutAi === 1 ? "one" : today.briefs.length === 0 ? "all" : "some",
            count: today.withoutAi,
          })}{" "}
          <Link to={paths.services}>{t("brief.seePlans")}</Link>
        </p>
      ) : null}
      {today && today.briefs.length ? (
        <p>
          <Link to={searchToday}>{t("brief.search")}</Link>
        </p>
      ) : null}
    </section>
  );
}
