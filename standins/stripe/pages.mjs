// HTML for the stand-in's hosted Checkout (/c/pay/:id) and customer portal (/p/session/:id).
// Plain server-rendered forms (no JS): labelled inputs, one h1 per page, errors in role="alert".
import { escapeHtml as e } from "../lib/http.mjs";

export function money(amount, currency) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);
}

export function priceText(price) {
  const m = money(price.unit_amount, price.currency);
  if (!price.recurring) return m;
  const { interval, interval_count: n } = price.recurring;
  return n === 1 ? `${m} per ${interval}` : `${m} every ${n} ${interval}s`;
}

const date = (sec) => new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(sec * 1000));

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1f36; background: #f6f9fc; }
  body { margin: 0; }
  .banner { background: #ffde92; color: #5a3d00; text-align: center; padding: .4rem; font-weight: 600; font-size: .85rem; }
  main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  section, form { background: #fff; border: 1px solid #d5dbe1; border-radius: 8px; padding: 1.25rem; margin-bottom: 1rem; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 0; }
  fieldset { border: 0; padding: 0; margin: 0 0 1rem; } legend { font-weight: 600; margin-bottom: .5rem; }
  label { display: block; margin: .6rem 0 .2rem; font-weight: 500; }
  input, select { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #8792a2; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: #b3093c; }
  :focus-visible { outline: 3px solid #0055d4; outline-offset: 2px; }
  button { font: inherit; font-weight: 600; padding: .6rem 1.4rem; border-radius: 4px; border: 0; background: #0055d4; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #0055d4; border: 1px solid #0055d4; }
  button.danger { background: #b3093c; }
  .alert { border: 1px solid #b3093c; background: #fdecef; color: #7a0627; padding: .75rem; border-radius: 4px; }
  .notice { border: 1px solid #2a7d3a; background: #ebf7ee; color: #1d5a29; padding: .75rem; border-radius: 4px; }
  .hint { color: #4f566b; font-size: .9rem; }
  .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
  .actions { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; margin-top: 1rem; }
  ul.items { list-style: none; padding: 0; } ul.items li { display: flex; justify-content: space-between; padding: .4rem 0; border-bottom: 1px solid #eef0f3; }
  .total { display: flex; justify-content: space-between; font-weight: 700; }
  a { color: #0055d4; }
  form.inline { display: inline; border: 0; padding: 0; margin: 0; background: none; }
`;

function layout(title, body, { testMode = true } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${testMode ? `<header class="banner">TEST MODE: local Stripe stand-in, no real payment is made</header>` : ""}
<main>
${body}
</main>
</body>
</html>`;
}

export function messagePage(title, message, link) {
  return layout(
    title,
    `<h1>${e(title)}</h1>
<section><p>${e(message)}</p>${link ? `<p><a href="${e(link.href)}">${e(link.text)}</a></p>` : ""}</section>`,
  );
}

/**
 * @param {{session: object, items: {name: string, description: string|null, quantity: number, price: object}[],
 *   error?: {message: string, field?: string|null}|null, values?: Record<string,string>, livemode: boolean}} p
 */
export function checkoutPage({ session, items, error = null, values = {}, livemode }) {
  const v = (k, d = "") => e(values[k] ?? d);
  const invalid = (field) => (error?.field === field ? ` aria-invalid="true" aria-describedby="form-error"` : "");
  const recurring = items.find((i) => i.price.recurring);
  const title = session.mode === "subscription" && recurring ? `Subscribe to ${recurring.name}` : "Pay AOVIS";
  const sac = session.shipping_address_collection;
  const regions = new Intl.DisplayNames(["en"], { type: "region" });
  const shipping = sac
    ? `<fieldset>
  <legend>Shipping address</legend>
  <label for="shipping_name">Full name</label>
  <input id="shipping_name" name="shipping_name" autocomplete="shipping name" required value="${v("shipping_name")}"${invalid("shipping_name")}>
  <label for="shipping_line1">Address line 1</label>
  <input id="shipping_line1" name="shipping_line1" autocomplete="shipping address-line1" required value="${v("shipping_line1")}"${invalid("shipping_line1")}>
  <label for="shipping_line2">Address line 2 (optional)</label>
  <input id="shipping_line2" name="shipping_line2" autocomplete="shipping address-line2" value="${v("shipping_line2")}">
  <div class="row">
    <div><label for="shipping_city">City</label>
    <input id="shipping_city" name="shipping_city" autocomplete="shipping address-level2" required value="${v("shipping_city")}"${invalid("shipping_city")}></div>
    <div><label for="shipping_state">State or region (optional)</label>
    <input id="shipping_state" name="shipping_state" autocomplete="shipping address-level1" value="${v("shipping_state")}"></div>
  </div>
  <div class="row">
    <div><label for="shipping_postal_code">Postal code</label>
    <input id="shipping_postal_code" name="shipping_postal_code" autocomplete="shipping postal-code" required value="${v("shipping_postal_code")}"${invalid("shipping_postal_code")}></div>
    <div><label for="shipping_country">Country</label>
    <select id="shipping_country" name="shipping_country" autocomplete="shipping country" required${invalid("shipping_country")}>
      ${sac.allowed_countries.map((c) => `<option value="${e(c)}"${(values.shipping_country ?? sac.allowed_countries[0]) === c ? " selected" : ""}>${e(regions.of(c) ?? c)}</option>`).join("\n      ")}
    </select></div>
  </div>
</fieldset>`
    : "";
  const body = `<h1>${e(title)}</h1>
${error ? `<div class="alert" role="alert" id="form-error"><strong>Payment not completed.</strong> ${e(error.message)}</div>` : ""}
<section aria-labelledby="summary-heading">
  <h2 id="summary-heading">Order summary</h2>
  <ul class="items">
    ${items.map((i) => `<li><span>${e(i.name)}${i.quantity > 1 ? ` × ${i.quantity}` : ""}${i.description ? `<br><span class="hint">${e(i.description)}</span>` : ""}</span><span>${e(priceText(i.price))}</span></li>`).join("\n    ")}
  </ul>
  <p class="total"><span>Total due today</span><span>${e(money(session.amount_total, session.currency))}</span></p>
</section>
<form method="post" action="/c/pay/${e(session.id)}/pay" aria-labelledby="payment-heading">
  <h2 id="payment-heading">Payment details</h2>
  <fieldset>
    <legend>Contact information</legend>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required value="${v("email")}"${invalid("email")}>
  </fieldset>
  ${shipping}
  <fieldset>
    <legend>Card information</legend>
    <label for="card_number">Card number</label>
    <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required value="${v("card_number", "4242 4242 4242 4242")}" aria-describedby="card-hint${error?.field === "card_number" ? " form-error" : ""}"${error?.field === "card_number" ? ` aria-invalid="true"` : ""}>
    <p class="hint" id="card-hint">Test mode: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>
    <div class="row">
      <div><label for="card_expiry">Expiry (MM / YY)</label>
      <input id="card_expiry" name="card_expiry" autocomplete="cc-exp" required value="${v("card_expiry", "12 / 34")}"${invalid("card_expiry")}></div>
      <div><label for="card_cvc">Security code (CVC)</label>
      <input id="card_cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" required value="${v("card_cvc", "123")}"${invalid("card_cvc")}></div>
    </div>
    <label for="card_name">Name on card</label>
    <input id="card_name" name="card_name" autocomplete="cc-name" value="${v("card_name")}">
  </fieldset>
  <p class="hint">${session.mode === "subscription" ? "You will be charged this amount every billing period until you cancel." : "You will be charged once."}</p>
  <div class="actions">
    <button type="submit">Pay</button>
    ${session.cancel_url ? `<a href="${e(session.cancel_url)}">Cancel</a>` : ""}
  </div>
</form>`;
  return layout(`${title} – Checkout${livemode ? "" : " (test mode)"}`, body);
}

/**
 * @param {{portal: object, customer: object, subs: {sub: object, name: string, price: object}[], notice?: string|null}} p
 */
export function portalPage({ portal, customer, subs, notice = null }) {
  const statusText = (s) => {
    if (s.status === "canceled") return `Canceled${s.ended_at ? ` on ${date(s.ended_at)}` : ""}`;
    const end = s.items.data[0]?.current_period_end;
    if (s.cancel_at_period_end) return `Cancels on ${date(s.cancel_at ?? end)}`;
    if (s.status === "past_due") return "Payment failed: past due";
    if (s.status === "trialing") return `Trial ends on ${date(s.trial_end)}`;
    return end ? `Renews on ${date(end)}` : s.status;
  };
  const focus = portal.flow?.subscription_cancel?.subscription ?? null;
  const action = (sub, act, label, cls = "") =>
    `<form method="post" action="/p/session/${e(portal.id)}/subscriptions/${e(sub.id)}/${act}" class="inline">
        <button type="submit"${cls ? ` class="${cls}"` : ""}>${e(label)}</button>
      </form>`;
  const list = subs.length
    ? subs
        .map(
          ({ sub, name, price }) => `<section aria-labelledby="h-${e(sub.id)}">
    <h3 id="h-${e(sub.id)}">${e(name)}</h3>
    <p>${e(priceText(price))}</p>
    <p>Status: <strong>${e(statusText(sub))}</strong></p>
    ${focus === sub.id ? `<p class="hint">You asked to cancel this subscription.</p>` : ""}
    ${
      sub.status === "canceled"
        ? ""
        : `<div class="actions">
      ${sub.cancel_at_period_end ? "" : action(sub, "cancel_at_period_end", "Cancel at period end", "secondary")}
      ${action(sub, "cancel", "Cancel now", "danger")}
      ${action(sub, "update_card", "Update card", "secondary")}
    </div>`
    }
  </section>`,
        )
        .join("\n  ")
    : `<section><p>You have no subscriptions.</p></section>`;
  const body = `<h1>Manage your AOVIS billing</h1>
<p>Signed in as ${e(customer.email ?? customer.name ?? customer.id)}</p>
${notice ? `<div class="notice" role="status">${e(notice)}</div>` : ""}
<h2 style="margin-top:1.5rem">Subscriptions</h2>
${list}
${portal.return_url ? `<p><a href="${e(portal.return_url)}">Return to AOVIS</a></p>` : ""}`;
  return layout("Billing – AOVIS (test mode)", body);
}
