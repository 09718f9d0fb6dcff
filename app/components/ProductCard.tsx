import { Link } from "@remix-run/react";
import type { ProductImage } from "~/domain/product-details";
import { formatPrice } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { StoreProduct } from "~/models/catalog.server";

/** What a card shows: a catalogue row as the store reads it from D1, and its picture. */
export type ProductCardData = StoreProduct & { image: ProductImage | null };

/** The card's call to action, by what the product is. */
const ctaOf = (p: Pick<StoreProduct, "kind" | "name" | "priceCents">) =>
  p.kind === "hardware" || p.kind === "sim_plan" ? `Buy ${p.name}` : p.kind === "cloud_plan" && p.priceCents > 0 ? `Choose ${p.name}` : `See ${p.name}`;

export function ProductCard({ product, locale, headingLevel = 3 }: { product: ProductCardData; locale: string; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const headingId = `product-${product.sku}`;
  return (
    <article className="card product-card" aria-labelledby={headingId} data-sku={product.sku}>
      {product.image ? (
        <img className="product-card__image" src={product.image.src} alt={product.image.alt} width={480} height={360} loading="lazy" decoding="async" />
      ) : null}
      <H id={headingId} className="card-title">
        <Link to={paths.store(product.sku)}>{product.name}</Link>
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
      <p className="product-card__cta">
        <Link className="button" to={paths.store(product.sku)} data-testid="card-cta">
          {ctaOf(product)}
        </Link>
      </p>
    </article>
  );
}
