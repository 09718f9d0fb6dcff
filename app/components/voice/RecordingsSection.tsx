import { Form, Link } from "@remix-run/react";
import { RECORDING_SEARCH_MAX_CHARS, RECORDING_TTL_DAYS } from "~/domain/voice-recordings";
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
  const { page, favoritesOnly, hasMore, q } = data.recordingsPage;
  return (
    <section aria-labelledby="recordings-title" className="recordings">
      <h2 id="recordings-title">Your recordings</h2>
      <p className="muted">Recordings are kept for {RECORDING_TTL_DAYS} days. Favorites are kept until you remove them.</p>
      {/* A GET form: the search is the page's own URL (?q=…), so it works without JavaScript and can be bookmarked. */}
      <Form method="get" action={`${paths.voice}#recordings-title`} role="search" className="recording-search" data-testid="recording-search">
        <label htmlFor="recording-q">Search your recordings</label>
        {/* Keyed by the search, so after a client-side navigation (Clear search) the field shows the URL's words. */}
        <input key={q} id="recording-q" type="search" name="q" defaultValue={q} maxLength={RECORDING_SEARCH_MAX_CHARS} placeholder="Words or a voice name" />
        {favoritesOnly ? <input type="hidden" name="favoritesOnly" value="true" /> : null}
        <button type="submit" className="button--ghost">
          Search
        </button>
        {q ? <Link to={listHref(1, favoritesOnly)}>Clear search</Link> : null}
      </Form>
      <nav aria-label="Which recordings" className="recording-filter" data-testid="recording-filter">
        <Link to={listHref(1, false, q)} aria-current={favoritesOnly ? undefined : "page"}>
          All
        </Link>{" "}
        ·{" "}
        <Link to={listHref(1, true, q)} aria-current={favoritesOnly ? "page" : undefined}>
          Favorites
        </Link>
      </nav>
      {data.recordings.length === 0 ? (
        <p data-testid="no-recordings">
          {q
            ? `No ${favoritesOnly ? "favorites" : "recordings"} match “${q}”.`
            : favoritesOnly
              ? page > 1
                ? "No more favorites."
                : "No favorites yet: mark a recording as a favorite to keep it."
              : page > 1
                ? "No more recordings."
                : "Nothing yet: your generations will appear here."}
        </p>
      ) : (
        <ul className="plain-list recording-list">
          {data.recordings.map((r) => (
            <RecordingItem key={r.id} r={r} locale={data.locale} zone={data.zone} />
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label="Pages of recordings" className="pager" data-testid="recording-pages">
          {page > 1 ? (
            <Link to={listHref(page - 1, favoritesOnly, q)} rel="prev">
              Newer
            </Link>
          ) : null}{" "}
          <span>Page {formatNumber(page, data.locale)}</span>{" "}
          {hasMore ? (
            <Link to={listHref(page + 1, favoritesOnly, q)} rel="next">
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
