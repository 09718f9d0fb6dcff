import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { refuse } from "~/domain/result";
import { refusalMessage } from "~/http/refusals";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { log } from "~/lib/log.server";
import { paths } from "~/lib/paths";
import { completeCheckoutReturn, type CheckoutReturn } from "~/models/billing/checkout-return.server";
import { depsOf } from "~/models/deps.server";
import billingStyles from "~/styles/billing.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: billingStyles }];

export const meta: MetaFunction = () => [{ title: "Thank you — AOVIS Edge" }];

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
    view = { kind: "error", message: refusalMessage(r) };
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
  return { locale, view };
}

export default function CheckoutSuccess() {
  const { locale, view } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <section className="panel narrow" aria-labelledby="checkout-title">
      {view.kind === "subscription" ? (
        <>
          <h1 id="checkout-title">{`Thank you: ${view.name} is ${view.status === "ACTIVE" ? "active" : "set up"}`}</h1>
          {view.status === "ACTIVE" ? (
            <p data-testid="checkout-summary">
              {view.historyDays !== null ? `Your camera now keeps ${view.historyDays} days of cloud history. ` : "Your voice studio has been upgraded. "}
              {view.cancelAt
                ? `It ends on ${formatDate(view.cancelAt, locale)}.`
                : view.periodEnd
                  ? `It renews on ${formatDate(view.periodEnd, locale)}.`
                  : null}
            </p>
          ) : (
            <p className="notice" role="status">
              Stripe hasn't confirmed the payment yet. Your plan starts as soon as it does; you don't need to pay again.
            </p>
          )}
        </>
      ) : view.kind === "order" ? (
        <>
          <h1 id="checkout-title">Thank you for your order</h1>
          <p data-testid="checkout-summary">
            {view.paid
              ? `We've received your payment for ${view.name} and will email you when it ships.`
              : `Your order for ${view.name} is placed. We'll ship it once your payment clears.`}
          </p>
        </>
      ) : view.kind === "pending" ? (
        <>
          <h1 id="checkout-title">We're confirming your payment</h1>
          <p className="notice" role="status">
            This usually takes a few seconds. <Link to={`${location.pathname}${location.search}`}>Check again</Link>; you won't be charged twice.
          </p>
        </>
      ) : (
        <>
          <h1 id="checkout-title">We couldn't confirm your payment right now</h1>
          <p className="notice notice--error" role="alert">
            {view.message} If you completed the payment, your plan will appear shortly; you won't be charged twice.
          </p>
        </>
      )}
      <div className="actions">
        <Link className="button" to={paths.services}>
          View your services
        </Link>
        <Link className="button button--ghost" to={paths.devices}>
          Your cameras
        </Link>
      </div>
    </section>
  );
}
