import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { TRIAL_TERMS } from "~/domain/product-details";
import { requestLanguage } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts } from "~/models/catalog.server";
import { withImage } from "~/models/catalog-view.server";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: storeStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const all = (await listStoreProducts(getDb(context.cloudflare.env))).map(withImage(requestLanguage(request)));
  return {
    locale: requestLocale(request),
    cameras: all.filter((p) => p.kind === "hardware"),
    cloudPlans: all.filter((p) => p.kind === "cloud_plan"),
  };
}

export default function Home() {
  const { locale, cameras, cloudPlans } = useLoaderData<typeof loader>();
  const t = useT("store");
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t("home.title")}</h1>
        <p className="lede">{t("home.lede", { summary: t("trial.summary", TRIAL_TERMS) })}</p>
        <p>
          <Link className="button" to="/store">
            {t("home.shop")}
          </Link>{" "}
          <Link className="button button--ghost" to="/account/devices">
            {t("home.activate")}
          </Link>
        </p>
      </section>
      <section aria-labelledby="cameras-title">
        <h2 id="cameras-title">{t("home.cameras")}</h2>
        <div className="product-grid">
          {cameras.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
      </section>
      <section aria-labelledby="plans-title">
        <h2 id="plans-title">{t("home.plans")}</h2>
        <div className="product-grid">
          {cloudPlans.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
        <p>
          <Link to="/store#compare">{t("home.compare")}</Link>
        </p>
      </section>
    </>
  );
}
