import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { PlanComparison } from "~/components/PlanComparison";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { comparedPlans, trialSummary } from "~/domain/plan-comparison";
import { CLOUD_TRIAL } from "~/domain/plans";
import { getUser } from "~/lib/auth.server";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts, type StoreProduct } from "~/models/catalog.server";
import { myPlanMarks, withImage } from "~/models/catalog-view.server";
import { depsOf } from "~/models/deps.server";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: storeStyles }];

export const meta: MetaFunction = () => [{ title: "Store — AOVIS Edge" }];

const SECTIONS: { kind: StoreProduct["kind"]; title: string; blurb: string }[] = [
  { kind: "hardware", title: "Cameras", blurb: `Every NEXA camera comes with a ${CLOUD_TRIAL.name.toLowerCase()}: ${trialSummary()}, once per camera.` },
  { kind: "sim_plan", title: "SIM data plans", blurb: "LTE data for cameras away from Wi-Fi." },
  { kind: "cloud_plan", title: "Cloud recording plans", blurb: "Per camera, monthly. Plans differ by how far back you can watch." },
  { kind: "voice_tier", title: "Voice studio", blurb: "Text to speech and voice cloning for announcements and clips." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [products, user] = await Promise.all([listStoreProducts(getDb(context.cloudflare.env)), getUser(request, context)]);
  return {
    locale: requestLocale(request),
    products: products.map(withImage),
    signedIn: user !== null,
    comparison: comparedPlans(),
    current: await myPlanMarks(depsOf(context), user?.id ?? null),
  };
}

export default function Store() {
  const { locale, products, comparison, current, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Store</h1>
      {SECTIONS.map((s) => {
        const items = products.filter((p) => p.kind === s.kind);
        if (items.length === 0) return null;
        return (
          <section key={s.kind} aria-labelledby={`section-${s.kind}`} className="store-section">
            <h2 id={`section-${s.kind}`}>{s.title}</h2>
            <p className="muted">{s.blurb}</p>
            <div className="product-grid">
              {items.map((p) => (
                <ProductCard key={p.sku} product={p} locale={locale} />
              ))}
            </div>
            {s.kind === "cloud_plan" ? (
              <div className="compare-wrap" id="compare">
                <PlanComparison plans={comparison} current={current} locale={locale} action={signedIn ? "services" : "product"} />
              </div>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
