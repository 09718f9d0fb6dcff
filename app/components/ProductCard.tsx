import { Link } from "@remix-run/react";
import { formatPrice } from "~/lib/format";
import type { StoreProduct } from "~/models/catalog.server";

/** What a card shows: a catalogue row as the store reads it from D1. */
export type ProductCardData = Omit<StoreProduct, "kind">;

export function ProductCard({ product, locale, headingLevel = 3 }: { product: ProductCardData; locale: string; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const headingId = `product-${product.sku}`;
  return (
    <article className="card" aria-labelledby={headingId} data-sku={product.sku}>
      <H id={headingId} className="card-title">
        <Link to={`/store/${product.sku}`}>{product.name}</Link>
      </H>
      <p className="price" data-testid="price">
        {formatPrice(product.priceCents, product.currency, product.interval, locale)}
      </p>
      <p className="card-description">{product.description}</p>
      <ul className="features">
        {product.features.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
    </article>
  );
}
