import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { getDb } from "~/db/client.server";
import { PlanComparison } from "~/components/PlanComparison";
import { usePrice } from "~/components/ProductCard";
import { comparedPlans } from "~/domain/plan-comparison";
import { voiceTierBySku } from "~/domain/plans";
import { shippingLines, TRIAL_TERMS } from "~/domain/product-details";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { getUser } from "~/lib/auth.server";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { getStoreProduct } from "~/models/catalog.server";
import { localized, myPlanMarks, pageImage, specSheet } from "~/models/catalog-view.server";
import { depsOf } from "~/models/deps.server";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: storeStyles }];

const Params = z.object({ sku: z.string().regex(/^[a-z0-9-]{1,64}$/) });

// A 404 is the root's error page, with the root's title (this route's meta doesn't run for it).
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: "description", content: data.product.description }] : [];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const row = await getStoreProduct(getDb(context.cloudflare.env), parsed.data.sku);
  if (!row) throw new Response("Not found", { status: 404 });
  const language = requestLanguage(request);
  const t = translatorFor(language, "store");
  const product = localized(row, language);
  const user = await getUser(request, context);
  const signedIn = user !== null;
  // The tier code the services page's voice checkout expects, from the catalogue.
  const voiceTier = product.kind === "voice_tier" ? (voiceTierBySku(product.sku)?.code ?? null) : null;
  // Cameras and cloud plans show the plans that go with them, with the customer's current one marked.
  const withPlans = product.kind === "hardware" || product.kind === "cloud_plan";
  return {
    meta: { title: t("meta.productTitle", { name: product.name }) },
    locale: requestLocale(request),
    product,
    image: pageImage(product, language),
    details: product.kind === "hardware" ? specSheet(product.sku, language) : null,
    shipping: shippingLines(product.kind),
    comparison: withPlans ? comparedPlans() : null,
    current: withPlans ? await myPlanMarks(depsOf(context), user?.id ?? null) : {},
    signedIn,
    voiceTier,
  };
}

export default function ProductPage() {
  const { locale, product, image, details, shipping, comparison, current, signedIn, voiceTier } = useLoaderData<typeof loader>();
  const t = useT("store");
  const price = usePrice();
  // A full-document post (the response redirects to Stripe): pending state from the submit event.
  const [buying, setBuying] = useState(false);
  const isCloudPlan = product.kind === "cloud_plan";
  const isVoice = product.kind === "voice_tier";
  return (
    <article className="product-detail" aria-labelledby="product-title">
      <p className="breadcrumb">
        <Link to="/store">{t("title")}</Link> / {product.name}
      </p>
      <div className="product-hero">
        {image ? <img className="product-hero__image" src={image.src} alt={image.alt} width={480} height={360} data-testid="product-image" /> : null}
        <div className="product-hero__summary">
          <h1 id="product-title">{product.name}</h1>
          <p className="price price--large" data-testid="price">
            {price(product, locale)}
          </p>
          <p>{product.description}</p>
          <ul className="features">
            {product.features.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
          {details ? <p className="notice">{t("trial.line", { summary: t("trial.summary", TRIAL_TERMS) })}</p> : null}
          <div className="actions">
            {isCloudPlan ? (
              <Link className="button" to={paths.services}>
                {t("product.choosePlanCamera")}
              </Link>
            ) : isVoice && (product.priceCents === 0 || !signedIn) ? (
              <Link className="button" to={signedIn || product.priceCents === 0 ? "/voice" : `/login?returnTo=${encodeURIComponent(`/store/${product.sku}`)}`}>
                {product.priceCents === 0 ? t("product.openVoice") : t("product.signInSubscribe")}
              </Link>
            ) : isVoice ? (
              // Posts to the services page's action: the same checkout use-case, with refusals (e.g.
              // already subscribed) shown on a page rather than as JSON.
              <Form method="post" action={paths.services} onSubmit={() => setBuying(true)}>
                <input type="hidden" name="intent" value="voice-checkout" />
                <input type="hidden" name="tier" value={voiceTier ?? ""} />
                <button type="submit" aria-disabled={buying}>
                  {buying ? t("product.openingCheckout") : t("product.subscribe", { name: product.name })}
                </button>
              </Form>
            ) : signedIn ? (
              // A plain form post: Stripe Checkout collects payment and the shipping address.
              <Form method="post" action="/api/checkout/product" reloadDocument className="buy-form" onSubmit={() => setBuying(true)}>
                <input type="hidden" name="sku" value={product.sku} />
                <label htmlFor="quantity">
                  {t("product.quantity")}
                  <select id="quantity" name="quantity" defaultValue="1">
                    {[1, 2, 3, 4, 5].map((q) => (
                      <option key={q} value={q}>
                        {q}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" aria-disabled={buying}>
                  {buying ? t("product.openingCheckout") : t("product.buy")}
                </button>
              </Form>
            ) : (
              <Link className="button" to={`/login?returnTo=${encodeURIComponent(`/store/${product.sku}`)}`}>
                {t("product.signInBuy")}
              </Link>
            )}
          </div>
        </div>
      </div>
      {details ? (
        <div className="product-facts">
          <section aria-labelledby="specs-title">
            <h2 id="specs-title">{t("product.specs")}</h2>
            <table className="spec-table" data-testid="spec-table">
              <caption className="visually-hidden">{t("product.specsCaption", { name: product.name })}</caption>
              <tbody>
                {details.specs.map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="box-title">
            <h2 id="box-title">{t("product.inTheBox")}</h2>
            <ul className="features" data-testid="in-the-box">
              {details.inTheBox.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </section>
        </div>
      ) : null}
      {shipping.length > 0 ? (
        <section aria-labelledby="shipping-title">
          <h2 id="shipping-title">{t("product.shippingTitle")}</h2>
          <ul className="features" data-testid="shipping">
            {shipping.map((line) => (
              <li key={line}>{t(`shipping.${line}`)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {comparison ? (
        <section aria-labelledby="plans-title">
          <h2 id="plans-title">{product.kind === "hardware" ? t("product.plansForCamera") : t("product.comparePlans")}</h2>
          <p className="muted">{t("product.plansNote")}</p>
          <div className="compare-wrap">
            <PlanComparison
              plans={comparison}
              current={current}
              locale={locale}
              action={signedIn ? "services" : "product"}
              caption={t("product.comparisonCaption")}
              captionHidden
            />
          </div>
        </section>
      ) : null}
    </article>
  );
}
