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
import { rootMessages } from "~/i18n/meta";
import { translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { knownTimeZones, viewerTimeZone } from "~/lib/time-zone.server";

// The title in the served language: the root loader carries its messages.
export const meta: MetaFunction = ({ matches }) => {
  const messages = rootMessages(matches);
  return messages ? [{ title: messages.account.overview.metaTitle }] : [];
};

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
    "time-zone": intent(TimeZoneInput, async ({ input, request, context, actor }) => {
      await setTimeZone(depsOf(context), input, actor);
      const t = translatorFor(request, "account");
      return { ok: true, message: input.timeZone ? t("timeZone.saved", { zone: input.timeZone }) : t("timeZone.savedBrowser") };
    }),
  },
});

export default function AccountOverview() {
  const { user, deviceCount, voiceTier, locale, timeZone } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>();
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const savingZone = busy && nav.formData?.get("intent") === "time-zone";
  const t = useT("account");
  // The field's one problem is a zone not on the list (the schema's sentence), said in the page's language.
  const zoneError = reply?.intent === "time-zone" && !reply.ok ? (reply.fieldErrors?.timeZone ? t("timeZone.invalid") : reply.message) : null;
  const shown = { profile: "timeZone.shownProfile", browser: "timeZone.shownBrowser", default: "timeZone.shownDefault" } as const;
  return (
    <>
      <h1>{t("overview.title")}</h1>
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("overview.profile")}</h2>
        <dl className="facts">
          <dt>{t("overview.email")}</dt>
          <dd data-testid="account-email">{user.email}</dd>
          {user.name ? (
            <>
              <dt>{t("overview.name")}</dt>
              <dd>{user.name}</dd>
            </>
          ) : null}
          <dt>{t("overview.memberSince")}</dt>
          <dd>{formatDate(user.createdAt, locale, timeZone.shown.zone)}</dd>
          <dt>{t("overview.voiceStudio")}</dt>
          <dd data-testid="voice-tier">{voiceTier}</dd>
          <dt>{t("overview.cameras")}</dt>
          <dd data-testid="device-count">
            {deviceCount} · <Link to={paths.devices}>{t("overview.manageDevices")}</Link>
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="tz-title" id="time-zone">
        <h2 id="tz-title">{t("timeZone.title")}</h2>
        <p>
          {t.rich(shown[timeZone.shown.source], {
            zone: timeZone.shown.zone,
            strong: (c) => <strong data-testid="shown-time-zone">{c}</strong>,
          })}
        </p>
        <Form method="post" className="stack tz-form">
          <input type="hidden" name="intent" value="time-zone" />
          <label htmlFor="tz">
            {t("timeZone.label")}
            <select
              id="tz"
              name="timeZone"
              defaultValue={timeZone.chosen ?? ""}
              key={timeZone.chosen ?? ""}
              aria-invalid={zoneError ? true : undefined}
              aria-describedby={zoneError ? "tz-error" : undefined}
            >
              <option value="">{t("timeZone.browser")}</option>
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
              {savingZone ? t("timeZone.saving") : t("timeZone.save")}
            </button>
          </div>
          <p aria-live="polite" className="muted" data-testid="tz-result">
            {reply?.intent === "time-zone" && reply.ok ? reply.message : ""}
          </p>
        </Form>
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("sessions.title")}</h2>
        <p>{t("sessions.intro")}</p>
        <div className="actions">
          <Form method="post" action="/auth/logout">
            <button type="submit" disabled={busy}>
              {t("sessions.signOut")}
            </button>
          </Form>
          {/* Confirmed in place (a disclosure, so it works before JavaScript): the real button is inside. */}
          <details className="confirm-disclosure" data-testid="sign-out-everywhere">
            <summary className="button button--ghost danger-outline">{t("sessions.everywhere")}</summary>
            <div className="confirm-step">
              <p>{t.rich("sessions.confirm", { b: (c) => <strong>{c}</strong> })}</p>
              <Form method="post" action="/account/sign-out-everywhere">
                <button type="submit" className="button--danger" disabled={busy}>
                  {t("sessions.confirmButton")}
                </button>
              </Form>
            </div>
          </details>
        </div>
      </section>
      {/* Privacy (wp/privacy, ADR 026): the export download and the way to deletion. */}
      <section className="panel" aria-labelledby="data-title" id="your-data">
        <h2 id="data-title">{t("data.title")}</h2>
        <p>{t("data.intro")}</p>
        <div className="actions">
          <a className="button" href={paths.accountExport} download>
            {t("data.download")}
          </a>
          <Link className="button button--ghost danger-outline" to={paths.accountDelete}>
            {t("data.delete")}
          </Link>
        </div>
      </section>
    </>
  );
}
