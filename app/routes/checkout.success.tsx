import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { refuse } from "~/domain/result";
import { refusalMessage } from "~/http/refusals";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { completeCheckoutReturn, type CheckoutReturn } from "~/models/billing/checkout-return.server";
import { depsOf } from "~/models/deps.server";
import billingStyles from "~/styles/billing.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

type View =
  | { kind: "subscription"; name: string; status: string; periodEnd: number | null; cancelAt: number | null; historyDays: number | null; isVoice: boolean }
  | { kind: "order"; name: string; paid: boolean }
  | { kind: "pending" }
  | { kind: "error"; message: string };

// Stripe's success_url target. Re-reads the session and applies its subscription exactly like the
// webhook does, so what this page says is already true in D1 even if the webhook is late. When that
// can't be done right now, it says so (the webhook will converge) instead of failing.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const locale = requestLocale(request);
  let r: CheckoutReturn;
  try {
    r = await completeCheckoutReturn(depsOf(context), sessionId, { user, requestId: context.requestId });
  } catch (err) {
    // Whatever went wrong, the buyer has paid: never a 500 page here. The webhook converges.
    log("error", "checkout_return_failed", { requestId: context.requestId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    r = refuse("not_confirmed");
  }
  let view: View;
  if (!r.ok) {
    if (r.error === "not_found") throw new Response("Not found", { status: 404 });
    view = { kind: "error", message: refusalMessage(r, requestLanguage(request)) };
  } else if (r.kind === "pending") {
    view = { kind: "pending" };
  } else if (r.kind === "order") {
    view = { kind: "order", name: r.productName, paid: r.result.outcome === "order_recorded" && r.result.orderStatus === "PAID" };
  } else if (r.result.outcome === "applied") {
    const l = r.result.local;
    view = {
      kind: "subscription",
      name: r.planName,
      status: l.status,
      periodEnd: l.periodEndMs,
      cancelAt: l.cancelAtMs ?? (l.cancelAtPeriodEnd ? l.periodEndMs : null),
      historyDays: l.plan?.kind === "cloud" ? l.plan.plan.historyDays : null,
      isVoice: l.plan?.kind === "voice",
    };
  } else {
    view = { kind: "pending" };
  }
  const t = translatorFor(request, "checkout");
  return { title: t("meta.title"), locale, view };
}

export default function CheckoutSuccess() {
  const { locale, view } = useLoaderData<typeof loader>();
  const location = useLocation();
  const t = useT("checkout");
  return (
    <section className="panel narrow" aria-labelledby="checkout-title">
      {view.kind === "subscription" ? (
        <>
          <h1 id="checkout-title">
            {view.status === "ACTIVE" ? t("subscription.titleActive", { name: view.name }) : t("subscription.titleSetUp", { name: view.name })}
          </h1>
          {view.status === "ACTIVE" ? (
            <p data-testid="checkout-summary">
              <SubscriptionSummary view={view} locale={locale} />
            </p>
          ) : (
            <p className="notice" role="status">
              {t("subscription.unconfirmed")}
            </p>
          )}
        </>
      ) : view.kind === "order" ? (
        <>
          <h1 id="checkout-title">{t("order.title")}</h1>
          <p data-testid="checkout-summary">{view.paid ? t("order.paid", { name: view.name }) : t("order.placed", { name: view.name })}</p>
        </>
      ) : view.kind === "pending" ? (
        <>
          <h1 id="checkout-title">{t("pending.title")}</h1>
          <p className="notice" role="status">
            {t.rich("pending.body", { again: (c) => <Link to={`${location.pathname}${location.search}`}>{c}</Link> })}
          </p>
        </>
      ) : (
        <>
          <h1 id="checkout-title">{t("error.title")}</h1>
          <p className="notice notice--error" role="alert">
            {t("error.body", { message: view.message })}
          </p>
        </>
      )}
      <div className="actions">
        <Link className="button" to={paths.services}>
          {t("actions.services")}
        </Link>
        <Link className="button button--ghost" to={paths.devices}>
          {t("actions.devices")}
        </Link>
      </div>
    </section>
  );
}

/** What an active plan now grants, then when it ends (a cancelled one) or renews. */
function SubscriptionSummary({ view, locale }: { view: Extract<View, { kind: "subscription" }>; locale: string }) {
  const t = useT("checkout");
  const what = view.historyDays !== null ? t("subscription.history", { days: view.historyDays }) : t("subscription.voice");
  const when = view.cancelAt
    ? t("subscription.endsOn", { date: formatDate(view.cancelAt, locale) })
    : view.periodEnd
      ? t("subscription.renewsOn", { date: formatDate(view.periodEnd, locale) })
      : null;
  return when ? t("subscription.summary", { what, when }) : what;
}
