import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import type { ReactNode } from "react";
import { rootMessages } from "~/i18n/meta";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/Field";
import { PlanOutlookLine, PlanTimeline } from "~/components/PlanOutlook";
import { DeviceStory } from "~/components/DeviceStory";
import { TrialMeter } from "~/components/TrialMeter";
import { ClipForm } from "~/components/watch/ClipForm";
import { clipFormState } from "~/components/watch/clip-form.server";
import { historyReason, lockTexts } from "~/components/watch/copy";
import { LivePlayer } from "~/components/watch/LivePlayer";
import { Timeline } from "~/components/watch/Timeline";
import { cameraLabel } from "~/domain/camera-name";
import { accessWindow, resolvePlaybackQuota } from "~/domain/cloud-access-window";
import { dayKeyOf, dayRangeOf, nextDayKey } from "~/domain/time-zone";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { idParam } from "~/http/params.server";
import { pageRefusal } from "~/http/page-refusal.server";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { formatDate, formatDateTime, formatDay } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { viewerTimeZone } from "~/lib/time-zone.server";
import { depsOf } from "~/models/deps.server";
import { CameraNameInput } from "~/models/devices/inputs";
import { describeDevice, deviceStoryQuery } from "~/models/devices/reads.server";
import { renameCamera } from "~/models/devices/rename.server";
import { ownedPlayback } from "~/models/video/playback-access.server";
import { cameraDay } from "~/models/events/camera-day.server";
import { deviceEvents } from "~/models/events/timeline.server";
import { CameraDaySection } from "~/components/events/CameraDay";
import eventStyles from "~/styles/events.css?url";
import videoStyles from "~/styles/video.css?url";

// /account/devices/:id — one camera: live view (WebRTC, else HLS), the history its owner may watch
// as a timeline drawn from the real footage (locked where the window ends, with the reason), in-page
// playback, clip downloads and the camera's name. Owner only: anyone else gets the friendly 404.
// Every time is shown in the viewer's zone (profile, else browser, else UTC), named on the page,
// and the clip form's datetime-local values mean that zone (sent along as `tz`). ADR 014.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: videoStyles },
  { rel: "stylesheet", href: eventStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  // No data is the 404: its title in the served language (the root loader's messages).
  const messages = rootMessages(matches);
  if (data) return [{ title: `${cameraLabel(data.device)} · ${data.device.serial} — AOVIS Edge` }];
  return messages ? [{ title: messages.devices.meta.notFound }] : [];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Signed out → login; not the owner, unknown or malformed id → the friendly 404.
  const user = await requireUser(request, context);
  const param = idParam(params, "device");
  if (!param.ok) throw pageRefusal(param, request);
  const id = param.id;
  const deps = depsOf(context);
  const owned = await ownedPlayback(deps, id, { user });
  if (!owned.ok) throw pageRefusal(owned, request);
  const ctx = owned.playback;
  const now = Date.now();
  const locale = requestLocale(request);
  const { zone, source: zoneSource } = viewerTimeZone(request, user);
  const access = accessWindow({ entitlements: ctx.entitlements, ownershipStartedAt: ctx.ownershipStartedAt, now });
  const quota = resolvePlaybackQuota(ctx.entitlements, now);
  const window = access.ok ? access.window : null;
  const ownedSince = `${formatDateTime(ctx.ownershipStartedAt, locale, zone)} (${zone})`;

  // Days (midnight to midnight in the viewer's zone) that hold any allowed footage, newest first.
  const url = new URL(request.url);
  const days: { key: string; label: string }[] = [];
  if (window && window.end > window.start) {
    for (let k = dayKeyOf(window.end, zone); ;) {
      const r = dayRangeOf(k, zone)!;
      if (r.end <= window.start) break;
      days.push({ key: k, label: formatDay(r.start, locale, zone) });
      if (r.start <= window.start) break;
      k = dayKeyOf(r.start - 1, zone);
    }
  }
  // ?at=<ISO> (a search result, an event): open its day and play from that moment, if it may be watched.
  const atAsked = Date.parse(url.searchParams.get("at") ?? "");
  const at = window && Number.isFinite(atAsked) && atAsked >= window.start && atAsked < window.end ? atAsked : null;
  const asked = url.searchParams.get("day") ?? (at !== null ? dayKeyOf(at, zone) : "");
  const dayKey = days.some((d) => d.key === asked) ? asked : (days[0]?.key ?? dayKeyOf(now, zone));
  const dayRange = dayRangeOf(dayKey, zone) ?? dayRangeOf(dayKeyOf(now, zone), zone)!;

  const actor = { user, requestId: context.requestId, now };
  const [device, today, events, [story]] = await Promise.all([
    describeDevice(deps, ctx.device, { userId: user.id, startedAt: ctx.ownershipStartedAt, name: ctx.cameraName }, now),
    cameraDay(deps, ctx.device.id, actor),
    // The shown day's markers through the events API's own model: only what this owner's window holds.
    window && dayRange.start < now ? deviceEvents(deps, ctx.device.id, { start: dayRange.start, end: Math.min(dayRange.end, now) }, actor) : null,
    // This camera's audit trail since this owner's ownership began (never a previous owner's).
    deps.db.batch([deviceStoryQuery(deps.db, user.id, ctx.device.id)]),
  ]);
  const markers = events?.ok
    ? events.events.map((e) => ({ eventId: e.eventId, at: Date.parse(e.at), type: e.type, description: e.description, thumbnailUrl: e.thumbnailUrl }))
    : [];

  return {
    locale,
    zone,
    zoneSource,
    story,
    now,
    device,
    today,
    markers,
    at,
    hasLiveChannel: !!ctx.device.webrtcChannelArn,
    window,
    ownershipStartedAt: ctx.ownershipStartedAt,
    reason: historyReason(quota, access.ok ? access.limitedBy : null, ownedSince, translatorFor(request, "watch")),
    locks: lockTexts(quota, ownedSince, translatorFor(request, "watch")),
    days,
    day: { key: dayKey, label: formatDay(dayRange.start, locale, zone), start: dayRange.start, end: dayRange.end, next: nextDayKey(dayKey) },
    clip: clipFormState({ url, playback: ctx, window, quotaDays: quota?.days ?? 0, now, zone, locale, language: requestLanguage(request) }),
  };
}

