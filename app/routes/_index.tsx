import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { trialSummary } from "~/domain/plan-comparison";
import { CLOUD_TRIAL } from "~/domain/plans";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts } from "~/models/catalog.server";
import { withImage } from "~/models/catalog-view.server";
import storeStyles from "~/styles/store.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: storeStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const all = (await listStoreProducts(getDb(context.cloudflare.env))).map(withImage);
  return {
    locale: requestLocale(request),
    cameras: all.filter((p) => p.kind === "hardware"),
    cloudPlans: all.filter((p) => p.kind === "cloud_plan"),
  };
}

export default function Home() {
  const { locale, cameras, cloudPlans } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">See what matters, from anywhere</h1>
        <p className="lede">
          NEXA cameras record in up to 4K and keep footage safely in the cloud for as long as your plan allows. Every new camera starts with a{" "}
          {CLOUD_TRIAL.name.toLowerCase()}: {trialSummary()}.
        </p>
        <p>
          <Link className="button" to="/store">
            Shop cameras and plans
          </Link>{" "}
          <Link className="button button--ghost" to="/account/devices">
            Activate a camera
          </Link>
        </p>
      </section>
      <section aria-labelledby="cameras-title">
        <h2 id="cameras-title">Cameras</h2>
        <div className="product-grid">
          {cameras.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
      </section>
      <section aria-labelledby="plans-title">
        <h2 id="plans-title">Cloud recording plans</h2>
        <div className="product-grid">
          {cloudPlans.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
        <p>
          <Link to="/store#compare">Compare every plan side by side</Link>
        </p>
      </section>
    </>
  );
}
