import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { PlanComparison } from "~/components/PlanComparison";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { comparedPlans } from "~/domain/plan-comparison";
import { TRIAL_TERMS } from "~/domain/product-details";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { getUser } from "~/lib/auth.server";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts, type StoreProduct } from "~/models/catalog.server";
import { myPlanMarks, withImage } from "~/models/catalog-view.server";
import { depsOf } from "~/models/deps.server";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: storeStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: "description", content: data.meta.description }] : [];

/** The store's sections, in order (their words: store catalogue `sections.<kind>`). */
const SECTIONS = ["hardware", "sim_plan", "cloud_plan", "voice_tier"] as const satisfies readonly StoreProduct["kind"][];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [products, user] = await Promise.all([listStoreProducts(getDb(context.cloudflare.env)), getUser(request, context)]);
  const t = translatorFor(request, "store");
  return {
    meta: { title: t("meta.storeTitle"), description: t("meta.storeDescription") },
    locale: requestLocale(request),
    products: products.map(withImage(requestLanguage(request))),
    signedIn: user !== null,
    comparison: comparedPlans(),
    current: await myPlanMarks(depsOf(context), user?.id ?? null),
  };
}

export default function Store() {
  const { locale, products, comparison, current, signedIn } = useLoaderData<typeof loader>();
  const t = useT("store");
  const summary = t("trial.summary", TRIAL_TERMS);
  return (
    <>
      <h1>{t("title")}</h1>
      {SECTIONS.map((kind) => {
        const items = products.filter((p) => p.kind === kind);
        if (items.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`section-${kind}`} className="store-section">
            <h2 id={`section-${kind}`}>{t(`sections.${kind}.title`)}</h2>
            <p className="muted">{t(`sections.${kind}.blurb`, { summary })}</p>
            <div className="product-grid">
              {items.map((p) => (
                <ProductCard key={p.sku} product={p} locale={locale} />
              ))}
            </div>
            {kind === "cloud_plan" ? (
              <div className="compare-wrap" id="compare">
                <PlanComparison
                  plans={comparison}
                  current={current}
                  locale={locale}
                  action={signedIn ? "services" : "product"}
                  caption={t("product.comparisonCaption")}
                />
              </div>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