/** The camera's name (the same schema as POST /api/devices/:id/name). */
export const action = formAction({
  intents: {
    rename: intent(CameraNameInput, async ({ input, params, context, request, actor }) => {
      const param = idParam(params, "device");
      if (!param.ok) return param;
      const r = await renameCamera(depsOf(context), { deviceId: param.id, name: input.name }, actor);
      const t = translatorFor(request, "devices");
      return r.ok ? { ok: true, message: t("replies.renamed", { name: r.name }) } : r;
    }),
  },
  maxBodyBytes: 1024,
});

function CameraName({ name, model }: { name: string | null; model: string }) {
  const t = useT("devices");
  const reply = useActionData<FormReply>();
  const nav = useNavigation();
  const saving = nav.state !== "idle" && nav.formData?.get("intent") === "rename";
  // In the page's language already: formAction and parseInput word it for the request.
  const mine = reply?.intent === "rename" ? reply : null;
  return (
    <details className="rename" open={!!mine && !mine.ok}>
      <summary>{name ? t("device.rename") : t("device.name")}</summary>
      <Form method="post" className="stack rename__form" preventScrollReset>
        <input type="hidden" name="intent" value="rename" />
        <Field
          name="name"
          id="camera-name"
          label={t("device.nameLabel")}
          hint={t("device.nameHint", { model })}
          defaultValue={name ?? ""}
          maxLength={60}
          required
          autoComplete="off"
          reply={mine}
        />
        <div>
          <button type="submit" disabled={saving}>
            {saving ? t("device.saving") : t("device.save")}
          </button>
        </div>
      </Form>
      <p aria-live="polite" className={mine && !mine.ok ? "field-error" : "muted"} data-testid="rename-result">
        {mine ? mine.message : ""}
      </p>
    </details>
  );
}

export default function DevicePage() {
  const data = useLoaderData<typeof loader>();
  const t = useT("devices");
  const { device, locale, zone, window, reason, days, day, clip } = data;
  const title = cameraLabel(device);
  const b = (chunks: ReactNode) => <strong>{chunks}</strong>;
  return (
    <>
      <p className="breadcrumb">
        <Link to={paths.devices}>{t("title")}</Link> / {device.serial}
      </p>
      <h1 data-testid="camera-title">
        {device.name ?? device.model}{" "}
        <span className="muted">
          · {device.name ? `${device.model} · ` : ""}
          {device.serial}
        </span>
      </h1>
      <PlanOutlookLine outlook={device.outlook} locale={locale} zone={zone} />
      <PlanTimeline outlook={device.outlook} locale={locale} zone={zone} />
      {device.outlook.kind === "trial" ? (
        <TrialMeter id={device.id} daysLeft={device.outlook.daysLeft} endsAt={device.outlook.endsAt} locale={locale} zone={zone} />
      ) : null}
      <p className="device-status">
        <span className="muted">{t("device.ownedSince", { date: formatDate(device.ownedSince, locale, zone) })}</span>
      </p>
      <CameraName name={device.name} model={device.model} />

      <LivePlayer deviceId={device.id} hasChannel={data.hasLiveChannel} title={title} />

      {data.today ? <CameraDaySection day={data.today} deviceId={device.id} locale={locale} /> : null}

      <section className="panel" aria-labelledby="history-title" id="history">
        <h2 id="history-title">{t("device.historyTitle")}</h2>
        <p data-testid="time-zone">
          {data.zoneSource === "profile"
            ? t.rich("device.zoneProfile", { b, zone })
            : data.zoneSource === "browser"
              ? t.rich("device.zoneBrowser", { b, zone })
              : t.rich("device.zone", { b, zone })}{" "}
          <Link to={`${paths.account}#time-zone`}>{t("device.changeZone")}</Link>
        </p>
        {window ? <p>{t.rich("device.watchFrom", { b, start: formatDateTime(window.start, locale, zone) })}</p> : null}
        <p className="history-reason" data-testid="history-reason">
          {reason.text}
          {reason.upgrade ? (
            <>
              {" "}
              <Link to={paths.services}>{t("device.seePlans")}</Link>
            </>
          ) : null}
        </p>
        {days.length > 0 ? (
          <nav aria-label={t("device.days")} className="timeline-days">
            <ul>
              {days.map((d) => (
                <li key={d.key}>
                  <Link to={`?day=${d.key}#history`} aria-current={d.key === day.key ? "date" : undefined} preventScrollReset>
                    {d.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <h3 className="tl__day">{day.label}</h3>
        <Timeline
          deviceId={device.id}
          locale={locale}
          zone={zone}
          now={data.now}
          day={day}
          window={window}
          ownershipStartedAt={data.ownershipStartedAt}
          locks={data.locks}
          initialAt={data.at}
          markers={data.markers}
        />
      </section>

      <ClipForm deviceId={device.id} clip={clip} locale={locale} />

      <section className="panel" aria-labelledby="story-title" id="story">
        <h2 id="story-title">{t("device.storyTitle")}</h2>
        <DeviceStory events={data.story} locale={locale} zone={zone} />
      </section>
    </>
  );
}
