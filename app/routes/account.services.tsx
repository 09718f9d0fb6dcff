import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { cameraLabel } from "~/domain/camera-name";
import { voiceTierRank } from "~/domain/checkout-policy";
import { OrdersTable } from "~/components/OrdersTable";
import { CameraPlansTable } from "~/components/services/CameraPlansTable";
import { PortalButton } from "~/components/services/PortalButton";
import { usePrice } from "~/components/ProductCard";
import { PlanComparison } from "~/components/PlanComparison";
import { comparedPlans, currentPlanMarks } from "~/domain/plan-comparison";
import { CLOUD_PLANS, RECOMMENDED_CLOUD_PLAN, VOICE_TIERS, voiceTierByCode, voiceTierFacts } from "~/domain/plans";
import type { TrialState } from "~/domain/device-status";
import { firstChargeForTrial } from "~/domain/trial-checkout";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { seeOther } from "~/http/responses.server";
import { translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { cloudPlanFeatures, paymentProblemText, renewalText, voiceTierFeatures } from "~/lib/billing-copy";
import { formatDate } from "~/lib/format";
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

// No data: the root error page says what happened, in the served language.
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** "Front door · NEXA Prime 4K", or null for no camera. */
const cameraOf = (d: { name: string | null; model: string } | undefined) => (d ? cameraLabel(d) : null);

/** When a plan bought now would first be charged (ms; the rule checkout uses), for a camera not on a paid plan yet; else null. */
function firstChargeMs(d: { plan: { source: string }; trial: TrialState }, now: number): number | null {
  const at = d.plan.source === "stripe" ? null : firstChargeForTrial(d.trial, now);
  return at === null ? null : at * 1000;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const t = translatorFor(request, "services");
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
    title: t("meta.title"),
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
      historyDays: p.historyDays,
      aiSummaries: p.grants.some((g) => g.key === "ai_summary"),
      smartSearch: p.grants.some((g) => g.key === "smart_search"),
      recommended: p.code === RECOMMENDED_CLOUD_PLAN,
    })),
    voiceTiers: VOICE_TIERS.filter((v) => v.stripePriceKey).map((v) => ({
      code: v.code,
      name: v.name,
      priceCents: v.priceCents,
      currency: v.currency,
      interval: v.interval,
      // The tier's lines are worded on the page from these (the rules the studio enforces).
      ...voiceTierFacts(v),
    })),
  };
}

// The page's buttons post here; each intent uses the same use case and schema as its /api/* route
// and answers 303 to Stripe (a plain redirect, so it works without JavaScript) or a message to show.
// Refusals are worded in the request's language by formAction; this page's own two sentences too.
const intents = {
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
};

export const action = formAction({
  // Not a form post (JSON, plain text, a broken multipart body): this page's forms never send that.
  unreadableMessage: (language) => translatorFor(language, "services")("form.unreadable"),
  invalidMessage: (language) => translatorFor(language, "services")("form.invalid"),
  intents,
});

