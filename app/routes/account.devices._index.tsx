import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import type { ReactNode } from "react";
import { Field } from "~/components/Field";
import { PlanOutlookLine, PlanTimeline } from "~/components/PlanOutlook";
import { TodayBrief } from "~/components/events/TodayBrief";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { cameraLabel } from "~/domain/camera-name";
import { TRIAL_DAYS, TRANSFER_OFFER_TTL_HOURS } from "~/domain/device-ownership";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { requireUserAndRead } from "~/lib/auth.server";
import { clientIp } from "~/lib/client-ip.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { viewerTimeZone } from "~/lib/time-zone.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { activateDevice, checkTrialAvailability } from "~/models/devices/activation.server";
import { AcceptTransferForm, ActivateInput, CancelTransferForm, TransferOfferForm, UnbindForm } from "~/models/devices/inputs";
import { devicesPageRead } from "~/models/devices/page.server";
import { acceptTransfer, cancelTransfer, offerTransfer } from "~/models/devices/transfers.server";
import { unbindDevice } from "~/models/devices/unbind.server";
import { z } from "zod";
import { CopyLink } from "~/components/CopyLink";
import { TrialMeter } from "~/components/TrialMeter";
import { refusalMessage } from "~/http/refusals";
import { translatorFor, requestLanguage } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";

// Removing a camera uses up its free trial for good, so it takes two submits: the first answers
// with the confirmation step (nothing changes), the second carries confirm=yes (ADR 030).
const UnbindStep = UnbindForm.extend({ confirm: z.literal("yes").optional() });

// No data: the root error page says what happened, in the served language.
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, data: page } = await requireUserAndRead(request, context, devicesPageRead(depsOf(context).db));
  const url = new URL(request.url);
  const t = translatorFor(request, "devices");
  return {
    title: t("meta.title"),
    locale: requestLocale(request),
    zone: viewerTimeZone(request, user).zone,
    now: page.now,
    // What the page shows of each camera, no more: not its SIM's ICCID, its Stripe ids or its
    // plan's internals (ADR 035: the data also travels to the browser with the page).
    devices: page.devices.map((d) => ({
      id: d.id,
      serial: d.serial,
      model: d.model,
      name: d.name,
      hasSim: !!d.iccid,
      ownedSince: d.ownedSince,
      historyDays: d.historyDays,
      trialState: d.trial.state,
      paidPlan: d.plan.source === "stripe",
      outlook: d.outlook,
    })),
    incoming: page.incoming,
    outgoing: page.outgoing,
    emailVerified: page.emailVerified,
    // The refusal's own sentence (the one the accept form would answer with), in the page's language.
    notVerifiedMessage: page.emailVerified ? null : refusalMessage({ error: "email_not_verified" }, requestLanguage(request)),
    transferToken: url.searchParams.get("transfer"),
  };
}

