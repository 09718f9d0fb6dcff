import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts } from "~/models/catalog.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const all = await listStoreProducts(getDb(context.cloudflare.env));
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
          NEXA cameras record in 4K, keep footage safely in the cloud for as long as your plan allows, and every new camera comes with a free 30-day cloud
          trial.
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
        <div className="grid">
          {cameras.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
      </section>
      <section aria-labelledby="plans-title">
        <h2 id="plans-title">Cloud recording plans</h2>
        <div className="grid">
          {cloudPlans.map((p) => (
            <ProductCard key={p.sku} product={p} locale={locale} />
          ))}
        </div>
      </section>
    </>
  );
}
