import { Link } from "@remix-run/react";
import { paths } from "~/lib/paths";
import type { CameraBrief } from "~/models/events/camera-day.server";

/** "Today on your cameras": one sentence per camera with AI summaries, and the way to the others. */
export function TodayBrief({ briefs, withoutAi }: { briefs: CameraBrief[]; withoutAi: number }) {
  if (briefs.length === 0 && withoutAi === 0) return null;
  return (
    <section className="panel" aria-labelledby="brief-title" data-testid="today-brief">
      <h2 id="brief-title">Today on your cameras</h2>
      {briefs.length ? (
        <ul className="plain-list">
          {briefs.map((b) => (
            <li key={b.deviceId}>
              <Link to={`${paths.device(b.deviceId)}#today`}>
                {b.name} · {b.serial}
              </Link>
              : {b.summary.replace(/^Today: /, "")}
            </li>
          ))}
        </ul>
      ) : null}
      {withoutAi ? (
        <p className="muted">
          {withoutAi === 1 ? "One camera has" : `${withoutAi} cameras have`} no daily brief: it comes with every paid cloud plan.{" "}
          <Link to={paths.services}>See plans</Link>
        </p>
      ) : null}
      {briefs.length ? (
        <p>
          <Link to={paths.search}>Search what your cameras saw</Link>
        </p>
      ) : null}
    </section>
  );
}
