import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { ProductCard } from "~/components/ProductCard";
import { getDb } from "~/db/client.server";
import { requestLocale } from "~/lib/locale.server";
import { listStoreProducts, type StoreProduct } from "~/models/catalog.server";

export const meta: MetaFunction = () => [{ title: "Store — AOVIS Edge" }];

const SECTIONS: { kind: StoreProduct["kind"]; title: string; blurb: string }[] = [
  { kind: "hardware", title: "Cameras", blurb: "Every NEXA camera includes a free 30-day cloud trial on first activation." },
  { kind: "sim_plan", title: "SIM data plans", blurb: "LTE data for cameras away from Wi-Fi." },
  { kind: "cloud_plan", title: "Cloud storage plans", blurb: "Per camera, monthly. Plans differ by how far back you can watch." },
  { kind: "voice_tier", title: "Voice studio", blurb: "Text to speech and voice cloning for announcements and clips." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const products = await listStoreProducts(getDb(context.cloudflare.env));
  return { locale: requestLocale(request), products };
}

export default function Store() {
  const { locale, products } = useLoaderData<typeof loader>();
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
            <div className="grid">
              {items.map((p) => (
                <ProductCard key={p.sku} product={p} locale={locale} />
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}