export const action = formAction({
  // A body that isn't form data (a same-origin JSON or text POST) is the sender's mistake, not a 500.
  unreadableMessage: (language) => translatorFor(language, "devices")("replies.invalid"),
  intents: {
    activate: intent(ActivateInput, async ({ context, request, input, actor }) => {
      const r = await activateDevice(depsOf(context), input, { ...actor, clientIp: clientIp(request) });
      if (!r.ok) return r;
      const t = translatorFor(request, "devices");
      const model = r.device.model;
      const message =
        r.trial === "granted"
          ? t("replies.activated", { model, days: TRIAL_DAYS })
          : r.trial === "active"
            ? t("replies.alreadyActive", { model })
            : t("replies.activatedTrialUsed", { model });
      return { ok: true, message };
    }),
    "check-trial": intent(ActivateInput, async ({ context, request, input, actor }) => {
      const r = await checkTrialAvailability(depsOf(context), input, { ...actor, clientIp: clientIp(request) });
      if (!r.ok) return r;
      const t = translatorFor(request, "devices");
      return { ok: true, message: r.trialAvailable ? t("replies.trialAvailable", { days: TRIAL_DAYS }) : t("replies.trialUsed") };
    }),
    unbind: intent(UnbindStep, async ({ context, request, input, actor }) => {
      const t = translatorFor(request, "devices");
      if (input.confirm !== "yes") return { ok: true, confirm: input.deviceId, message: t("replies.confirmUnbind") };
      const r = await unbindDevice(depsOf(context), input.deviceId, actor);
      return r.ok ? { ok: true, message: t("replies.unbound") } : r;
    }),
    "offer-transfer": intent(TransferOfferForm, async ({ context, request, input, actor }) => {
      const r = await offerTransfer(depsOf(context), input.deviceId, { toEmail: input.toEmail, includeSim: input.includeSim }, actor);
      if (!r.ok) return r;
      const t = translatorFor(request, "devices");
      return {
        ok: true,
        message: t("replies.offered", { email: r.transfer.toEmail, hours: TRANSFER_OFFER_TTL_HOURS }),
        // The whole address, to paste into a message (the page shows it selectable, with a Copy button).
        link: new URL(paths.transferLink(r.token), request.url).href,
      };
    }),
    "cancel-transfer": intent(CancelTransferForm, async ({ context, request, input, actor }) => {
      const r = await cancelTransfer(depsOf(context), { transferId: input.transferId }, actor);
      const t = translatorFor(request, "devices");
      return r.ok ? { ok: true, message: t("replies.offerCancelled") } : r;
    }),
    "accept-transfer": intent(AcceptTransferForm, async ({ context, request, input, actor }) => {
      const ref = input.token ? { token: input.token } : input.transferId ? { transferId: input.transferId } : null;
      if (!ref) return { ok: false, error: "transfer_not_found" };
      const r = await acceptTransfer(depsOf(context), ref, actor);
      const t = translatorFor(request, "devices");
      return r.ok ? { ok: true, message: t("replies.accepted") } : r;
    }),
  },
});

function Pending({ busy, idle, active }: { busy: boolean; idle: string; active: string }) {
  return <>{busy ? active : idle}</>;
}

