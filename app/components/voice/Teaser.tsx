import { Link } from "@remix-run/react";
import { paths } from "~/lib/paths";

/** The studio for someone signed out: what it does, the plans, a way in. */
export function Teaser({ tiers }: { tiers: { code: string; name: string; features: readonly string[] }[] }) {
  return (
    <>
      <section className="hero" aria-labelledby="voice-title">
        <h1 id="voice-title">Voice studio</h1>
        <p className="lede">
          Turn text into natural speech for camera announcements, greetings and clips. Pick a voice, type your text, and play it back instantly.
        </p>
        <p>
          <Link className="button" to={paths.login(paths.voice)} data-testid="voice-sign-in">
            Sign in to start generating
          </Link>{" "}
          <Link className="button button--ghost" to="/store">
            Compare plans
          </Link>
        </p>
      </section>
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Plans</h2>
        <div className="grid">
          {tiers.map((t) => (
            <article className="card" key={t.code}>
              <h3 className="card-title">{t.name}</h3>
              <ul className="features">
                {t.features.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
