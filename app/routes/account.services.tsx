import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { cameraLabel } from "~/domain/camera-name";
import { voiceTierRank } from "~/domain/checkout-policy";
import { OrdersTable } from "~/components/OrdersTable";
import { PlanComparison } from "~/components/PlanComparison";
import { comparedPlans, currentPlanMarks } from "~/domain/plan-comparison";
import { CLOUD_PLANS, RECOMMENDED_CLOUD_PLAN, VOICE_TIERS, voiceTierByCode } from "~/domain/plans";
import type { TrialState } from "~/domain/device-status";
import { firstChargeForTrial } from "~/domain/trial-checkout";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { seeOther } from "~/http/responses.server";
import { requireUser } from "~/lib/auth.server";
import { paymentProblemText, renewalText } from "~/lib/billing-copy";
import { formatDate, formatPrice } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { startCloudCheckout } from "~/models/billing/checkout.server";
import { CloudCheckoutInput, PortalInput, VoiceCheckoutInput } from "~/models/billing/inputs";
import { listMyOrders } from "~/models/billing/orders.server";
import { openBillingPortal } from "~/models/billing/portal.server";
import { hasBillingAccount, liveBillingSubscriptions, nextPaymentAttempt } from "~/models/billing/reads.server";
import { startVoiceUpgrade } from "~/models/billing/voice-upgrade.server";
import { depsOf } from "~/models/deps.server";
import { listMyDevices } from "~/models/devices/reads.server";
import { voiceTier } from "~/models/voice/tier.server";
import billingStyles from "~/styles/billing.css?url";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: billingStyles },
  { rel: "stylesheet", href: storeStyles },
];

export const meta: MetaFunction = () => [{ title: "Services and billing — AOVIS Edge" }];

/** "Front door · NEXA Prime 4K", or null for no camera. */
const cameraOf = (d: { name: string | null; model: string } | undefined) => (d ? cameraLabel(d) : null);

/** When a plan bought now would first be charged (ms; the rule checkout uses), for a camera not on a paid plan yet; else null. */
function firstChargeMs(d: { plan: { source: string }; trial: TrialState }, now: number): number | null {
  const at = d.plan.source === "stripe" ? null : firstChargeForTrial(d.trial, now);
  return at === null ? null : at * 1000;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const deps = depsOf(context);
  const now = Date.now();
  const [devices, subs, tier, billingAccount, orders] = await Promise.all([
    listMyDevices(deps, user.id, now),
    liveBillingSubscriptions(deps, user.id),
    voiceTier(deps, user.id, now),
    hasBillingAccount(deps, user.id),
    listMyOrders(deps, user.id),
  ]);
  const voiceSub = subs.find((s) => s.kind === "voice") ?? null;
  const url = new URL(request.url);
  const failed = subs.filter((s) => s.notice === "payment_failed");
  // Stripe's next retry, asked only while it is still retrying (past_due).
  const retries = await Promise.all(failed.map((s) => (s.stripeStatus === "past_due" ? nextPaymentAttempt(deps, user.id, s.id) : null)));
  return {
    locale: requestLocale(request),
    checkoutCancelled: url.searchParams.get("checkout") === "cancelled",
    devices: devices.map((d) => ({
      id: d.id,
      model: d.model,
      name: d.name,
      serial: d.serial,
      plan: d.plan,
      historyDays: d.historyDays,
      // A plan bought now during the trial is first charged then (the same rule checkout uses).
      firstChargeAt: firstChargeMs(d, now),
      paymentFailed: subs.some((s) => s.id === d.plan.subscriptionId && s.notice === "payment_failed"),
    })),
    paymentProblems: failed.map((s, i) => ({
      id: s.id,
      name: s.name,
      camera: cameraOf(devices.find((d) => d.id === s.deviceId)),
      retrying: s.stripeStatus === "past_due",
      retryAt: retries[i],
      graceEndsAt: s.graceEndsAt,
      historyDays: s.historyDays,
    })),
    voice: {
      tier,
      name: voiceTierByCode(tier)?.name ?? "Voice Free",
      subscription: voiceSub,
    },
    billingAccount,
    orders,
    comparison: comparedPlans(),
    current: currentPlanMarks(devices.map((d) => ({ label: cameraLabel(d), planCode: d.plan.code }))),
    plans: CLOUD_PLANS.filter((p) => p.purchasable).map((p) => ({
      code: p.code,
      name: p.name,
      priceCents: p.priceCents,
      currency: p.currency,
      interval: p.interval,
      features: p.features,
      recommended: p.code === RECOMMENDED_CLOUD_PLAN,
    })),
    voiceTiers: VOICE_TIERS.filter((t) => t.stripePriceKey).map((t) => ({
      code: t.code,
      name: t.name,
      priceCents: t.priceCents,
      currency: t.currency,
      interval: t.interval,
      features: t.features,
    })),
  };
}

