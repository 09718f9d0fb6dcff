import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { voiceTierByCode } from "~/domain/plans";
import { requireUserAnd } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { accountOverview } from "~/models/identity/account-overview.server";
import { TimeZoneInput } from "~/models/profile/inputs";
import { setTimeZone } from "~/models/profile/time-zone.server";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { knownTimeZones, viewerTimeZone } from "~/lib/time-zone.server";

export const meta: MetaFunction = () => [{ title: "Your account — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, data: overview } = await requireUserAnd(request, context, (reader) => accountOverview(depsOf(context), reader.id));
  return {
    locale: requestLocale(request),
    user: { email: user.email, name: user.name, createdAt: user.createdAt },
    deviceCount: overview.deviceCount,
    voiceTier: (voiceTierByCode(overview.voiceTier) ?? voiceTierByCode("FREE"))?.name,
    timeZone: { chosen: user.timeZone, shown: viewerTimeZone(request, user), zones: knownTimeZones() },
  };
}

export const action = formAction({
  intents: {
    "time-zone": intent(TimeZoneInput, async ({ input, context, actor }) => {
      await setTimeZone(depsOf(context), input, actor);
      return { ok: true, message: input.timeZone ? `Dates are now shown in ${input.timeZone}.` : "Dates now follow your browser's time zone." };
    }),
  },
});

export default function AccountOverview() {
  const { user, deviceCount, voiceTier, locale, timeZone } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>();
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const savingZone = busy && nav.formData?.get("intent") === "time-zone";
  const zoneError = reply?.intent === "time-zone" && !reply.ok ? (reply.fieldErrors?.timeZone ?? reply.message) : null;
  return (
    <>
      <h1>Your account</h1>
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          {user.name ? (
            <>
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </>
          ) : null}
          <dt>Member since</dt>
          <dd>{formatDate(user.createdAt, locale, timeZone.shown.zone)}</dd>
          <dt>Voice studio</dt>
          <dd data-testid="voice-tier">{voiceTier}</dd>
          <dt>Cameras</dt>
          <dd data-testid="device-count">
            {deviceCount} · <Link to={paths.devices}>Manage devices</Link>
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="tz-title" id="time-zone">
        <h2 id="tz-title">Time zone</h2>
        <p>
          Dates and times are shown in <strong data-testid="shown-time-zone">{timeZone.shown.zone}</strong>
          {timeZone.shown.source === "browser" ? " (your browser's)" : timeZone.shown.source === "default" ? " (your browser hasn't told us its zone yet)" : ""}
          .
        </p>
        <Form method="post" className="stack tz-form">
          <input type="hidden" name="intent" value="time-zone" />
          <label htmlFor="tz">
            Show times in
            <select
              id="tz"
              name="timeZone"
              defaultValue={timeZone.chosen ?? ""}
              key={timeZone.chosen ?? ""}
              aria-invalid={zoneError ? true : undefined}
              aria-describedby={zoneError ? "tz-error" : undefined}
            >
              <option value="">My browser's time zone</option>
              {timeZone.zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          {zoneError ? (
            <span className="field-error" id="tz-error">
              {zoneError}
            </span>
          ) : null}
          <div>
            <button type="submit" disabled={busy}>
              {savingZone ? "Saving…" : "Save time zone"}
            </button>
          </div>
          <p aria-live="polite" className="muted" data-testid="tz-result">
            {reply?.intent === "time-zone" && reply.ok ? reply.message : ""}
          </p>
        </Form>
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>Signing out everywhere ends every session of yours on all browsers and devices immediately.</p>
        <div className="actions">
          <Form method="post" action="/auth/logout">
            <button type="submit" disabled={busy}>
              Sign out
            </button>
          </Form>
          {/* Confirmed in place (a disclosure, so it works before JavaScript): the real button is inside. */}
          <details className="confirm-disclosure" data-testid="sign-out-everywhere">
            <summary className="button button--ghost danger-outline">Sign out everywhere…</summary>
            <div className="confirm-step">
              <p>
                <strong>Sign out on every browser and device?</strong> You'll need to sign in again everywhere, this one too.
              </p>
              <Form method="post" action="/account/sign-out-everywhere">
                <button type="submit" className="button--danger" disabled={busy}>
                  Yes, sign out everywhere
                </button>
              </Form>
            </div>
          </details>
        </div>
      </section>
      {/* Privacy (wp/privacy, ADR 026): the export download and the way to deletion. */}
      <section className="panel" aria-labelledby="data-title" id="your-data">
        <h2 id="data-title">Your data</h2>
        <p>Download everything we hold about you as one JSON file, or delete your account.</p>
        <div className="actions">
          <a className="button" href={paths.accountExport} download>
            Download my data
          </a>
          <Link className="button button--ghost danger-outline" to={paths.accountDelete}>
            Delete account…
          </Link>
        </div>
      </section>
    </>
  );
}
