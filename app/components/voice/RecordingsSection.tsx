import { Form, Link } from "@remix-run/react";
import { RECORDING_SEARCH_MAX_CHARS, RECORDING_TTL_DAYS } from "~/domain/voice-recordings";
import { useT } from "~/i18n/react";
import { formatNumber } from "~/lib/format";
import { paths } from "~/lib/paths";
import { RecordingItem } from "./RecordingItem";
import type { StudioData } from "./types";

/** A link to one page of the list, in GET /api/recordings' own query words. */
function listHref(page: number, favoritesOnly: boolean, search = ""): string {
  const q = new URLSearchParams();
  if (search) q.set("q", search);
  if (favoritesOnly) q.set("favoritesOnly", "true");
  if (page > 1) q.set("page", String(page));
  const s = q.toString();
  return `${paths.voice}${s ? `?${s}` : ""}#recordings-title`;
}

/** The user's recordings: all or favorites only, a page at a time (plain links, no JavaScript needed). */
export function RecordingsSection({ data }: { data: StudioData }) {
  const t = useT("voice");
  const { page, favoritesOnly, hasMore, q } = data.recordingsPage;
  return (
    <section aria-labelledby="recordings-title" className="recordings">
      <h2 id="recordings-title">{t("recordings.title")}</h2>
      <p className="muted">{t("recordings.kept", { days: RECORDING_TTL_DAYS })}</p>
      {/* A GET form: the search is the page's own URL (?q=…), so it works without JavaScript and can be bookmarked. */}
      <Form method="get" action={`${paths.voice}#recordings-title`} role="search" className="recording-search" data-testid="recording-search">
        <label htmlFor="recording-q">{t("recordings.searchLabel")}</label>
        {/* Keyed by the search, so after a client-side navigation (Clear search) the field shows the URL's words. */}
        <input
          key={q}
          id="recording-q"
          type="search"
          name="q"
          defaultValue={q}
          maxLength={RECORDING_SEARCH_MAX_CHARS}
          placeholder={t("recordings.searchPlaceholder")}
        />
        {favoritesOnly ? <input type="hidden" name="favoritesOnly" value="true" /> : null}
        <button type="submit" className="button--ghost">
          {t("recordings.search")}
        </button>
        {q ? <Link to={listHref(1, favoritesOnly)}>{t("recordings.clearSearch")}</Link> : null}
      </Form>
      <nav aria-label={t("recordings.filter")} className="recording-filter" data-testid="recording-filter">
        <Link to={listHref(1, false, q)} aria-current={favoritesOnly ? undefined : "page"}>
          {t("recordings.all")}
        </Link>{" "}
        ·{" "}
        <Link to={listHref(1, true, q)} aria-current={favoritesOnly ? "page" : undefined}>
          {t("recordings.favorites")}
        </Link>
      </nav>
      {data.recordings.length === 0 ? (
        <p data-testid="no-recordings">
          {q
            ? favoritesOnly
              ? t("recordings.noFavoritesMatch", { q })
              : t("recordings.noRecordingsMatch", { q })
            : favoritesOnly
              ? page > 1
                ? t("recordings.noMoreFavorites")
                : t("recordings.noFavorites")
              : page > 1
                ? t("recordings.noMoreRecordings")
                : t("recordings.none")}
        </p>
      ) : (
        <ul className="plain-list recording-list">
          {data.recordings.map((r) => (
            <RecordingItem key={r.id} r={r} locale={data.locale} zone={data.zone} />
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label={t("recordings.pages")} className="pager" data-testid="recording-pages">
          {page > 1 ? (
            <Link to={listHref(page - 1, favoritesOnly, q)} rel="prev">
              {t("recordings.newer")}
            </Link>
          ) : null}{" "}
          <span>{t("recordings.page", { page: formatNumber(page, data.locale) })}</span>{" "}
          {hasMore ? (
            <Link to={listHref(page + 1, favoritesOnly, q)} rel="next">
              {t("recordings.older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
