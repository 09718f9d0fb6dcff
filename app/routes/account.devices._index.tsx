import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { and, eq, gte, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "~/db/client.server";
import { auditLog, deviceOwnerships } from "~/db/schema";
import { requireUser } from "~/lib/auth.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { EMAIL_NOT_VERIFIED_MESSAGE } from "~/domain/device-ownership";
import { requestLocale } from "~/lib/locale.server";
import {
  acceptTransfer,
  activateDevice,
  cancelTransfer,
  checkTrialAvailability,
  listMyDevices,
  offerTransfer,
  transfersFor,
  unbindDevice,
  type Actor,
} from "~/models/devices.server";

export const meta: MetaFunction = () => [{ title: "Your devices — AOVIS Edge" }];

const EVENT_LABELS: Record<string, string> = {
  device_activated: "Activated on this account",
  device_activation_repeated: "Activation repeated (no change)",
  trial_granted: "Free 30-day cloud trial started",
  trial_denied_already_used: "Free trial not available (already used on this camera)",
  device_unbound: "Removed from account",
  unbind_blocked_active_subscription: "Removal blocked: paid plan active",
  transfer_offered: "Transfer offered",
  transfer_cancelled: "Transfer offer cancelled",
  transfer_expired: "Transfer offer expired",
  transfer_accepted: "Transfer accepted",
  sim_left_with_previous_owner: "SIM card stayed with its owner (needs a decision)",
  sim_transferred: "SIM card transferred",
  subscription_synced: "Cloud plan updated",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = getDb(context.cloudflare.env);
  const now = Date.now();
  const [devices, transfers] = await Promise.all([listMyDevices(db, user.id, now), transfersFor(db, user, now)]);
  // History per device, only since this user's current ownership began (never a previous owner's).
  const ids = devices.map((d) => d.id);
  const history = ids.length
    ? await db
        .select({ deviceId: auditLog.deviceId, event: auditLog.event, at: auditLog.at })
        .from(auditLog)
        .innerJoin(deviceOwnerships, and(eq(deviceOwnerships.deviceId, auditLog.deviceId), eq(deviceOwnerships.userId, user.id), eq(deviceOwnerships.status, "active")))
        .where(and(inArray(auditLog.deviceId, ids), gte(auditLog.at, deviceOwnerships.startedAt)))
        .orderBy(auditLog.at)
    : [];
  const url = new URL(request.url);
  return {
    locale: requestLocale(request),
    now,
    devices,
    incoming: transfers.incoming,
    outgoing: transfers.outgoing,
    emailVerified: transfers.emailVerified,
    history: history.map((h) => ({ ...h, label: EVENT_LABELS[h.event] ?? h.event })),
    transferToken: url.searchParams.get("transfer"),
  };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("activate"), serial: z.string().trim().min(3).max(32), activationCode: z.string().trim().min(4).max(32) }),
  z.object({ intent: z.literal("check-trial"), serial: z.string().trim().min(3).max(32), activationCode: z.string().trim().min(4).max(32) }),
  z.object({ intent: z.literal("unbind"), deviceId: z.string().min(8).max(64) }),
  z.object({ intent: z.literal("offer-transfer"), deviceId: z.string().min(8).max(64), toEmail: z.email().max(254), includeSim: z.literal("on").optional() }),
  z.object({ intent: z.literal("cancel-transfer"), transferId: z.string().min(8).max(64) }),
  z.object({ intent: z.literal("accept-transfer"), transferId: z.string().min(8).max(64).optional(), token: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional() }),
]);

type ActionResult = { intent: string; ok: boolean; message: string; link?: string };

const BAD_FORM: ActionResult = { intent: "unknown", ok: false, message: "Please check the form: some fields are missing or invalid." };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const env = context.cloudflare.env;
  const actor = { user, requestId: context.requestId };
  // A body that isn't form data (a same-origin JSON or text POST) is the sender's mistake, not a 500.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data(BAD_FORM, { status: 400 });
  }
  const parsed = Intent.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data(BAD_FORM, { status: 400 });
  return handleIntent(parsed.data, env, actor);
}

