import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { MAX_QUERY_CHARS, SEARCH_SUGGESTIONS } from "~/domain/event-search";
import { parseInput, fieldErrors } from "~/http/input.server";
import { refusalMessage } from "~/http/refusals";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { camerasOf } from "~/models/events/access.server";
import { EventSearchQuery } from "~/models/events/inputs";
import { searchEvents, type EmptyReason } from "~/models/events/search.server";
import searchStyles from "~/styles/search.css?url";

// /account/search — Smart search over the caller's camera events: a GET form (works without
// JavaScript; the URL is the search), results newest first with snapshot, description, time in
// the viewer's zone, camera and a link that plays the moment. Same schema and model as
// GET /api/events/search; the page explains an empty page (no plan, no events, outside the window).

export const links: LinksFunction = () => [{ rel: "stylesheet", href: searchStyles }];

export const meta: MetaFunction = () => [{ title: "Search your cameras — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const deps = depsOf(context);
  const url = new URL(request.url);
  const raw = Object.fromEntries(["q", "deviceId", "cursor"].flatMap((k) => (url.searchParams.has(k) ? [[k, url.searchParams.get(k)!]] : [])));
  const cams = await camerasOf(deps, user.id, Date.now());
  const cameras = cams.map((c) => ({ id: c.device.id, name: c.name, serial: c.device.serial, smartSearch: c.smartSearch && c.window !== null }));
  const base = { locale: requestLocale(request), cameras, asked: { q: raw.q ?? "", deviceId: raw.deviceId ?? "" }, upgradeUrl: paths.services };
  if (!raw.q && !raw.cursor) return { ...base, outcome: null, errors: null };

  const input = parseInput(EventSearchQuery, raw);
  if (!input.ok) return { ...base, outcome: null, errors: fieldErrors(input.issues) };
  const r = await searchEvents(deps, input.value, { user, requestId: context.requestId });
  if (!r.ok) {
    // Someone else's camera in the URL reads like an unknown one; no plan gets the upgrade prompt.
    const message = r.error === "not_found" ? "That camera isn't one of yours." : refusalMessage(r);
    return { ...base, outcome: { ok: false as const, error: r.error, message }, errors: null };
  }
  return {
    ...base,
    outcome: {
      ok: true as const,
      results: r.results,
      nextCursor: r.nextCursor,
      empty: r.empty,
      phrases: r.query.phrases,
      range: r.query.range,
      timeZone: r.query.timeZone,
      searchable: r.searchable,
    },
    errors: null,
  };
}

const TYPE_ICONS: Record<string, string> = { person: "🧍", package: "📦", vehicle: "🚗", animal: "🐾", motion: "〰️", sound: "🔊" };

function emptyText(reason: EmptyReason | null, searchableFrom: string | null, locale: string, timeZone: string): string {
  const since = searchableFrom ? formatDateTime(Date.parse(searchableFrom), locale, timeZone) : null;
  switch (reason) {
    case "outside_window":
      return `That time is outside what your plans keep${since ? `: history is searchable from ${since}` : ""}.`;
    case "not_yet":
      return "That time hasn't come yet.";
    case "no_match":
      return "Nothing matched those words. Try fewer words, or one of the suggestions.";
    case "no_events":
    default:
      return `Your cameras haven't recorded any events${since ? ` since ${since}` : ""} yet.`;
  }
}

export default function SearchPage() {
  const { locale, cameras, asked, outcome, errors, upgradeUrl } = useLoaderData<typeof loader>();
  const nav = useNavigation();
  const searching = nav.state === "loading" && nav.location?.pathname === paths.search;
  const anySearchable = cameras.some((c) => c.smartSearch);
  const qError = errors?.q ?? errors?.cursor;
  const suggest = (s: string) => `${paths.search}?${new URLSearchParams({ q: s, ...(asked.deviceId ? { deviceId: asked.deviceId } : {}) })}`;

  return (
    <div className="search-page">
      <h1>Search your cameras</h1>
      <p className="muted">Ask for what happened, in your own words: “package yesterday”, “person since 8am”, “car last Tuesday”.</p>

      {!anySearchable ? (
        <section className="panel upgrade" aria-labelledby="upgrade-title" data-testid="search-upgrade">
          <h2 id="upgrade-title">Smart search comes with every paid cloud plan</h2>
          <p>
            {cameras.length === 0
              ? "You have no cameras yet. Activate one, then choose a cloud plan to search what it saw."
              : "None of your cameras has a paid cloud plan: cameras on Local or on the free trial can't be searched."}
          </p>
          <Link to={cameras.length === 0 ? paths.devices : upgradeUrl}>{cameras.length === 0 ? "Go to your devices" : "See the plans"}</Link>
        </section>
      ) : null}

      <Form method="get" action={paths.search} className="search-form" role="search" aria-busy={searching || undefined}>
        <label htmlFor="q">
          What are you looking for?
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={asked.q}
            key={asked.q}
            maxLength={MAX_QUERY_CHARS}
            required
            aria-invalid={qError ? true : undefined}
            aria-describedby={qError ? "q-error" : undefined}
          />
        </label>
        {qError ? (
          <span className="field-error" id="q-error">
            {qError}
          </span>
        ) : null}
        <label htmlFor="deviceId">
          Camera
          <select id="deviceId" name="deviceId" defaultValue={asked.deviceId} key={asked.deviceId}>
            <option value="">All my cameras</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} · {c.serial}
                {c.smartSearch ? "" : " (no Smart search)"}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={searching}>
          {searching ? "Searching…" : "Search"}
        </button>
      </Form>

      <nav aria-label="Suggestions" className="suggestions">
        <span className="muted">Try:</span>
        <ul>
          {SEARCH_SUGGESTIONS.map((s) => (
            <li key={s}>
              <Link to={suggest(s)}>{s}</Link>
            </li>
          ))}
        </ul>
      </nav>

      {outcome && !outcome.ok ? (
        <section className="panel notice" role="status" data-testid="search-refused">
          <p>{outcome.message}</p>
          {outcome.error === "feature_not_in_plan" ? <Link to={upgradeUrl}>See the plans</Link> : null}
        </section>
      ) : null}

      {outcome?.ok ? (
        <section aria-labelledby="results-title" data-testid="search-results">
          <h2 id="results-title">
            {outcome.results.length ? "Results" : "No results"}
            {outcome.phrases.length ? <span className="muted"> · {outcome.phrases.join(", ")}</span> : null}
          </h2>
          {outcome.range ? (
            <p className="muted">
              From {formatDateTime(Date.parse(outcome.range.start), locale, outcome.timeZone)} to{" "}
              {formatDateTime(Date.parse(outcome.range.end), locale, outcome.timeZone)} ({outcome.timeZone})
            </p>
          ) : null}
          {outcome.results.length === 0 ? (
            <p data-testid="search-empty" data-reason={outcome.empty ?? ""}>
              {emptyText(outcome.empty, outcome.searchable?.start ?? null, locale, outcome.timeZone)}
            </p>
          ) : (
            <ol className="search-results">
              {outcome.results.map((r) => (
                <li key={r.eventId} className="search-result" data-testid="search-result">
                  {r.thumbnailUrl ? (
                    <img src={r.thumbnailUrl} alt="" width={160} height={90} loading="lazy" />
                  ) : (
                    <span className="search-thumb-none" aria-hidden="true">
                      {TYPE_ICONS[r.type] ?? "•"}
                    </span>
                  )}
                  <div>
                    <p className="search-desc">{r.description ?? `${r.type[0].toUpperCase()}${r.type.slice(1)} detected`}</p>
                    <p className="muted">
                      <time dateTime={r.at}>{formatDateTime(Date.parse(r.at), locale, outcome.timeZone)}</time> · {r.deviceName}
                    </p>
                    <Link to={r.playUrl} data-testid="search-play">
                      Play this moment<span className="visually-hidden"> on {r.deviceName}</span>
                    </Link>
                  </div>
                </li>
              ))}
            </ol>
          )}
          {outcome.nextCursor ? (
            <p>
              <Link
                to={`${paths.search}?${new URLSearchParams({ q: asked.q, ...(asked.deviceId ? { deviceId: asked.deviceId } : {}), cursor: outcome.nextCursor })}`}
                rel="next"
              >
                Older results
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
