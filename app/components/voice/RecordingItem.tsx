import { useFetcher } from "@remix-run/react";
import type { FormReply } from "~/http/form-action.server";
import { useT } from "~/i18n/react";
import { formatDate, formatDateTime, formatTime } from "~/lib/format";
import { preview, type Recording } from "./types";

/** A just-deleted recording, in place: the confirmation and its "Undo" (a form post, so no JavaScript needed). */
function DeletedItem({
  r,
  until,
  locale,
  zone,
  fetcher,
  failed,
}: {
  r: Recording;
  until: number | null;
  locale: string;
  zone: string;
  fetcher: ReturnType<typeof useFetcher>;
  failed: FormReply | null;
}) {
  const t = useT("voice");
  const label = preview(r.text, 60);
  return (
    <li className="recording recording--deleted" data-testid="recording-deleted" data-recording-id={r.id}>
      <div className="recording-main" role="status">
        <p>
          <strong>{t("recording.deleted")}</strong> <span className="recording-text">{preview(r.text)}</span>
        </p>
        <p className="muted">{until ? t("recording.undoUntil", { time: formatTime(until, locale, zone) }) : t("recording.deleting")}</p>
        <FailedNotice failed={failed} />
      </div>
      {until ? (
        <div className="recording-actions">
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="restore" />
            <input type="hidden" name="id" value={r.id} />
            <button type="submit" data-testid="undo-delete">
              {t("recording.undo")}
              <span className="visually-hidden">{t("recording.undoWhich", { label })}</span>
            </button>
          </fetcher.Form>
        </div>
      ) : null}
    </li>
  );
}

/** What the last action on this recording refused, if anything. */
function FailedNotice({ failed }: { failed: { message: string } | null }) {
  return failed ? (
    <p className="notice notice--error" role="alert">
      {failed.message}
    </p>
  ) : null;
}

export function RecordingItem({ r, locale, zone }: { r: Recording; locale: string; zone: string }) {
  const t = useT("voice");
  const fetcher = useFetcher();
  const pendingIntent = fetcher.formData?.get("intent");
  const outcome = fetcher.data as FormReply | undefined;
  const failed = fetcher.state === "idle" && outcome && !outcome.ok ? outcome : null;
  // Optimistic: a deleted row turns into its confirmation, a restored one comes back, the star flips
  // at once; the reloaded list (or a failure) brings the truth back.
  if (pendingIntent === "delete") return <DeletedItem r={r} until={null} locale={locale} zone={zone} fetcher={fetcher} failed={null} />;
  if (r.undoUntil !== undefined && pendingIntent !== "restore")
    return <DeletedItem r={r} until={r.undoUntil} locale={locale} zone={zone} fetcher={fetcher} failed={failed} />;
  const favorite = pendingIntent === "favorite" ? fetcher.formData?.get("favorite") === "true" : r.favorite;
  const label = preview(r.text, 60);
  // Only a ready recording can be deleted, so one being restored (listed as deleted) has its audio: no "Saving…".
  const ready = r.status === "ready" || r.undoUntil !== undefined;
  return (
    <li className="recording" data-testid="recording" data-recording-id={r.id} data-favorite={favorite ? "true" : "false"}>
      <div className="recording-main">
        <p className="recording-text">{preview(r.text)}</p>
        <p className="muted recording-meta">
          {r.voiceName ?? r.voiceId} · {formatDateTime(r.createdAt, locale, zone)} ·{" "}
          {favorite ? t("recording.keptFavorite") : r.expiresAt ? t("recording.deletedAfter", { date: formatDate(r.expiresAt, locale, zone) }) : ""}
        </p>
        {ready ? (
          <audio controls preload="none" src={r.audioUrl} aria-label={t("recording.play", { label })} />
        ) : (
          <p className="muted">{t("recording.saving")}</p>
        )}
        <FailedNotice failed={failed} />
      </div>
      <div className="recording-actions">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="favorite" />
          <input type="hidden" name="id" value={r.id} />
          <input type="hidden" name="favorite" value={favorite ? "false" : "true"} />
          <button type="submit" className={favorite ? "fav fav--on" : "fav"} aria-pressed={favorite} data-testid="favorite">
            <span aria-hidden="true">{favorite ? "★" : "☆"}</span> {t("recording.favorite")}
            <span className="visually-hidden">{t("recording.which", { label })}</span>
          </button>
        </fetcher.Form>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={r.id} />
          <button type="submit" className="danger-outline" data-testid="delete">
            {t("recording.delete")}
            <span className="visually-hidden">{t("recording.which", { label })}</span>
          </button>
        </fetcher.Form>
      </div>
    </li>
  );
}
