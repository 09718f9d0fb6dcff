import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import {
  accessWindow,
  checkRange,
  DAY_MS,
  MAX_CLIP_SPAN_MS,
  resolvePlaybackQuota,
  splitClipRange,
  type PlaybackQuota,
  type TimeWindow,
} from "~/domain/cloud-access-window";
import { CLOUD_PLANS, cloudPlanByCode } from "~/domain/plans";
import type { RefusalCode } from "~/domain/result";
import { LONGEST_HISTORY_DAYS } from "~/domain/video-limits";
import { idParam } from "~/http/params.server";
import { pageRefusal } from "~/http/page-refusal.server";
import { requireUser } from "~/lib/auth.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { describeDevice } from "~/models/devices/reads.server";
import { cameraDay } from "~/models/events/camera-day.server";
import { CameraDaySection } from "~/components/events/CameraDay";
import type { ClipResult } from "~/models/video/clip.server";
import { RangeQuery } from "~/models/video/inputs";
import { ownedPlayback, type PlaybackContext } from "~/models/video/playback-access.server";
import videoStyles from "~/styles/video.css?url";

// /account/devices/:id — one camera: live view, the cloud history its owner may watch (per-hour
// blocks of the allowed window, with the reason anything older is hidden) and clip downloads.
// Owner only: anyone else gets the friendly 404. Every time on the page is UTC, like the rest of
// the account pages, so the datetime-local inputs mean UTC too (the clip route reads them so).