// The page's buttons post here; each intent uses the same use case and schema as its /api/* route
// and answers 303 to Stripe (a plain redirect, so it works without JavaScript) or a message to show.
export const action = formAction({
  // Not a form post (JSON, plain text, a broken multipart body): this page's forms never send that.
  unreadableMessage: "That request could not be read. Please use the buttons on this page.",
  invalidMessage: "Please choose a camera and a plan.",
  intents: {
    "cloud-checkout": intent(CloudCheckoutInput, async ({ context, input, actor }) => {
      const r = await startCloudCheckout(depsOf(context), input, actor);
      return r.ok ? seeOther(r.url) : r;
    }),
    // A customer who already pays for a voice tier changes it in the Billing Portal (not a second checkout).
    "voice-checkout": intent(VoiceCheckoutInput, async ({ context, input, actor }) => {
      const r = await startVoiceUpgrade(depsOf(context), input, actor);
      return r.ok ? seeOther(r.url) : r;
    }),
    portal: intent(PortalInput, async ({ context, input, actor }) => {
      const r = await openBillingPortal(depsOf(context), input, actor);
      return r.ok ? seeOther(r.url) : r;
    }),
  },
});

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type DevicePlan = LoaderData["devices"][number]["plan"];

function statusLabel(plan: DevicePlan): { text: string; tone: "ok" | "warn" | "plain" } {
  if (plan.source === "none") return { text: "No cloud plan", tone: "plain" };
  if (plan.status === "ACTIVE") return { text: plan.source === "trial" ? "Trial active" : "Active", tone: "ok" };
  if (plan.status === "INACTIVE") return { text: "Payment problem", tone: "warn" };
  return { text: plan.status.toLowerCase(), tone: "plain" };
}

function PortalButton({
  subscriptionId,
  label,
  flow,
  busy,
  describedBy,
}: {
  subscriptionId?: string;
  label: string;
  flow?: string;
  busy: boolean;
  describedBy?: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="portal" />
      {subscriptionId ? <input type="hidden" name="subscriptionId" value={subscriptionId} /> : null}
      {flow ? <input type="hidden" name="flow" value={flow} /> : null}
      <button type="submit" className="button--ghost" disabled={busy} aria-describedby={describedBy}>
        {label}
      </button>
    </Form>
  );
}