export default function Devices() {
  const { devices, incoming, outgoing, notVerifiedMessage, locale, zone, transferToken } = useLoaderData<typeof loader>();
  const t = useT("devices");
  const reply = useActionData<typeof action>() as FormReply | undefined;
  // In the page's language already: formAction and parseInput word it for the request.
  const result = reply;
  const nav = useNavigation();
  const activationReply = result && (result.intent === "activate" || result.intent === "check-trial") ? result : null;
  const busyIntent = nav.state !== "idle" ? String(nav.formData?.get("intent") ?? "") : "";
  const busyDevice = nav.state !== "idle" ? String(nav.formData?.get("deviceId") ?? nav.formData?.get("transferId") ?? "") : "";
  // The camera whose removal waits for "Yes, remove" (the first submit's reply).
  const confirming = result?.intent === "unbind" && result.ok && result.confirm ? result.confirm : null;
  // Once accepted, the link's accept panel has done its job.
  const accepted = result?.intent === "accept-transfer" && result.ok;
  // A notice belongs to the last answer: it goes as soon as the next form is sent.
  const notice = result && !confirming && nav.state === "idle" ? result : null;
  const b = (chunks: ReactNode) => <strong>{chunks}</strong>;

  return (
    <>
      <h1>{t("title")}</h1>
      {notice ? (
        <div className={notice.ok ? "notice notice--ok" : "notice notice--error"} role={notice.ok ? "status" : "alert"} data-testid="action-result">
          <p>{notice.message}</p>
          {notice.link ? (
            notice.intent === "offer-transfer" && notice.ok ? (
              <CopyLink href={notice.link} label={t("transferLink")} />
            ) : (
              <p>
                <Link to={notice.link}>{t("manageBilling")}</Link>
              </p>
            )
          ) : null}
        </div>
      ) : null}

      {transferToken && !accepted ? (
        <section className="panel" aria-labelledby="accept-link-title">
          <h2 id="accept-link-title">{t("acceptLink.title")}</h2>
          <p>{t("acceptLink.body")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="accept-transfer" />
            <input type="hidden" name="token" value={transferToken} />
            <button type="submit" disabled={busyIntent === "accept-transfer"}>
              <Pending busy={busyIntent === "accept-transfer"} idle={t("acceptLink.accept")} active={t("acceptLink.accepting")} />
            </button>
          </Form>
        </section>
      ) : null}

      {notVerifiedMessage ? (
        <section className="panel" aria-labelledby="verify-title" data-testid="email-not-verified">
          <h2 id="verify-title">{t("verify.title")}</h2>
          <p>{notVerifiedMessage}</p>
        </section>
      ) : null}

      {incoming.length > 0 ? (
        <section className="panel" aria-labelledby="incoming-title">
          <h2 id="incoming-title">{t("incoming.title")}</h2>
          <ul className="plain-list">
            {incoming.map((o) => (
              <li key={o.id} className="offer" data-testid="incoming-offer">
                <p>
                  {t.rich("incoming.offer", {
                    b,
                    camera: cameraLabel({ name: o.cameraName, model: o.model }),
                    serial: o.serial,
                    from: o.fromEmail,
                    sim: o.includeSim ? "yes" : "no",
                    expires: formatDateTime(o.expiresAt, locale),
                  })}
                </p>
                <p className="muted">{t("incoming.trialNote")}</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="accept-transfer" />
                  <input type="hidden" name="transferId" value={o.id} />
                  <button type="submit" disabled={busyIntent === "accept-transfer" && busyDevice === o.id}>
                    <Pending
                      busy={busyIntent === "accept-transfer" && busyDevice === o.id}
                      idle={t("incoming.accept", { model: o.model })}
                      active={t("acceptLink.accepting")}
                    />
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {devices.length > 0 ? <TodayBrief /> : null}

      <section aria-labelledby="mine-title">
        <h2 id="mine-title">{t("list.title")}</h2>
        {devices.length === 0 ? <p className="muted">{t("list.empty")}</p> : null}
        <div className="device-list">
          {devices.map((d) => {
            const offer = outgoing.find((o) => o.deviceId === d.id);
            return (
              <article key={d.id} className="panel device" aria-labelledby={`dev-${d.id}`} data-testid="device" data-serial={d.serial}>
                <h3 id={`dev-${d.id}`}>
                  <Link to={`/account/devices/${d.id}`}>{d.name ?? d.model}</Link>{" "}
                  <span className="muted">
                    · {d.name ? `${d.model} · ` : ""}
                    {d.serial}
                  </span>
                </h3>
                <PlanOutlookLine outlook={d.outlook} locale={locale} zone={zone} />
                <PlanTimeline outlook={d.outlook} locale={locale} zone={zone} />
                {d.outlook.kind === "trial" ? (
                  <TrialMeter id={d.id} daysLeft={d.outlook.daysLeft} endsAt={d.outlook.endsAt} locale={locale} zone={zone} />
                ) : null}
                <p className="device-status" data-testid="device-status">
                  {/* Whether a trial is still to be had, only on Local: the plan line above is the one plan. */}
                  {d.outlook.kind !== "local" ? null : d.trialState === "used" ? (
                    <span className="badge badge--warn">{t("list.trialUsed")}</span>
                  ) : (
                    <span className="badge">{t("list.trialAvailable")}</span>
                  )}{" "}
                  <span className="muted">
                    {d.historyDays > 0 ? t("list.cloudHistory", { days: d.historyDays }) : t("list.noCloudHistory")} ·{" "}
                    {t("list.ownedSince", { date: formatDate(d.ownedSince, locale, zone) })}
                  </span>
                </p>
                <div className="device-actions">
                  <details>
                    <summary>{t("transfer.summary")}</summary>
                    {offer ? (
                      <div>
                        <p>
                          {t("transfer.offered", {
                            email: offer.toEmail,
                            sim: offer.includeSim ? "yes" : "no",
                            expires: formatDateTime(offer.expiresAt, locale),
                          })}
                        </p>
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel-transfer" />
                          <input type="hidden" name="transferId" value={offer.id} />
                          <button type="submit" className="button--ghost" disabled={busyIntent === "cancel-transfer"}>
                            <Pending busy={busyIntent === "cancel-transfer"} idle={t("transfer.cancel")} active={t("transfer.cancelling")} />
                          </button>
                        </Form>
                      </div>
                    ) : (
                      <Form method="post" className="stack">
                        <input type="hidden" name="intent" value="offer-transfer" />
                        <input type="hidden" name="deviceId" value={d.id} />
                        <label htmlFor={`to-${d.id}`}>
                          {t("transfer.email")}
                          <input id={`to-${d.id}`} name="toEmail" type="email" required autoComplete="off" />
                        </label>
                        {d.hasSim ? (
                          <label className="checkbox" htmlFor={`sim-${d.id}`}>
                            <input id={`sim-${d.id}`} type="checkbox" name="includeSim" /> {t("transfer.includeSim")}
                          </label>
                        ) : null}
                        <p className="field-hint">{t("transfer.hint")}</p>
                        <button type="submit" disabled={busyIntent === "offer-transfer" && busyDevice === d.id}>
                          <Pending busy={busyIntent === "offer-transfer" && busyDevice === d.id} idle={t("transfer.send")} active={t("transfer.sending")} />
                        </button>
                      </Form>
                    )}
                  </details>
                  <details open={confirming === d.id || undefined}>
                    <summary>{t("remove.summary")}</summary>
                    <div className="confirm">
                      <p>{t("remove.intro")}</p>
                      <ul>
                        <li>
                          <strong>{t("remove.planLabel")}</strong> {d.paidPlan ? t("remove.planPaid") : t("remove.planNone")}
                        </li>
                        <li>
                          <strong>{t("remove.trialLabel")}</strong> {d.trialState === "active" ? t("remove.trialActive") : t("remove.trialOther")}
                        </li>
                        <li>
                          <strong>{t("remove.simLabel")}</strong> {d.hasSim ? t("remove.simKept") : t("remove.simNone")}
                        </li>
                        <li>
                          <strong>{t("remove.recordingsLabel")}</strong> {t("remove.recordings")}
                        </li>
                      </ul>
                      {confirming === d.id ? (
                        <div className="confirm-step" role="alert" data-testid="unbind-confirm">
                          <p>{t.rich("remove.confirm", { b, serial: d.serial })}</p>
                          <Form method="post" className="actions" preventScrollReset>
                            <input type="hidden" name="intent" value="unbind" />
                            <input type="hidden" name="deviceId" value={d.id} />
                            <input type="hidden" name="confirm" value="yes" />
                            <button type="submit" className="button--danger" disabled={busyIntent === "unbind" && busyDevice === d.id}>
                              <Pending
                                busy={busyIntent === "unbind" && busyDevice === d.id}
                                idle={t("remove.yes", { serial: d.serial })}
                                active={t("remove.removing")}
                              />
                            </button>
                            <Link to={paths.devices} className="button button--ghost" preventScrollReset>
                              {t("remove.keep")}
                            </Link>
                          </Form>
                        </div>
                      ) : (
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="unbind" />
                          <input type="hidden" name="deviceId" value={d.id} />
                          <button type="submit" className="button--danger" disabled={busyIntent === "unbind" && busyDevice === d.id}>
                            {t("remove.ask", { serial: d.serial })}
                          </button>
                        </Form>
                      )}
                    </div>
                  </details>
                  {/* The camera's story is told once, on its own page (ADR 035): the list no longer reads
                      every event of every camera on each visit. */}
                  <Link to={`${paths.device(d.id)}#story`} className="device-actions__link">
                    {t("historySummary")}
                  </Link>
                </div>
              </article>
            );
          })}
        </div>
      </section>

      <section className="panel" aria-labelledby="activate-title">
        <h2 id="activate-title">{t("activate.title")}</h2>
        <Form method="post" className="stack">
          <Field
            name="serial"
            label={t("activate.serial")}
            hint={t("activate.serialHint")}
            reply={activationReply}
            required
            autoComplete="off"
            spellCheck={false}
          />
          <Field name="activationCode" label={t("activate.code")} reply={activationReply} required autoComplete="off" spellCheck={false} />
          <div className="actions">
            <button type="submit" name="intent" value="activate" disabled={busyIntent === "activate"}>
              <Pending busy={busyIntent === "activate"} idle={t("activate.activate")} active={t("activate.activating")} />
            </button>
            <button type="submit" name="intent" value="check-trial" className="button--ghost" disabled={busyIntent === "check-trial"}>
              <Pending busy={busyIntent === "check-trial"} idle={t("activate.check")} active={t("activate.checking")} />
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
