import { useFetcher } from "@remix-run/react";
import type { FormReply } from "~/http/form-action.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { preview, type Recording } from "./types";

export function RecordingItem({ r, locale }: { r: Recording; locale: string }) {
  const fetcher = useFetcher();
  const pendingIntent = fetcher.formData?.get("intent");
  const outcome = fetcher.data as FormReply | undefined;
  const failed = fetcher.state === "idle" && outcome && !outcome.ok ? outcome : null;
  // Optimistic: the row disappears / the star flips at once; a failure brings the truth back.
  if (pendingIntent === "delete") return null;
  const favorite = pendingIntent === "favorite" ? fetcher.formData?.get("favorite") === "true" : r.favorite;
  const label = preview(r.text, 60);
  return (
    <li className="recording" data-testid="recording" data-recording-id={r.id} data-favorite={favorite ? "true" : "false"}>
      <div className="recording-main">
        <p className="recording-text">{preview(r.text)}</p>
        <p className="muted recording-meta">
          {r.voiceName ?? r.voiceId} · {formatDateTime(r.createdAt, locale)} ·{" "}
          {favorite ? "Kept (favorite)" : r.expiresAt ? `Deleted after ${formatDate(r.expiresAt, locale)}` : ""}
        </p>
        {r.status === "ready" ? <audio controls preload="none" src={r.audioUrl} aria-label={`Play: ${label}`} /> : <p className="muted">Saving…</p>}
        {failed ? (
          <p className="notice notice--error" role="alert">
            {failed.message}
          </p>
        ) : null}
      </div>
      <div className="recording-actions">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="favorite" />
          <input type="hidden" name="id" value={r.id} />
          <input type="hidden" name="favorite" value={favorite ? "false" : "true"} />
          <button type="submit" className={favorite ? "fav fav--on" : "fav"} aria-pressed={favorite} data-testid="favorite">
            <span aria-hidden="true">{favorite ? "★" : "☆"}</span> Favorite<span className="visually-hidden">: {label}</span>
          </button>
        </fetcher.Form>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={r.id} />
          <button type="submit" className="danger-outline" data-testid="delete">
            Delete<span className="visually-hidden">: {label}</span>
          </button>
        </fetcher.Form>
      </div>
    </li>
  );
}