async function handleIntent(f: z.infer<typeof Intent>, env: Env, actor: Actor): Promise<ActionResult> {
  switch (f.intent) {
    case "activate": {
      const r = await activateDevice(env, f, actor);
      if (!r.ok) return { intent: f.intent, ok: false, message: r.message };
      const msg =
        r.trial === "granted"
          ? `${r.device.model} activated. Your free 30-day cloud trial has started.`
          : r.trial === "active"
            ? `${r.device.model} is already on your account; its trial is active.`
            : `${r.device.model} activated. This camera's free trial was already used, so it starts on the Local plan.`;
      return { intent: f.intent, ok: true, message: msg };
    }
    case "check-trial": {
      const r = await checkTrialAvailability(env, f, actor);
      if (!r.ok) return { intent: f.intent, ok: false, message: r.message };
      return {
        intent: f.intent,
        ok: true,
        message: r.trialAvailable
          ? "Good news: this camera's free 30-day cloud trial is still available and starts when you activate it."
          : "This camera's free trial has already been used. You can still activate it and choose a plan.",
      };
    }
    case "unbind": {
      const r = await unbindDevice(env, f.deviceId, actor);
      if (!r.ok) return { intent: f.intent, ok: false, message: r.message, link: r.error === "active_subscription_requires_billing_portal" ? "/account/services" : undefined };
      return { intent: f.intent, ok: true, message: "The camera was removed from your account. Its recordings and cloud resources are kept." };
    }
    case "offer-transfer": {
      const r = await offerTransfer(env, f.deviceId, { toEmail: f.toEmail, includeSim: f.includeSim === "on" }, actor);
      if (!r.ok) return { intent: f.intent, ok: false, message: r.message, link: r.error === "active_subscription_requires_billing_portal" ? "/account/services" : undefined };
      return {
        intent: f.intent,
        ok: true,
        message: `Transfer offered to ${r.transfer.toEmail}. They'll see it under "Offers for you" when they sign in, or you can send them this link (valid 72 hours):`,
        link: `/account/devices?transfer=${r.token}`,
      };
    }
    case "cancel-transfer": {
      const r = await cancelTransfer(env, { transferId: f.transferId }, actor);
      return { intent: f.intent, ok: r.ok, message: r.ok ? "Transfer offer cancelled." : r.message };
    }
    case "accept-transfer": {
      const ref = f.token ? { token: f.token } : f.transferId ? { transferId: f.transferId } : null;
      if (!ref) return { intent: f.intent, ok: false, message: "That transfer link is not valid." };
      const r = await acceptTransfer(env, ref, actor);
      return { intent: f.intent, ok: r.ok, message: r.ok ? "The camera is now on your account." : r.message };
    }
  }
}

function Pending({ busy, idle, active }: { busy: boolean; idle: string; active: string }) {
  return <>{busy ? active : idle}</>;
}

export default function Devices() {
  const { devices, incoming, outgoing, emailVerified, history, locale, transferToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busyIntent = nav.state !== "idle" ? String(nav.formData?.get("intent") ?? "") : "";
  const busyDevice = nav.state !== "idle" ? String(nav.formData?.get("deviceId") ?? nav.formData?.get("transferId") ?? "") : "";

  return (
    <>
      <h1>Your devices</h1>
      {result ? (
        <div className={result.ok ? "notice notice--ok" : "notice notice--error"} role={result.ok ? "status" : "alert"} data-testid="action-result">
          <p>{result.message}</p>
          {result.link ? (
            result.link.startsWith("/account/devices?transfer=") ? (
              <p>
                <code className="share-link">{result.link}</code>
              </p>
            ) : (
              <p>
                <Link to={result.link}>Manage billing</Link>
              </p>
            )
          ) : null}
        </div>
      ) : null}

      {transferToken ? (
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
                  <strong>{t.model}</strong> ({t.serial}) from {t.fromEmail}
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
                  <Link to={`/account/devices/${d.id}`}>{d.model}</Link> <span className="muted">· {d.serial}</span>
                </h3>
                <p className="device-status" data-testid="device-status">
                  {d.trial.state === "active" ? (
                    <span className="badge badge--ok">Trial active, {d.trial.daysLeft} days left</span>
                  ) : d.trial.state === "used" ? (
                    <span className="badge badge--warn">Trial already used</span>
                  ) : (
                    <span className="badge">Trial available</span>
                  )}{" "}
                  <span className="badge">
                    {d.plan.source === "stripe" ? `${d.plan.name} plan` : d.plan.source === "trial" ? "Daily Backup (trial)" : "Local plan"}
                  </span>{" "}
                  <span className="muted">
                    {d.historyDays > 0 ? `Cloud history: ${d.historyDays === 1 ? "24 hours" : `${d.historyDays} days`}` : "No cloud history"} · On your account since{" "}
                    {formatDate(d.ownedSince, locale)}
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
                  <details>
                    <summary>Remove from account</summary>
                    <div className="confirm">
                      <p>Removing this camera from your account:</p>
                      <ul>
                        <li>
                          <strong>Plan:</strong>{" "}
                          {d.plan.source === "stripe" ? "a paid plan must be cancelled in billing first." : "nothing to cancel; the camera goes back to Local."}
                        </li>
                        <li>
                          <strong>Trial:</strong> {d.trial.state === "active" ? "your free trial ends now and" : "the free trial"} can never be used again on this camera.
                        </li>
                        <li>
                          <strong>SIM:</strong> {d.iccid ? "the SIM card stays on your account until you decide what to do with it." : "this camera has no SIM card."}
                        </li>
                        <li>
                          <strong>Recordings:</strong> nothing is deleted, but you will no longer be able to view this camera's history.
                        </li>
                      </ul>
                      <Form method="post">
                        <input type="hidden" name="intent" value="unbind" />
                        <input type="hidden" name="deviceId" value={d.id} />
                        <button type="submit" className="button--danger" disabled={busyIntent === "unbind" && busyDevice === d.id}>
                          <Pending busy={busyIntent === "unbind" && busyDevice === d.id} idle={`Remove ${d.serial}`} active="Removing…" />
                        </button>
                      </Form>
                    </div>
                  </details>
                  <details>
                    <summary>History</summary>
                    <ol className="history">
                      {events.map((e, i) => (
                        <li key={i}>
                          <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale)}</time> — {e.label}
                        </li>
                      ))}
                    </ol>
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
          <label htmlFor="serial">
            Serial number <span className="field-hint">(on the label, e.g. N4K-000001)</span>
            <input id="serial" name="serial" required autoComplete="off" spellCheck={false} />
          </label>
          <label htmlFor="activationCode">
            Activation code
            <input id="activationCode" name="activationCode" required autoComplete="off" spellCheck={false} />
          </label>
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