export default function AccountServices() {
  const t = useT("services");
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormReply | undefined;
  const nav = useNavigation();
  const { locale } = data;
  const busy = nav.state !== "idle" && nav.formMethod?.toLowerCase() === "post";
  const pendingIntent = busy ? nav.formData?.get("intent") : null;
  const pendingPlan = busy ? nav.formData?.get("planCode") : null;
  const pendingTier = busy ? nav.formData?.get("tier") : null;
  const eligible = data.devices.filter((d) => d.plan.source !== "stripe");
  const buyableTiers = data.voiceTiers.filter((v) => voiceTierRank(v.code) > voiceTierRank(data.voice.tier));
  const priceIn = usePrice();
  const price = (p: { priceCents: number; currency: string; interval: string | null }) =>
    priceIn({ ...p, interval: p.interval === "month" ? "month" : null }, locale);

  return (
    <>
      <h1>{t("title")}</h1>
      {busy ? (
        <p className="visually-hidden" role="status">
          {pendingIntent === "portal" ? t("busy.portal") : t("busy.checkout")}
        </p>
      ) : null}
      {data.checkoutCancelled ? (
        <p className="notice" role="status">
          {t("checkoutCancelled")}
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
            <strong>{p.camera ? t("paymentProblem.titleCamera", { plan: p.name, camera: p.camera }) : t("paymentProblem.title", { plan: p.name })}</strong>{" "}
            {paymentProblemText(p, locale, t)}
          </p>
          <PortalButton subscriptionId={p.id} flow="payment_method_update" label={t("paymentProblem.updateCard")} busy={busy} />
        </div>
      ))}

      <section className="panel" aria-labelledby="cameras-title">
        <h2 id="cameras-title">{t("cameras.title")}</h2>
        <CameraPlansTable devices={data.devices} locale={locale} busy={busy} />
      </section>

      <section className="panel" aria-labelledby="compare-title">
        <h2 id="compare-title">{t("compareTitle")}</h2>
        <PlanComparison plans={data.comparison} current={data.current} locale={locale} action="none" caption={t("compare.captionServices")} captionHidden />
      </section>

      <section className="panel" aria-labelledby="choose-title">
        <h2 id="choose-title">{t("choose.title")}</h2>
        {data.devices.length === 0 ? (
          <p>{t.rich("choose.noCameras", { link: (c) => <Link to={paths.devices}>{c}</Link> })}</p>
        ) : eligible.length === 0 ? (
          <p>{t("choose.allPaid")}</p>
        ) : (
          <Form method="post" className="plan-form">
            <input type="hidden" name="intent" value="cloud-checkout" />
            {eligible.length === 1 ? (
              <p>
                <input type="hidden" name="deviceId" value={eligible[0].id} />
                {t.rich("choose.forCamera", {
                  camera: cameraLabel(eligible[0]),
                  serial: eligible[0].serial,
                  b: (c) => <strong>{c}</strong>,
                  muted: (c) => <span className="muted">{c}</span>,
                })}
              </p>
            ) : (
              <div className="device-picker">
                <label htmlFor="plan-device">{t("choose.camera")}</label>
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
                    {p.name} {p.recommended ? <span className="badge compare__mark compare__mark--recommended">{t("compare.recommended")}</span> : null}
                  </h3>
                  <p className="price">{price(p)}</p>
                  <ul className="features">
                    {cloudPlanFeatures(p, t).map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                  <button type="submit" name="planCode" value={p.code} disabled={busy} aria-describedby={`plan-${p.code}`}>
                    {pendingPlan === p.code ? t("busy.checkoutButton") : t("choose.button", { plan: p.name })}
                  </button>
                </article>
              ))}
            </div>
            {eligible
              .filter((d) => d.firstChargeAt)
              .map((d) => (
                <p key={d.id} className="notice" data-testid="trial-billing-note">
                  {eligible.length > 1 ? `${d.model} (${d.serial}): ` : ""}
                  {d.plan.source === "trial" && d.plan.currentPeriodEnd ? t("choose.trialRuns", { date: formatDate(d.plan.currentPeriodEnd, locale) }) : ""}
                  {t("choose.firstCharge", { date: formatDate(d.firstChargeAt!, locale) })}
                </p>
              ))}
            <p className="field-hint">{t("choose.hint")}</p>
          </Form>
        )}
      </section>

      <section className="panel" aria-labelledby="voice-title">
        <h2 id="voice-title">{t("voice.title")}</h2>
        <dl className="facts">
          <dt>{t("voice.tier")}</dt>
          <dd data-testid="voice-tier">{data.voice.name}</dd>
          {data.voice.subscription ? (
            <>
              <dt>{t("voice.renewal")}</dt>
              <dd>{renewalText({ source: "stripe", ...data.voice.subscription }, locale, t)}</dd>
            </>
          ) : null}
        </dl>
        {data.voice.subscription ? (
          <div className="actions">
            <PortalButton subscriptionId={data.voice.subscription.id} label={t("voice.manage")} busy={busy} />
          </div>
        ) : null}
        {buyableTiers.length > 0 ? (
          <Form method="post" className="plan-form">
            <input type="hidden" name="intent" value="voice-checkout" />
            <div className="grid plan-grid">
              {buyableTiers.map((v) => (
                <article key={v.code} className="card plan-card" aria-labelledby={`tier-${v.code}`}>
                  <h3 id={`tier-${v.code}`} className="card-title">
                    {v.name}
                  </h3>
                  <p className="price">{price(v)}</p>
                  <ul className="features">
                    {voiceTierFeatures(v, t).map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                  <button type="submit" name="tier" value={v.code} disabled={busy} aria-describedby={`tier-${v.code}`}>
                    {pendingTier === v.code ? t("busy.checkoutButton") : t("choose.button", { plan: v.name })}
                  </button>
                </article>
              ))}
            </div>
          </Form>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="orders-title">
        <h2 id="orders-title">{t("orders.title")}</h2>
        <OrdersTable orders={data.orders} locale={locale} />
      </section>

      {data.billingAccount ? (
        <section className="panel" aria-labelledby="billing-title">
          <h2 id="billing-title">{t("billing.title")}</h2>
          <p>{t("billing.body")}</p>
          <PortalButton label={t("billing.manage")} busy={busy} />
        </section>
      ) : null}
    </>
  );
}
