import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { getDb } from "~/db/client.server";
import { voiceTierBySku } from "~/domain/plans";
import { getUser } from "~/lib/auth.server";
import { formatPrice } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { getStoreProduct } from "~/models/catalog.server";

const Params = z.object({ sku: z.string().regex(/^[a-z0-9-]{1,64}$/) });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.product.name} — AOVIS Edge` : "Not found — AOVIS Edge" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const product = await getStoreProduct(getDb(context.cloudflare.env), parsed.data.sku);
  if (!product) throw new Response("Not found", { status: 404 });
  const signedIn = (await getUser(request, context)) !== null;
  // The tier code the services page's voice checkout expects, from the catalogue.
  const voiceTier = product.kind === "voice_tier" ? (voiceTierBySku(product.sku)?.code ?? null) : null;
  return { locale: requestLocale(request), product, signedIn, voiceTier };
}

export default function ProductPage() {
  const { locale, product, signedIn, voiceTier } = useLoaderData<typeof loader>();
  // A full-document post (the response redirects to Stripe): pending state from the submit event.
  const [buying, setBuying] = useState(false);
  const isCloudPlan = product.kind === "cloud_plan";
  const isVoice = product.kind === "voice_tier";
  return (
    <article className="product-detail" aria-labelledby="product-title">
      <p className="breadcrumb">
        <Link to="/store">Store</Link> / {product.name}
      </p>
      <h1 id="product-title">{product.name}</h1>
      <p className="price price--large" data-testid="price">
        {formatPrice(product.priceCents, product.currency, product.interval, locale)}
      </p>
      <p>{product.description}</p>
      <h2>What's included</h2>
      <ul className="features">
        {product.features.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <div className="actions">
        {isCloudPlan ? (
          <Link className="button" to={paths.services}>
            Choose a camera for this plan
          </Link>
        ) : isVoice && (product.priceCents === 0 || !signedIn) ? (
          <Link className="button" to={signedIn || product.priceCents === 0 ? "/voice" : `/login?returnTo=${encodeURIComponent(`/store/${product.sku}`)}`}>
            {product.priceCents === 0 ? "Open the voice studio" : "Sign in to subscribe"}
          </Link>
        ) : isVoice ? (
          // Posts to the services page's action: the same checkout use-case, with refusals (e.g.
          // already subscribed) shown on a page rather than as JSON.
          <Form method="post" action={paths.services} onSubmit={() => setBuying(true)}>
            <input type="hidden" name="intent" value="voice-checkout" />
            <input type="hidden" name="tier" value={voiceTier ?? ""} />
            <button type="submit" aria-disabled={buying}>
              {buying ? "Opening checkout…" : `Subscribe to ${product.name}`}
            </button>
          </Form>
        ) : signedIn ? (
          // A plain form post: Stripe Checkout collects payment and the shipping address.
          <Form method="post" action="/api/checkout/product" reloadDocument className="buy-form" onSubmit={() => setBuying(true)}>
            <input type="hidden" name="sku" value={product.sku} />
            <label htmlFor="quantity">
              Quantity
              <select id="quantity" name="quantity" defaultValue="1">
                {[1, 2, 3, 4, 5].map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" aria-disabled={buying}>
              {buying ? "Opening checkout…" : "Buy with secure checkout"}
            </button>
          </Form>
        ) : (
          <Link className="button" to={`/login?returnTo=${encodeURIComponent(`/store/${product.sku}`)}`}>
            Sign in to buy
          </Link>
        )}
      </div>
    </article>
  );
}