export default function AccountServices() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormReply | undefined;
  const nav = useNavigation();
  const { locale } = data;
  const busy = nav.state !== "idle" && nav.formMethod?.toLowerCase() === "post";
  const pendingIntent = busy ? nav.formData?.get("intent") : null;
  const pendingPlan = busy ? nav.formData?.get("planCode") : null;
  const pendingTier = busy ? nav.formData?.get("tier") : null;
  const eligible = data.devices.filter((d) => d.plan.source !== "stripe");
  const buyableTiers = data.voiceTiers.filter((t) => voiceTierRank(t.code) > voiceTierRank(data.voice.tier));

  return (
    <>
      <h1>Services and billing</h1>
      {busy ? (
        <p className="visually-hidden" role="status">
          {pendingIntent === "portal" ? "Opening the billing portal…" : "Opening secure checkout…"}
        </p>
      ) : null}
      {data.checkoutCancelled ? (
        <p className="notice" role="status">
          Checkout was cancelled. Nothing was charged.
        </p>
      ) : null}
      {actionData && !actionData.ok ? (
        <p className="notice notice--error" role="alert">
          {actionData.message}
        </p>
      ) : null}
      {data.paymentProblems.map((p) => (
        <div key={p.id} className="notice notice--error billing-notice" role="alert" data-testid="payment-failed-notice">
          <p>
            <strong>
              We couldn't take the payment for {p.name}
              {p.camera ? ` (${p.camera})` : ""}.
            </strong>{" "}
            {paymentProblemText(p, locale)}
          </p>
          <PortalButton subscriptionId={p.id} flow="payment_method_update" label="Update card" busy={busy} />
        </div>
      ))}

      <section className="panel" aria-labelledby="cameras-title">
        <h2 id="cameras-title">Cloud plans for your cameras</h2>
        {data.devices.length === 0 ? (
          <p>
            You have no cameras on your account yet. <Link to={paths.devices}>Add a camera</Link> to choose a cloud plan for it.
          </p>
        ) : (
          <table className="services-table">
            <caption className="visually-hidden">Each camera's cloud plan</caption>
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">Renewal</th>
                <th scope="col">
                  <span className="visually-hidden">Billing</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.devices.map((d) => {
                const s = statusLabel(d.plan);
                return (
                  <tr key={d.id} data-device-id={d.id}>
                    <th scope="row">
                      {cameraLabel(d)}
                      <span className="muted device-serial">{d.serial}</span>
                    </th>
                    <td data-testid="plan-name">
                      {d.plan.name}
                      <span className="muted device-serial">{d.historyDays > 0 ? `${d.historyDays}-day history` : "No cloud history"}</span>
                    </td>
                    <td>
                      <span className={s.tone === "ok" ? "badge badge--ok" : s.tone === "warn" ? "badge badge--warn" : "badge"} data-testid="plan-status">
                        {s.text}
                      </span>
                    </td>
                    <td data-testid="plan-renewal">{renewalText(d.plan, locale)}</td>
                    <td>
                      {d.plan.source === "stripe" && d.plan.subscriptionId ? (
                        <PortalButton subscriptionId={d.plan.subscriptionId} label="Manage billing" busy={busy} describedBy={`cam-${d.id}`} />
                      ) : null}
                      <span id={`cam-${d.id}`} className="visually-hidden">
                        for {cameraLabel(d)} {d.serial}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="compare-title">
        <h2 id="compare-title">Plans compared</h2>
        <PlanComparison
          plans={data.comparison}
          current={data.current}
          locale={locale}
          action="none"
          caption="Cloud recording plans, with the one each camera is on"
          captionHidden
        />
      </section>

      <section className="panel" aria-labelledby="choose-title">
        <h2 id="choose-title">Choose a cloud plan</h2>
        {data.devices.length === 0 ? (
          <p>
            Plans are per camera. <Link to={paths.devices}>Add your camera</Link> first, then come back here.
          </p>
        ) : eligible.length === 0 ? (
          <p>Every camera on your account has a paid plan. To switch plans or cancel, use Manage billing above.</p>
        ) : (
          <Form method="post" className="plan-form">
            <input type="hidden" name="intent" value="cloud-checkout" />
            {eligible.length === 1 ? (
              <p>
                <input type="hidden" name="deviceId" value={eligible[0].id} />
                For your camera <strong>{cameraLabel(eligible[0])}</strong> <span className="muted">({eligible[0].serial})</span>
              </p>
            ) : (
              <div className="device-picker">
                <label htmlFor="plan-device">Camera</label>
                <select id="plan-device" name="deviceId" defaultValue={eligible[0].id}>
                  {eligible.map((d) => (
                    <option key={d.id} value={d.id}>
                      {`${cameraLabel(d)} (${d.serial})`}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="grid plan-grid">
              {data.plans.map((p) => (
                <article key={p.code} className="card plan-card" aria-labelledby={`plan-${p.code}`}>
                  <h3 id={`plan-${p.code}`} className="card-title">
                    {p.name} {p.recommended ? <span className="badge compare__mark compare__mark--recommended">Recommended</span> : null}
                  </h3>
                  <p className="price">{formatPrice(p.priceCents, p.currency, p.interval, locale)}</p>
                  <ul className="features">
                    {p.features.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                  <button type="submit" name="planCode" value={p.code} disabled={busy} aria-describedby={`plan-${p.code}`}>
                    {pendingPlan === p.code ? "Opening checkout…" : `Choose ${p.name}`}
                  </button>
                </article>
              ))}
            </div>
            {eligible
              .filter((d) => d.firstChargeAt)
              .map((d) => (
                <p key={d.id} className="notice" data-testid="trial-billing-note">
                  {eligible.length > 1 ? `${d.model} (${d.serial}): ` : ""}
                  {d.plan.source === "trial" && d.plan.currentPeriodEnd ? `Your free trial runs until ${formatDate(d.plan.currentPeriodEnd, locale)}. ` : ""}
                  {`Choose a plan now and you won't be charged until ${formatDate(d.firstChargeAt!, locale)}; cancel before then and you pay nothing.`}
                </p>
              ))}
            <p className="field-hint">You'll pay on Stripe's secure checkout page. Cancel any time in the billing portal.</p>
          </Form>
        )}
      </section>

      <section className="panel" aria-labelledby="voice-title">
        <h2 id="voice-title">Voice studio</h2>
        <dl className="facts">
          <dt>Your tier</dt>
          <dd data-testid="voice-tier">{data.voice.name}</dd>
          {data.voice.subscription ? (
            <>
              <dt>Renewal</dt>
              <dd>{renewalText({ source: "stripe", ...data.voice.subscription }, locale)}</dd>
            </>
          ) : null}
        </dl>
        {data.voice.subscription ? (
          <div className="actions">
            <PortalButton subscriptionId={data.voice.subscription.id} label="Manage voice billing" busy={busy} />
          </div>
        ) : null}
        {buyableTiers.length > 0 ? (
          <Form method="post" className="plan-form">
            <input type="hidden" name="intent" value="voice-checkout" />
            <div className="grid plan-grid">
              {buyableTiers.map((t) => (
                <article key={t.code} className="card plan-card" aria-labelledby={`tier-${t.code}`}>
                  <h3 id={`tier-${t.code}`} className="card-title">
                    {t.name}
                  </h3>
                  <p className="price">{formatPrice(t.priceCents, t.currency, t.interval, locale)}</p>
                  <ul className="features">
                    {t.features.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                  <button type="submit" name="tier" value={t.code} disabled={busy} aria-describedby={`tier-${t.code}`}>
                    {pendingTier === t.code ? "Opening checkout…" : `Choose ${t.name}`}
                  </button>
                </article>
              ))}
            </div>
          </Form>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="orders-title">
        <h2 id="orders-title">Orders</h2>
        <OrdersTable orders={data.orders} locale={locale} />
      </section>

      {data.billingAccount ? (
        <section className="panel" aria-labelledby="billing-title">
          <h2 id="billing-title">Billing</h2>
          <p>Invoices, payment methods and cancellations are handled in Stripe's secure billing portal.</p>
          <PortalButton label="Manage billing" busy={busy} />
        </section>
      ) : null}
    </>
  );
}
