import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { MAX_QUERY_CHARS } from "~/domain/event-search";
import { parseInput, fieldErrors } from "~/http/input.server";
import { refusalMessage } from "~/http/refusals";
import { translatorFor, requestLanguage } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { useEventTypeName } from "~/components/events/EventMarkers";
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

// No data: the root error page says what happened, in the served language.
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/**
 * The form's sentence for what was wrong, in the served language (the schema's own messages are
 * English): an empty or too long query, a cursor that isn't one of ours.
 */
function searchFieldErrors(t: ReturnType<typeof translatorFor<"search">>, errors: Record<string, string>, raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (errors.q) out.q = (raw.q ?? "").trim() ? t("errors.tooLong", { max: MAX_QUERY_CHARS }) : t("errors.empty");
  if (errors.cursor) out.cursor = t("errors.cursor");
  for (const k of Object.keys(errors)) if (!(k in out)) out[k] = errors[k];
  return out;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const deps = depsOf(context);
  const language = requestLanguage(request);
  const t = translatorFor(language, "search");
  const url = new URL(request.url);
  const raw = Object.fromEntries(["q", "deviceId", "cursor"].flatMap((k) => (url.searchParams.has(k) ? [[k, url.searchParams.get(k)!]] : [])));
  const cams = await camerasOf(deps, user.id, Date.now());
  const cameras = cams.map((c) => ({ id: c.device.id, name: c.name, serial: c.device.serial, smartSearch: c.smartSearch && c.window !== null }));
  const base = {
    title: t("meta.title"),
    language,
    locale: requestLocale(request),
    cameras,
    asked: { q: raw.q ?? "", deviceId: raw.deviceId ?? "" },
    upgradeUrl: paths.services,
  };
  if (!raw.q && !raw.cursor) return { ...base, outcome: null, errors: null };

  const input = parseInput(EventSearchQuery, raw, language);
  if (!input.ok) return { ...base, outcome: null, errors: searchFieldErrors(t, fieldErrors(input.issues), raw) };
  const r = await searchEvents(deps, input.value, { user, requestId: context.requestId });
  if (!r.ok) {
    // Someone else's camera in the URL reads like an unknown one; no plan gets the upgrade prompt.
    const message = r.error === "not_found" ? t("errors.notYours") : refusalMessage(r, language);
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

/** The searches offered as links, in the served language (each one the search understands). */
const SUGGESTIONS = ["person", "package", "car", "yesterdayEvening", "since8am"] as const;

export default function SearchPage() {
  const { language, locale, cameras, asked, outcome, errors, upgradeUrl } = useLoaderData<typeof loader>();
  const t = useT("search");
  const typeName = useEventTypeName();
  const nav = useNavigation();
  const searching = nav.state === "loading" && nav.location?.pathname === paths.search;
  const anySearchable = cameras.some((c) => c.smartSearch);
  const qError = errors?.q ?? errors?.cursor;
  function emptyText(reason: EmptyReason | null, since: string | null): string {
    switch (reason) {
      case "outside_window":
        return since ? t("empty.outsideWindowSince", { since }) : t("empty.outsideWindow");
      case "not_yet":
        return t("empty.notYet");
      case "no_match":
        return t("empty.noMatch");
      case "no_events":
      default:
        return since ? t("empty.noEventsSince", { since }) : t("empty.noEvents");
    }
  }
  const suggest = (s: string) => `${paths.search}?${new URLSearchParams({ q: s, ...(asked.deviceId ? { deviceId: asked.deviceId } : {}) })}`;

  return (
    <div className="search-page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>

      {!anySearchable ? (
        <section className="panel upgrade" aria-labelledby="upgrade-title" data-testid="search-upgrade">
          <h2 id="upgrade-title">{t("upgrade.title")}</h2>
          <p>{cameras.length === 0 ? t("upgrade.noCameras") : t("upgrade.noPlan")}</p>
          <Link to={cameras.length === 0 ? paths.devices : upgradeUrl}>{cameras.length === 0 ? t("upgrade.devices") : t("upgrade.plans")}</Link>
        </section>
      ) : null}

      <Form method="get" action={paths.search} className="search-form" role="search" aria-busy={searching || undefined}>
        <label htmlFor="q">
          {t("form.q")}
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
          {t("form.camera")}
          <select id="deviceId" name="deviceId" defaultValue={asked.deviceId} key={asked.deviceId}>
            <option value="">{t("form.all")}</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} · {c.serial}
                {c.smartSearch ? "" : t("form.noSmartSearch")}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={searching}>
          {searching ? t("form.searching") : t("form.submit")}
        </button>
      </Form>

      <nav aria-label={t("suggestions.label")} className="suggestions">
        <span className="muted">{t("suggestions.try")}</span>
        <ul>
          {SUGGESTIONS.map((key) => {
            const s = t(`suggestions.${key}`);
            return (
              <li key={key}>
                <Link to={suggest(s)}>{s}</Link>
              </li>
            );
          })}
        </ul>
      </nav>

      {outcome && !outcome.ok ? (
        <section className="panel notice" role="status" data-testid="search-refused">
          <p>{outcome.message}</p>
          {outcome.error === "feature_not_in_plan" ? <Link to={upgradeUrl}>{t("upgrade.plans")}</Link> : null}
        </section>
      ) : null}

      {outcome?.ok ? (
        <section aria-labelledby="results-title" data-testid="search-results">
          <h2 id="results-title">
            {outcome.results.length ? t("results.results") : t("results.none")}
            {outcome.phrases.length ? <span className="muted"> · {outcome.phrases.join(language === "zh-CN" ? "，" : ", ")}</span> : null}
          </h2>
          {outcome.range ? (
            <p className="muted">
              {t("results.range", {
                start: formatDateTime(Date.parse(outcome.range.start), locale, outcome.timeZone),
                end: formatDateTime(Date.parse(outcome.range.end), locale, outcome.timeZone),
                zone: outcome.timeZone,
              })}
            </p>
          ) : null}
          {outcome.results.length === 0 ? (
            <p data-testid="search-empty" data-reason={outcome.empty ?? ""}>
              {emptyText(outcome.empty, outcome.searchable?.start ? formatDateTime(Date.parse(outcome.searchable.start), locale, outcome.timeZone) : null)}
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
                    <p className="search-desc">{r.description ?? t("results.detected", { type: typeName(r.type) })}</p>
                    <p className="muted">
                      <time dateTime={r.at}>{formatDateTime(Date.parse(r.at), locale, outcome.timeZone)}</time> · {r.deviceName}
                    </p>
                    <Link to={r.playUrl} data-testid="search-play">
                      {t("results.play")}
                      <span className="visually-hidden">{t("results.playOn", { camera: r.deviceName })}</span>
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
                {t("results.older")}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
