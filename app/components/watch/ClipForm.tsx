import { useEffect, useState } from "react";
import { Field } from "~/components/Field";
import { localInputOf } from "~/domain/time-zone";
import { useT } from "~/i18n/react";
import { formatDateTime } from "~/lib/format";
import type { ClipFormState } from "./clip-form.server";
import { MAX_CLIP_SPAN_MS } from "~/domain/cloud-access-window";

/** What one clip request may cover, in hours (copy.ts says the same on the server). */
const CLIP_SPAN_HOURS = MAX_CLIP_SPAN_MS / 3_600_000;

/**
 * "Download a clip": a plain GET form to the clip route (via=page), so it works before and without
 * JavaScript; refusals come back to this page with what was typed and the field that was wrong.
 * The datetime-local values are wall times in the viewer's zone, sent along as `tz`.
 */
export function ClipForm({ deviceId, clip, locale }: { deviceId: string; clip: ClipFormState; locale: string }) {
  const t = useT("watch");
  // The page may stay open for a while: the latest allowed end follows the clock.
  const [max, setMax] = useState(clip.max);
  useEffect(() => {
    const timer = setInterval(() => setMax(localInputOf(Date.now(), clip.zone)), 30_000);
    return () => clearInterval(timer);
  }, [clip.zone]);
  const reply = clip.reply;
  return (
    <section className="panel" aria-labelledby="clip-title" id="clip">
      <h2 id="clip-title">{t("clip.title")}</h2>
      {reply ? (
        <div className="notice notice--error" role="alert" data-testid="clip-error">
          <p>
            {reply.message}
            {clip.awsCode ? <span className="muted"> ({clip.awsCode})</span> : null}
          </p>
          {clip.parts.length > 0 ? (
            <ol className="clip-parts">
              {clip.parts.map((p) => (
                <li key={p.start}>
                  <a href={p.href} download>
                    {formatDateTime(p.start, locale, clip.zone)} – {formatDateTime(p.end, locale, clip.zone)}
                  </a>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
      {clip.defaults ? (
        <form method="get" action={`/api/devices/${deviceId}/clip`} className="stack clip-form" data-testid="clip-form">
          <input type="hidden" name="via" value="page" />
          <input type="hidden" name="tz" value={clip.zone} />
          <div className="clip-form__times">
            <Field
              name="start"
              id="clip-start"
              label={t("clip.start")}
              hint={`(${clip.zone})`}
              type="datetime-local"
              required
              defaultValue={clip.defaults.start}
              min={clip.min}
              max={max}
              reply={reply}
            />
            <Field
              name="end"
              id="clip-end"
              label={t("clip.end")}
              hint={`(${clip.zone})`}
              type="datetime-local"
              required
              defaultValue={clip.defaults.end}
              min={clip.min}
              max={max}
              reply={reply}
            />
          </div>
          <p className="field-hint">{t("clip.hint", { span: t("clip.span", { hours: CLIP_SPAN_HOURS }) })}</p>
          <div>
            <button type="submit">{t("clip.submit")}</button>
          </div>
        </form>
      ) : clip.justStarted ? (
        <p className="muted">{t("clip.justStarted")}</p>
      ) : (
        <p className="muted">{t("clip.needsPlan")}</p>
      )}
    </section>
  );
}