export const links: LinksFunction = () => [{ rel: "stylesheet", href: videoStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.device.model} · ${data.device.serial} — AOVIS Edge` : "Not found — AOVIS Edge" },
];

const HOUR_MS = 3600_000;
/** No plan keeps more than LONGEST_HISTORY_DAYS: a longer "range" in the URL is crafted, never ours. */
const MAX_PARTS_SPAN_MS = (LONGEST_HISTORY_DAYS + 1) * DAY_MS;
/** "24 hours": what one clip may cover (KVS GetClip's cap), in the page's words. */
const CLIP_SPAN_TEXT = `${MAX_CLIP_SPAN_MS / HOUR_MS} hours`;

/** "2026-11-25" (UTC) for a time. */
const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** What a datetime-local input shows for a UTC time (minutes; rounded up when `up`, so a bound stays inside the window). */
const localInput = (ms: number, up = false) => new Date(up ? Math.ceil(ms / 60_000) * 60_000 : ms).toISOString().slice(0, 16);

const clipHref = (deviceId: string, start: number, end: number) =>
  `/api/devices/${deviceId}/clip?${new URLSearchParams({ start: new Date(start).toISOString(), end: new Date(end).toISOString() })}`;

function daysText(days: number): string {
  return days === 1 ? `${DAY_MS / HOUR_MS} hours` : `${days} days`;
}

/** Why the history stops where it does, in the customer's words. */
function historyReason(
  quota: PlaybackQuota | null,
  limitedBy: "plan" | "ownership" | null,
  ownedSince: number,
  locale: string,
): { text: string; upgrade: boolean } {
  if (!quota) return { text: "This camera has no cloud plan, so no history is kept for you. Live view still works.", upgrade: true };
  const bigger = [...new Set(CLOUD_PLANS.map((p) => p.historyDays).filter((d) => d > quota.days))].sort((a, b) => a - b);
  let planText: string;
  if (quota.source === "trial") {
    planText = `Your free trial keeps ${daysText(quota.days)}${bigger.length ? ` — choose a plan to see up to ${bigger[bigger.length - 1]} days` : ""}.`;
  } else {
    const name = quota.planCode ? cloudPlanByCode(quota.planCode)?.name : undefined;
    planText = `${name ? `Your ${name} plan` : "Your plan"} keeps ${daysText(quota.days)}${bigger.length ? ` — upgrade to see ${bigger.join(" or ")} days` : ""}.`;
  }
  if (limitedBy === "ownership") {
    // The tighter bound first; the plan still says how far back history will reach with time.
    return {
      text: `Footage from before ${formatDateTime(ownedSince, locale)} UTC isn't shown: that's before you owned this camera. ${planText}`,
      upgrade: bigger.length > 0,
    };
  }
  return { text: planText, upgrade: bigger.length > 0 };
}

/** What the clip form says for each refusal the clip route sends back here (`clip_error` in the URL). */
const CLIP_ERRORS: Record<string, string> & Record<RefusalCode<ClipResult> | "invalid_request", string> = {
  invalid_request: "Please enter a start and an end.",
  invalid_range: "Please choose a start before the end, and an end that isn't in the future.",
  no_cloud_entitlement: "This camera has no cloud plan, so there is no history to download.",
  time_range_exceeds_entitlement: "That time is outside the history you can see (see the note above the timeline).",
  range_too_long: `A clip can cover at most ${CLIP_SPAN_TEXT}. Download that range in parts:`,
  rate_limited: "Too many downloads at once for this camera. Please wait a second and try again.",
  clip_error: "The video service could not make that clip. Please try again in a moment.",
};

/** The last hour of the window in whole minutes (start rounded up into the window, end up to now). */
function clipDefaults(window: { start: number; end: number } | null, now: number) {
  if (!window) return null;
  const start = localInput(Math.max(window.start, now - HOUR_MS), true);
  const end = localInput(now, true); // ≤ 60 s ahead of now: the server clamps that to now
  return { start, end, justStarted: start >= end };
}

/**
 * The range a refused download came back with (`start`/`end` in the URL, which anyone can craft),
 * only when it is one the API would gate as merely too long: parsed like the API's times, start
 * before end, inside this user's window (an end up to a minute ahead is clamped, like the API) and
 * no longer than the plan's window. Anything else is ignored, so the parts are always a handful of
 * real, downloadable clips (never a loop over a made-up span, never a date toISOString rejects).
 */
function partsRange(url: URL, ctx: PlaybackContext, quotaDays: number, now: number): TimeWindow | null {
  const parsed = RangeQuery.safeParse({ start: url.searchParams.get("start") ?? "", end: url.searchParams.get("end") ?? "" });
  if (!parsed.success) return null;
  const r = checkRange({ entitlements: ctx.entitlements, ownershipStartedAt: ctx.ownershipStartedAt, now, start: parsed.data.start, end: parsed.data.end });
  if (!r.ok) return null;
  const span = r.range.end - r.range.start;
  return span <= Math.min(quotaDays * DAY_MS, MAX_PARTS_SPAN_MS) ? r.range : null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Signed out → login; not the owner, unknown or malformed id → the friendly 404.
  const user = await requireUser(request, context);
  const param = idParam(params, "device");
  if (!param.ok) throw pageRefusal(param);
  const id = param.id;
  const deps = depsOf(context);
  const owned = await ownedPlayback(deps, id, { user });
  if (!owned.ok) throw pageRefusal(owned);
  const ctx = owned.playback;
  const now = Date.now();
  const locale = requestLocale(request);
  const [device, today] = await Promise.all([
    describeDevice(deps, ctx.device, { userId: user.id, startedAt: ctx.ownershipStartedAt }, now),
    cameraDay(deps, id, { user, requestId: context.requestId, now }),
  ]);
  const access = accessWindow({ entitlements: ctx.entitlements, ownershipStartedAt: ctx.ownershipStartedAt, now });
  const quota = resolvePlaybackQuota(ctx.entitlements, now);
  const window = access.ok ? access.window : null;
  const reason = historyReason(quota, access.ok ? access.limitedBy : null, ctx.ownershipStartedAt, locale);

  const url = new URL(request.url);
  // Days that hold any allowed footage, newest first; the selected one is shown hour by hour.
  const days: string[] = [];
  if (window && window.end > window.start) {
    for (let t = Date.parse(`${dayKey(window.end)}T00:00:00Z`); t + DAY_MS > window.start; t -= DAY_MS) days.push(dayKey(t));
  }
  const asked = url.searchParams.get("day") ?? "";
  const day = days.includes(asked) ? asked : (days[0] ?? dayKey(now));
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const hours = Array.from({ length: 24 }, (_, h) => {
    const start = dayStart + h * HOUR_MS;
    const end = start + HOUR_MS;
    if (start >= now) return { start, end, state: "future" as const };
    if (!window || end <= window.start) return { start, end, state: "locked" as const };
    const from = Math.max(start, window.start);
    const to = Math.min(end, window.end);
    return { start, end, state: "available" as const, href: clipHref(id, from, to) };
  });

  // A refused download from the form below comes back here (no JavaScript needed).
  const clipError = url.searchParams.get("clip_error");
  const partsOf = clipError === "range_too_long" ? partsRange(url, ctx, quota?.days ?? 0, now) : null;
  const parts = partsOf ? splitClipRange(partsOf.start, partsOf.end).map((p) => ({ ...p, href: clipHref(id, p.start, p.end) })) : [];

  return {
    locale,
    device,
    today,
    hasLiveChannel: !!ctx.device.webrtcChannelArn,
    window,
    quotaDays: quota?.days ?? 0,
    reason,
    days,
    day,
    hours,
    clip: {
      error: clipError ? (CLIP_ERRORS[clipError] ?? CLIP_ERRORS.clip_error) : null,
      // Only something shaped like an AWS error name is echoed (the URL is anyone's to craft).
      awsCode: /^[A-Za-z]{1,64}$/.test(url.searchParams.get("aws_code") ?? "") ? url.searchParams.get("aws_code") : null,
      parts,
      defaults: clipDefaults(window, now),
      min: window ? localInput(window.start, true) : undefined,
      max: window ? localInput(window.end) : undefined,
    },
  };
}

interface LiveConfig {
  endpoints?: { wss: string; https: string };
  iceServers?: unknown[];
  signedViewerUrlExpiresAt?: string;
  error?: string;
  message?: string;
}

function LiveSection({ deviceId, hasChannel, locale }: { deviceId: string; hasChannel: boolean; locale: string }) {
  const fetcher = useFetcher<LiveConfig>();
  const busy = fetcher.state !== "idle";
  const cfg = fetcher.data;
  return (
    <section className="panel" aria-labelledby="live-title">
      <h2 id="live-title">Live</h2>
      <p className="muted">Live view is part of owning the camera: it works on every plan, including Local.</p>
      {hasChannel ? (
        <fetcher.Form method="get" action={`/api/devices/${deviceId}/live`}>
          <button type="submit" disabled={busy}>
            {busy ? "Connecting…" : cfg ? "Refresh live view settings" : "Start live view"}
          </button>
        </fetcher.Form>
      ) : (
        <p>This camera has no live channel yet.</p>
      )}
      <div aria-live="polite" data-testid="live-result">
        {cfg?.endpoints ? (
          <dl className="facts live-facts">
            <dt>Signaling endpoint</dt>
            <dd>
              <code>{cfg.endpoints.wss}</code>
            </dd>
            <dt>ICE servers</dt>
            <dd data-testid="ice-count">{cfg.iceServers?.length ?? 0}</dd>
            <dt>Viewer link valid until</dt>
            <dd>{cfg.signedViewerUrlExpiresAt ? `${formatDateTime(Date.parse(cfg.signedViewerUrlExpiresAt), locale)} UTC` : "—"}</dd>
          </dl>
        ) : cfg?.error ? (
          <p className="notice notice--error" role="alert">
            {cfg.message ?? "Live view could not start."}
          </p>
        ) : null}
        {cfg?.endpoints ? (
          <p className="field-hint">
            A WebRTC player connects to the camera with these settings (the signed viewer link keeps your account's keys off this device). The in-page player is
            coming soon.
          </p>
        ) : null}
      </div>
    </section>
  );
}

export default function DevicePage() {
  const data = useLoaderData<typeof loader>();
  const { device, locale, window, reason, hours, days, day, clip } = data;
  const hourFmt = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  const dayFmt = new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  return (
    <>
      <p className="breadcrumb">
        <Link to={paths.devices}>Your devices</Link> / {device.serial}
      </p>
      <h1>
        {device.model} <span className="muted">· {device.serial}</span>
      </h1>
      <p className="device-status">
        <span className="badge">
          {device.plan.source === "stripe" ? `${device.plan.name} plan` : device.plan.source === "trial" ? "Free trial" : "Local plan"}
        </span>{" "}
        <span className="muted">On your account since {formatDate(device.ownedSince, locale)}</span>
      </p>

      <LiveSection deviceId={device.id} hasChannel={data.hasLiveChannel} locale={locale} />

      {data.today ? <CameraDaySection day={data.today} deviceId={device.id} locale={locale} /> : null}

      <section className="panel" aria-labelledby="history-title" id="history">
        <h2 id="history-title">History</h2>
        {window ? (
          <p>
            You can watch from <strong>{formatDateTime(window.start, locale)}</strong> to now (times in UTC).
          </p>
        ) : null}
        <p className="history-reason" data-testid="history-reason">
          {reason.text}
          {reason.upgrade ? (
            <>
              {" "}
              <Link to={paths.services}>See plans</Link>
            </>
          ) : null}
        </p>
        {days.length > 0 ? (
          <>
            <nav aria-label="Days" className="timeline-days">
              <ul>
                {days.map((d) => (
                  <li key={d}>
                    <Link to={`?day=${d}#history`} aria-current={d === day ? "date" : undefined} preventScrollReset>
                      {dayFmt.format(Date.parse(`${d}T00:00:00Z`))}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <h3 className="visually-hidden">Hours of {dayFmt.format(Date.parse(`${day}T00:00:00Z`))}</h3>
            <ol className="timeline" data-testid="timeline">
              {hours.map((h) => {
                return (
                  <li key={h.start} className={`timeline__hour timeline__hour--${h.state}`}>
                    {h.state === "available" ? (
                      <a href={h.href} download>
                        {hourFmt.format(h.start)}
                        <span className="visually-hidden"> to {hourFmt.format(h.end)} UTC, download</span>
                      </a>
                    ) : (
                      <span title={h.state === "locked" ? reason.text : "Not recorded yet"}>
                        {hourFmt.format(h.start)}
                        <span className="visually-hidden">
                          {" "}
                          to {hourFmt.format(h.end)} UTC, {h.state === "future" ? "not recorded yet" : "not available"}
                        </span>
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
            <p className="field-hint">Each hour downloads as an MP4 clip. Greyed-out hours are outside your history.</p>
          </>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="clip-title" id="clip">
        <h2 id="clip-title">Download a clip</h2>
        {clip.error ? (
          <div className="notice notice--error" role="alert" data-testid="clip-error">
            <p>
              {clip.error}
              {clip.awsCode ? <span className="muted"> ({clip.awsCode})</span> : null}
            </p>
            {clip.parts.length > 0 ? (
              <ol className="clip-parts">
                {clip.parts.map((p) => (
                  <li key={p.start}>
                    <a href={p.href} download>
                      {formatDateTime(p.start, locale)} – {formatDateTime(p.end, locale)} UTC
                    </a>
                  </li>
                ))}
              </ol>
            ) : null}
          </div>
        ) : null}
        {clip.defaults ? (
          <form method="get" action={`/api/devices/${device.id}/clip`} className="stack clip-form">
            <input type="hidden" name="via" value="page" />
            <label htmlFor="clip-start">
              Start <span className="field-hint">(UTC)</span>
              <input id="clip-start" name="start" type="datetime-local" required defaultValue={clip.defaults.start} min={clip.min} max={clip.max} />
            </label>
            <label htmlFor="clip-end">
              End <span className="field-hint">(UTC)</span>
              <input id="clip-end" name="end" type="datetime-local" required defaultValue={clip.defaults.end} min={clip.min} max={clip.max} />
            </label>
            <p className="field-hint">{`Up to ${CLIP_SPAN_TEXT} per clip; a longer range is offered in parts.`}</p>
            {clip.defaults.justStarted ? (
              <p className="muted">Your history on this camera has only just started: clips are available after its first minute.</p>
            ) : null}
            <div>
              <button type="submit">Download clip</button>
            </div>
          </form>
        ) : (
          <p className="muted">Clips need a cloud plan. Live view works without one.</p>
        )}
      </section>
    </>
  );
}
