import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { paths } from "~/lib/paths";
import type { CamerasToday } from "~/models/events/camera-day.server";

type State = { at: "waiting" } | { at: "loaded"; today: CamerasToday } | { at: "failed"; message: string };

const searchToday = `${paths.search}?${new URLSearchParams({ q: "today" })}`;

/**
 * "Today on your cameras": one sentence per camera with AI summaries, and the plans for the rest.
 * It loads after the page (GET /api/events/today) so /account/devices keeps its two D1 round
 * trips; before JavaScript (or if it fails) the section still leads to today's events in search.
 */
export function TodayBrief() {
  const [state, setState] = useState<State>({ at: "waiting" });
  useEffect(() => {
    const ctrl = new AbortController();
    fetch(paths.eventsToday, { headers: { Accept: "application/json" }, signal: ctrl.signal })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as CamerasToday & { message?: string };
        setState(res.ok ? { at: "loaded", today: body } : { at: "failed", message: body.message ?? "Today's brief could not be loaded." });
      })
      .catch(() => {
        if (!ctrl.signal.aborted) setState({ at: "failed", message: "Today's brief could not be loaded." });
      });
    return () => ctrl.abort();
  }, []);

  const today = state.at === "loaded" ? state.today : null;
  return (
    <section className="panel" aria-labelledby="brief-title" data-testid="today-brief" data-state={state.at} aria-busy={state.at === "waiting"}>
      <h2 id="brief-title">Today on your cameras</h2>
      {state.at === "waiting" ? (
        <p className="muted" data-testid="today-brief-fallback">
          A one-line brief of each camera's day appears here with AI summaries. <Link to={searchToday}>See what your cameras saw today</Link>
        </p>
      ) : null}
      {state.at === "failed" ? (
        <p className="muted" role="status">
          {state.message} <Link to={searchToday}>See today's events in search</Link>
        </p>
      ) : null}
      {today && today.briefs.length ? (
        <ul className="plain-list today-briefs">
          {today.briefs.map((b) => (
            <li key={b.deviceId} data-testid="today-brief-camera">
              <Link to={`${paths.device(b.deviceId)}#today`}>
                {b.name} · {b.serial}
              </Link>
              : {b.events === 0 ? "nothing detected yet today." : b.summary.replace(/^Today: /, "")}
            </li>
          ))}
        </ul>
      ) : null}
      {today && today.withoutAi ? (
        <p className="muted" data-testid="today-brief-upgrade">
          {today.briefs.length === 0 && today.withoutAi === 1
            ? "Your camera has"
            : today.withoutAi === 1
              ? "One camera has"
              : today.briefs.length === 0
                ? "Your cameras have"
                : `${today.withoutAi} cameras have`}{" "}
          no daily brief: AI summaries come with every paid cloud plan. <Link to={paths.services}>See plans</Link>
        </p>
      ) : null}
      {today && today.briefs.length ? (
        <p>
          <Link to={searchToday}>Search what your cameras saw</Link>
        </p>
      ) : null}
    </section>
  );
}
