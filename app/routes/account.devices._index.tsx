import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Field } from "~/components/Field";
import { PlanOutlookLine, PlanTimeline } from "~/components/PlanOutlook";
import { TodayBrief } from "~/components/events/TodayBrief";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { cameraLabel } from "~/domain/camera-name";
import { TRIAL_DAYS, TRANSFER_OFFER_TTL_HOURS } from "~/domain/device-ownership";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { EMAIL_NOT_VERIFIED_MESSAGE } from "~/http/refusals/devices";
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
import { DeviceStory } from "~/components/DeviceStory";

// Removing a camera uses up its free trial for good, so it takes two submits: the first answers
// with the confirmation step (nothing changes), the second carries confirm=yes (ADR 030).
const UnbindStep = UnbindForm.extend({ confirm: z.literal("yes").optional() });

export const meta: MetaFunction = () => [{ title: "Your devices — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, data: page } = await requireUserAndRead(request, context, devicesPageRead(depsOf(context).db));
  const url = new URL(request.url);
  return {
    locale: requestLocale(request),
    zone: viewerTimeZone(request, user).zone,
    now: page.now,
    devices: page.devices,
    incoming: page.incoming,
    outgoing: page.outgoing,
    emailVerified: page.emailVerified,
    history: page.history,
    transferToken: url.searchParams.get("transfer"),
  };
}

export const action = formAction({
  // A body that isn't form data (a same-origin JSON or text POST) is the sender's mistake, not a 500.
  unreadableMessage: "Please check the form: some fields are missing or invalid.",
  intents: {
    activate: intent(ActivateInput, async ({ context, request, input, actor }) => {
      const r = await activateDevice(depsOf(context), input, { ...actor, clientIp: clientIp(request) });
      if (!r.ok) return r;
      const message =
        r.trial === "granted"
          ? `${r.device.model} activated. Your free ${TRIAL_DAYS}-day cloud trial has started.`
          : r.trial === "active"
            ? `${r.device.model} is already on your account; its trial is active.`
            : `${r.device.model} activated. This camera's free trial was already used, so it starts on the Local plan.`;
      return { ok: true, message };
    }),
    "check-trial": intent(ActivateInput, async ({ context, request, input, actor }) => {
      const r = await checkTrialAvailability(depsOf(context), input, { ...actor, clientIp: clientIp(request) });
      if (!r.ok) return r;
      return {
        ok: true,
        message: r.trialAvailable
          ? `Good news: this camera's free ${TRIAL_DAYS}-day cloud trial is still available and starts when you activate it.`
          : "This camera's free trial has already been used. You can still activate it and choose a plan.",
      };
    }),
    unbind: intent(UnbindStep, async ({ context, input, actor }) => {
      if (input.confirm !== "yes") return { ok: true, confirm: input.deviceId, message: "Please confirm: remove this camera from your account?" };
      const r = await unbindDevice(depsOf(context), input.deviceId, actor);
      return r.ok ? { ok: true, message: "The camera was removed from your account. Its recordings and cloud resources are kept." } : r;
    }),
    "offer-transfer": intent(TransferOfferForm, async ({ context, request, input, actor }) => {
      const r = await offerTransfer(depsOf(context), input.deviceId, { toEmail: input.toEmail, includeSim: input.includeSim }, actor);
      if (!r.ok) return r;
      return {
        ok: true,
        message: `Transfer offered to ${r.transfer.toEmail}. They'll see it under "Offers for you" when they sign in, or you can send them this link (valid ${TRANSFER_OFFER_TTL_HOURS} hours):`,
        // The whole address, to paste into a message (the page shows it selectable, with a Copy button).
        link: new URL(paths.transferLink(r.token), request.url).href,
      };
    }),
    "cancel-transfer": intent(CancelTransferForm, async ({ context, input, actor }) => {
      const r = await cancelTransfer(depsOf(context), { transferId: input.transferId }, actor);
      return r.ok ? { ok: true, message: "Transfer offer cancelled." } : r;
    }),
    "accept-transfer": intent(AcceptTransferForm, async ({ context, input, actor }) => {
      const ref = input.token ? { token: input.token } : input.transferId ? { transferId: input.transferId } : null;
      if (!ref) return { ok: false, error: "transfer_not_found" };
      const r = await acceptTransfer(depsOf(context), ref, actor);
      return r.ok ? { ok: true, message: "The camera is now on your account." } : r;
    }),
  },
});

function Pending({ busy, idle, active }: { busy: boolean; idle: string; active: string }) {
  return <>{busy ? active : idle}</>;
}

export default function Devices() {
  const { devices, incoming, outgoing, emailVerified, history, locale, zone, transferToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as FormReply | undefined;
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

  return (
    <>
      <h1>Your devices</h1>
      {notice ? (
        <div className={notice.ok ? "notice notice--ok" : "notice notice--error"} role={notice.ok ? "status" : "alert"} data-testid="action-result">
          <p>{notice.message}</p>
          {notice.link ? (
            notice.intent === "offer-transfer" && notice.ok ? (
              <CopyLink href={notice.link} label="Transfer link" />
            ) : (
              <p>
                <Link to={notice.link}>Manage billing</Link>
              </p>
            )
          ) : null}
        </div>
      ) : null}

      {transferToken && !accepted ? (
        <section className="panel" aria-labelledby="accept-link-title">
          <h2 id="accept-link-title">Accept a camera transfer</h2>
          <p>Someone offered you a camera. Accepting moves it to your account; its free trial does not restart.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="accept-transfer" />
            <input type="hidden" name="token" value={transferToken} />
            <button type="submit" disabled={busyIntent === "accept-transfer"}>
              <Pending busy={busyIntent === "accept-transfer"} idle="Accept transfer" active="Accepting…" />
            </button>
          </Form>
        </section>
      ) : null}

      {!emailVerified ? (
        <section className="panel" aria-labelledby="verify-title" data-testid="email-not-verified">
          <h2 id="verify-title">Verify your email to receive cameras</h2>
          <p>{EMAIL_NOT_VERIFIED_MESSAGE}</p>
        </section>
      ) : null}

      {incoming.length > 0 ? (
        <section className="panel" aria-labelledby="incoming-title">
          <h2 id="incoming-title">Offers for you</h2>
          <ul className="plain-list">
            {incoming.map((t) => (
              <li key={t.id} className="offer" data-testid="incoming-offer">
                <p>
                  <strong>{cameraLabel({ name: t.cameraName, model: t.model })}</strong> ({t.serial}) from {t.fromEmail}
                  {t.includeSim ? ", with its SIM card" : ""}. Expires {formatDateTime(t.expiresAt, locale)}.
                </p>
                <p className="muted">The camera's free trial was already used and does not restart for you.</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="accept-transfer" />
                  <input type="hidden" name="transferId" value={t.id} />
                  <button type="submit" disabled={busyIntent === "accept-transfer" && busyDevice === t.id}>
                    <Pending busy={busyIntent === "accept-transfer" && busyDevice === t.id} idle={`Accept ${t.model}`} active="Accepting…" />
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {devices.length > 0 ? <TodayBrief /> : null}

      <section aria-labelledby="mine-title">
        <h2 id="mine-title">Cameras on your account</h2>
        {devices.length === 0 ? <p className="muted">No cameras yet. Activate one below with the serial number and activation code on its label.</p> : null}
        <div className="device-list">
          {devices.map((d) => {
            const offer = outgoing.find((o) => o.deviceId === d.id);
            const events = history.filter((h) => h.deviceId === d.id);
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
                  {d.outlook.kind !== "local" ? null : d.trial.state === "used" ? (
                    <span className="badge badge--warn">Trial already used</span>
                  ) : (
                    <span className="badge">Trial available</span>
                  )}{" "}
                  <span className="muted">
                    {d.historyDays > 0 ? `Cloud history: ${d.historyDays === 1 ? "24 hours" : `${d.historyDays} days`}` : "No cloud history"} · On your account
                    since {formatDate(d.ownedSince, locale, zone)}
                  </span>
                </p>
                <div className="device-actions">
                  <details>
                    <summary>Transfer to someone</summary>
                    {offer ? (
                      <div>
                        <p>
                          Offered to {offer.toEmail}
                          {offer.includeSim ? " with the SIM card" : ""}, until {formatDateTime(offer.expiresAt, locale)}.
                        </p>
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel-transfer" />
                          <input type="hidden" name="transferId" value={offer.id} />
                          <button type="submit" className="button--ghost" disabled={busyIntent === "cancel-transfer"}>
                            <Pending busy={busyIntent === "cancel-transfer"} idle="Cancel offer" active="Cancelling…" />
                          </button>
                        </Form>
                      </div>
                    ) : (
                      <Form method="post" className="stack">
                        <input type="hidden" name="intent" value="offer-transfer" />
                        <input type="hidden" name="deviceId" value={d.id} />
                        <label htmlFor={`to-${d.id}`}>
                          New owner's email
                          <input id={`to-${d.id}`} name="toEmail" type="email" required autoComplete="off" />
                        </label>
                        {d.iccid ? (
                          <label className="checkbox" htmlFor={`sim-${d.id}`}>
                            <input id={`sim-${d.id}`} type="checkbox" name="includeSim" /> Include the SIM card (its data plan moves to them)
                          </label>
                        ) : null}
                        <p className="field-hint">The free trial does not restart for the new owner. Your cloud history stays private to you.</p>
                        <button type="submit" disabled={busyIntent === "offer-transfer" && busyDevice === d.id}>
                          <Pending busy={busyIntent === "offer-transfer" && busyDevice === d.id} idle="Send transfer offer" active="Sending…" />
                        </button>
                      </Form>
                    )}
                  </details>
                  <details open={confirming === d.id || undefined}>
                    <summary>Remove from account</summary>
                    <div className="confirm">
                      <p>Removing this camera from your account:</p>
                      <ul>
                        <li>
                          <strong>Plan:</strong>{" "}
                          {d.plan.source === "stripe" ? "a paid plan must be cancelled in billing first." : "nothing to cancel; the camera goes back to Local."}
                        </li>
                        <li>
                          <strong>Trial:</strong> {d.trial.state === "active" ? "your free trial ends now and" : "the free trial"} can never be used again on
                          this camera.
                        </li>
                        <li>
                          <strong>SIM:</strong>{" "}
                          {d.iccid ? "the SIM card stays on your account until you decide what to do with it." : "this camera has no SIM card."}
                        </li>
                        <li>
                          <strong>Recordings:</strong> nothing is deleted, but you will no longer be able to view this camera's history.
                        </li>
                      </ul>
                      {confirming === d.id ? (
                        <div className="confirm-step" role="alert" data-testid="unbind-confirm">
                          <p>
                            <strong>Remove {d.serial} for good?</strong> Its free trial can't be used again, even if you add it back.
                          </p>
                          <Form method="post" className="actions" preventScrollReset>
                            <input type="hidden" name="intent" value="unbind" />
                            <input type="hidden" name="deviceId" value={d.id} />
                            <input type="hidden" name="confirm" value="yes" />
                            <button type="submit" className="button--danger" disabled={busyIntent === "unbind" && busyDevice === d.id}>
                              <Pending busy={busyIntent === "unbind" && busyDevice === d.id} idle={`Yes, remove ${d.serial}`} active="Removing…" />
                            </button>
                            <Link to={paths.devices} className="button button--ghost" preventScrollReset>
                              Keep it
                            </Link>
                          </Form>
                        </div>
                      ) : (
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="unbind" />
                          <input type="hidden" name="deviceId" value={d.id} />
                          <button type="submit" className="button--danger" disabled={busyIntent === "unbind" && busyDevice === d.id}>
                            Remove {d.serial}…
                          </button>
                        </Form>
                      )}
                    </div>
                  </details>
                  <details>
                    <summary>History</summary>
                    <DeviceStory events={events} locale={locale} zone={zone} />
                  </details>
                </div>
              </article>
            );
          })}
        </div>
      </section>

      <section className="panel" aria-labelledby="activate-title">
        <h2 id="activate-title">Activate a camera</h2>
        <Form method="post" className="stack">
          <Field
            name="serial"
            label="Serial number"
            hint="(on the label, e.g. N4K-000001)"
            reply={activationReply}
            required
            autoComplete="off"
            spellCheck={false}
          />
          <Field name="activationCode" label="Activation code" reply={activationReply} required autoComplete="off" spellCheck={false} />
          <div className="actions">
            <button type="submit" name="intent" value="activate" disabled={busyIntent === "activate"}>
              <Pending busy={busyIntent === "activate"} idle="Activate" active="Activating…" />
            </button>
            <button type="submit" name="intent" value="check-trial" className="button--ghost" disabled={busyIntent === "check-trial"}>
              <Pending busy={busyIntent === "check-trial"} idle="Check free trial first" active="Checking…" />
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
