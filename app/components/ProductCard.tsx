import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { formatMoney, formatPrice } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { StoreProduct } from "~/models/catalog.server";
import type { ShownImage } from "~/models/catalog-view.server";

/** What a card shows: a catalogue row as the store reads it from D1 (in the served language), and its picture. */
export type ProductCardData = StoreProduct & { image: ShownImage | null };

/**
 * A product's price as the store shows it: Intl's amount in the served locale, and "/mo" in the
 * served language (formatPrice's own suffix is English).
 */
export function usePrice() {
  const t = useT("store");
  return (p: Pick<StoreProduct, "priceCents" | "currency" | "interval">, locale: string) =>
    p.interval === "month" && p.priceCents > 0
      ? t("perMonth", { price: formatMoney(p.priceCents, p.currency, locale) })
      : formatPrice(p.priceCents, p.currency, p.interval, locale);
}

export function ProductCard({ product, locale, headingLevel = 3 }: { product: ProductCardData; locale: string; headingLevel?: 2 | 3 }) {
  const t = useT("store");
  const price = usePrice();
  const H = headingLevel === 2 ? "h2" : "h3";
  const headingId = `product-${product.sku}`;
  const name = product.name;
  // The call to action, by what the product is.
  const cta =
    product.kind === "hardware" || product.kind === "sim_plan"
      ? t("card.buy", { name })
      : product.kind === "cloud_plan" && product.priceCents > 0
        ? t("card.choose", { name })
        : t("card.see", { name });
  return (
    <article className="card product-card" aria-labelledby={headingId} data-sku={product.sku}>
      {product.image ? (
        <img className="product-card__image" src={product.image.src} alt={product.image.alt} width={480} height={360} loading="lazy" decoding="async" />
      ) : null}
      <H id={headingId} className="card-title">
        <Link to={paths.store(product.sku)}>{product.name}</Link>
      </H>
      <p className="price" data-testid="price">
        {price(product, locale)}
      </p>
      <p className="card-description">{product.description}</p>
      <ul className="features">
        {product.features.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <p className="product-card__cta">
        <Link className="button" to={paths.store(product.sku)} data-testid="card-cta">
          {cta}
        </Link>
      </p>
    </article>
  );
}
