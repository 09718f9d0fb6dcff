// In-memory Stripe account for the stand-in: objects, Checkout completion, subscription lifecycle
// and events. Shapes follow API-SHAPES.md §1 (API version 2025-03-31.basil: no top-level
// current_period_* on subscriptions, invoice.parent.subscription_details, collected_information).
import crypto from "node:crypto";
import fs from "node:fs";
import { StripeError, allowParams, invalidParam, missingParam, noSuch } from "./errors.mjs";
import { deliverEvent, signatureHeader } from "./webhooks.mjs";

/** The account's default API version: what Stripe CLI forwarding stamps on events. */
export const DEFAULT_API_VERSION = "2025-03-31.basil";

export const nowSec = () => Math.floor(Date.now() / 1000);

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export function randomId(prefix, len = 24) {
  let s = "";
  for (const b of crypto.randomBytes(len)) s += ALPHABET[b % 62];
  return prefix + s;
}

/** `n` calendar months after `anchorSec`, clamped to the month's last day (Jan 31 → Feb 28), like Stripe. */
export function addMonths(anchorSec, n) {
  const a = new Date(anchorSec * 1000);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth() + n;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(a.getUTCDate(), lastDay), a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds()) / 1000;
}

const clone = (o) => structuredClone(o);
const str = (v) => (typeof v === "string" && v !== "" ? v : undefined);

// Test cards (docs.stripe.com/testing): number → decline.
const DECLINES = {
  4000000000000002: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  4000000000009995: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  4000000000009987: { code: "card_declined", decline_code: "lost_card", message: "Your card was declined." },
  4000000000000069: { code: "expired_card", decline_code: "expired_card", message: "Your card has expired." },
  4000000000000127: { code: "incorrect_cvc", decline_code: "incorrect_cvc", message: "Your card's security code is incorrect." },
};

const CUSTOMER_PARAMS = [
  "address",
  "balance",
  "description",
  "email",
  "expand",
  "invoice_prefix",
  "invoice_settings",
  "metadata",
  "name",
  "next_invoice_sequence",
  "payment_method",
  "phone",
  "preferred_locales",
  "shipping",
  "source",
  "tax",
  "tax_exempt",
  "tax_id_data",
  "test_clock",
];
const CHECKOUT_PARAMS = [
  "adaptive_pricing",
  "after_expiration",
  "allow_promotion_codes",
  "automatic_tax",
  "billing_address_collection",
  "cancel_url",
  "client_reference_id",
  "consent_collection",
  "currency",
  "custom_fields",
  "custom_text",
  "customer",
  "customer_creation",
  "customer_email",
  "customer_update",
  "discounts",
  "expand",
  "expires_at",
  "invoice_creation",
  "line_items",
  "locale",
  "metadata",
  "mode",
  "optional_items",
  "payment_intent_data",
  "payment_method_collection",
  "payment_method_configuration",
  "payment_method_data",
  "payment_method_options",
  "payment_method_types",
  "permissions",
  "phone_number_collection",
  "redirect_on_completion",
  "return_url",
  "saved_payment_method_options",
  "setup_intent_data",
  "shipping_address_collection",
  "shipping_options",
  "submit_type",
  "subscription_data",
  "success_url",
  "tax_id_collection",
  "ui_mode",
  "wallet_options",
];
const LINE_ITEM_PARAMS = ["adjustable_quantity", "dynamic_tax_rates", "price", "price_data", "quantity", "tax_rates"];
const SUBSCRIPTION_DATA_PARAMS = [
  "application_fee_percent",
  "billing_cycle_anchor",
  "billing_mode",
  "default_tax_rates",
  "description",
  "invoice_settings",
  "metadata",
  "on_behalf_of",
  "proration_behavior",
  "transfer_data",
  "trial_end",
  "trial_period_days",
  "trial_settings",
];
const PAYMENT_INTENT_DATA_PARAMS = [
  "application_fee_amount",
  "capture_method",
  "description",
  "metadata",
  "on_behalf_of",
  "receipt_email",
  "setup_future_usage",
  "shipping",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "transfer_data",
  "transfer_group",
];
const PORTAL_PARAMS = ["configuration", "customer", "expand", "flow_data", "locale", "on_behalf_of", "return_url"];
const FLOW_TYPES = ["payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"];
// What the stand-in's Stripe account sells, as if set up in the Dashboard: it knows products and
// amounts, not the app's plans (the stand-in never imports app code; ADR 003). The price ids are the
// app's own STRIPE_PRICE_* config, like a real deployment's.
const ACCOUNT_CATALOGUE = JSON.parse(fs.readFileSync(new URL("./catalogue.json", import.meta.url), "utf8"));

export const ADVANCE_ACTIONS = ["renew", "cancel_at_period_end", "cancel", "fail_payment", "recover_payment", "exhaust_retries"];

/** Stripe: `subscription_data.trial_end` "has to be at least 48 hours in the future". */
export const MIN_TRIAL_END_LEAD_SECONDS = 48 * 3600;

export class StripeState {
  constructor({ env = {}, appOrigin = "http://localhost:8787" } = {}) {
    this.secretKey = env.STRIPE_SECRET_KEY ?? "";
    this.webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? "";
    this.livemode = /^(sk|rk)_live_/.test(this.secretKey);
    this.config = { webhookUrl: `${appOrigin}/api/stripe/webhook`, deliverWebhooks: true };
    this.startedAt = nowSec();
    this.products = new Map();
    this.prices = new Map();
    this.customers = new Map();
    this.sessions = new Map(); // id → {obj, lineItems:[{id, price, quantity}], subscriptionData, paymentIntentData}
    this.subscriptions = new Map(); // id → {obj, anchor, cycles}
    this.invoices = new Map();
    this.paymentIntents = new Map();
    this.charges = new Map();
    this.portalSessions = new Map();
    // Billing Portal configurations "made in the Dashboard": the default one and the deployment's
    // STRIPE_PORTAL_CONFIGURATION_ID (cancel at period end, ADR 021); any other id is refused.
    this.portalConfigurations = new Set(["bpc_standin_default", ...(env.STRIPE_PORTAL_CONFIGURATION_ID ? [env.STRIPE_PORTAL_CONFIGURATION_ID] : [])]);
    this.events = []; // [{id, type, payload, signatureHeader, deliveries, created}]
    this.idempotency = new Map();
    this.#preloadPrices(env);
  }

  // One price per STRIPE_PRICE_* variable present in env, with the product and amount the account
  // has for it in catalogue.json (a test keeps that file equal to the app's catalogue).
  #preloadPrices(env) {
    for (const p of ACCOUNT_CATALOGUE) {
      // priceVarAlias: the existing deployment's name for the same variable (ADR 021).
      const priceId = env[p.priceVar] || (p.priceVarAlias ? env[p.priceVarAlias] : undefined);
      if (!priceId || this.prices.has(priceId)) continue;
      const productId = `prod_${p.sku.replace(/[^A-Za-z0-9]/g, "_")}`;
      this.products.set(productId, {
        id: productId,
        object: "product",
        active: true,
        created: this.startedAt,
        default_price: priceId,
        description: p.description,
        images: [],
        livemode: this.livemode,
        marketing_features: [],
        metadata: { sku: p.sku },
        name: p.name,
        package_dimensions: null,
        shippable: p.shippable,
        statement_descriptor: null,
        tax_code: null,
        unit_label: null,
        updated: this.startedAt,
        url: null,
      });
      this.prices.set(priceId, {
        id: priceId,
        object: "price",
        active: true,
        billing_scheme: "per_unit",
        created: this.startedAt,
        currency: p.currency,
        custom_unit_amount: null,
        livemode: this.livemode,
        lookup_key: null,
        metadata: { sku: p.sku },
        nickname: p.name,
        product: productId,
        recurring: p.interval ? { interval: p.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: "licensed" } : null,
        tax_behavior: "unspecified",
        tiers_mode: null,
        transform_quantity: null,
        type: p.interval ? "recurring" : "one_time",
        unit_amount: p.unitAmount,
        unit_amount_decimal: String(p.unitAmount),
      });
    }
  }

  // ---- lookups --------------------------------------------------------------------------------

  get(kind, id, param = "id") {
    const map = {
      price: this.prices,
      product: this.products,
      customer: this.customers,
      invoice: this.invoices,
      payment_intent: this.paymentIntents,
      charge: this.charges,
    }[kind];
    const obj = map.get(id);
    if (!obj) throw noSuch(kind, id, param);
    return obj;
  }

  sessionRecord(id, param = "id") {
    const rec = this.sessions.get(id);
    if (!rec) throw noSuch("checkout.session", id, param);
    // Sessions expire 24 h after creation by default; the stand-in expires them lazily.
    if (rec.obj.status === "open" && nowSec() >= rec.obj.expires_at) Object.assign(rec.obj, { status: "expired", url: null });
    return rec;
  }

  subscriptionRecord(id, param = "id") {
    const rec = this.subscriptions.get(id);
    if (!rec) throw noSuch("subscription", id, param);
    return rec;
  }

  /** A retrievable object by id prefix (for expand[]), or undefined. */
  lookup(id) {
    if (id.startsWith("cus_")) return this.customers.get(id);
    if (id.startsWith("sub_")) return this.subscriptions.get(id)?.obj;
    if (id.startsWith("in_")) return this.invoices.get(id);
    if (id.startsWith("pi_")) return this.paymentIntents.get(id);
    if (id.startsWith("ch_")) return this.charges.get(id);
    if (id.startsWith("price_")) return this.prices.get(id);
    if (id.startsWith("prod_")) return this.products.get(id);
    if (id.startsWith("cs_")) return this.sessions.get(id)?.obj;
    return undefined;
  }

  /** Clones `obj` and applies expand[] paths (dot syntax, through lists via `data`). */
  expand(obj, paths = [], extra = {}) {
    const out = clone(obj);
    for (const path of [].concat(paths ?? [])) {
      const segs = String(path).split(".");
      if (segs.length > 4) throw invalidParam("expand", `You cannot expand more than 4 levels of a property. Property: ${path}`);
      if (segs[0] in extra) out[segs[0]] = clone(extra[segs[0]]);
      this.#expandAt(out, segs, path);
    }
    return out;
  }

  #expandAt(node, segs, full) {
    const [head, ...rest] = segs;
    if (node?.object === "list" && head === "data") {
      for (const item of node.data) this.#expandAt(item, rest, full);
      return;
    }
    if (!node || typeof node !== "object" || !(head in node)) throw invalidParam("expand", `This property cannot be expanded (${full}).`);
    let v = node[head];
    if (typeof v === "string") {
      const found = this.lookup(v);
      if (!found) throw invalidParam("expand", `This property cannot be expanded (${full}).`);
      v = node[head] = clone(found);
    } else if (v !== null && typeof v !== "object") {
      throw invalidParam("expand", `This property cannot be expanded (${full}).`);
    }
    if (rest.length && v !== null) this.#expandAt(v, rest, full);
  }

  // ---- customers ------------------------------------------------------------------------------

  createCustomer(params) {
    allowParams(params, CUSTOMER_PARAMS);
    const metadata = checkMetadata(params.metadata, "metadata");
    return this.#insertCustomer({
      email: str(params.email) ?? null,
      name: str(params.name) ?? null,
      description: str(params.description) ?? null,
      phone: str(params.phone) ?? null,
      metadata,
    });
  }

  #insertCustomer({ email = null, name = null, description = null, phone = null, metadata = {} }) {
    const id = randomId("cus_", 14);
    const c = {
      id,
      object: "customer",
      address: null,
      balance: 0,
      created: nowSec(),
      currency: null,
      default_source: null,
      delinquent: false,
      description,
      discount: null,
      email,
      invoice_prefix: randomId("", 8).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: this.livemode,
      metadata,
      name,
      next_invoice_sequence: 1,
      phone,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
    this.customers.set(id, c);
    return c;
  }

  // ---- Checkout -------------------------------------------------------------------------------

  createCheckoutSession(params, base) {
    allowParams(params, CHECKOUT_PARAMS);
    const mode = str(params.mode);
    if (!mode) throw missingParam("mode");
    if (mode === "setup") throw invalidParam("mode", "The stand-in does not implement mode=setup.");
    if (mode !== "payment" && mode !== "subscription") throw invalidParam("mode", `Invalid mode: must be one of payment, setup, or subscription`);
    if (params.ui_mode !== undefined && params.ui_mode !== "hosted") throw invalidParam("ui_mode", "The stand-in only implements ui_mode=hosted.");
    // Hosted Checkout needs somewhere to send the buyer afterwards.
    if (!str(params.success_url)) throw missingParam("success_url");
    checkUrl(params.success_url, "success_url");
    if (params.cancel_url !== undefined && params.cancel_url !== "") checkUrl(params.cancel_url, "cancel_url");

    if (!Array.isArray(params.line_items) || params.line_items.length === 0) throw missingParam("line_items");
    const lineItems = params.line_items.map((li, i) => {
      if (typeof li !== "object") throw invalidParam(`line_items[${i}]`, `Invalid object`);
      allowParams(li, LINE_ITEM_PARAMS, `line_items[${i}]`);
      if (li.price_data !== undefined)
        throw invalidParam(`line_items[${i}][price_data]`, "The stand-in only implements line_items[][price] (preloaded prices).");
      if (!str(li.price)) throw missingParam(`line_items[${i}][price]`);
      const price = this.get("price", li.price, `line_items[${i}][price]`);
      if (li.quantity === undefined || li.quantity === "") throw missingParam(`line_items[${i}][quantity]`);
      const quantity = Number(li.quantity);
      if (!/^\d+$/.test(String(li.quantity)) || quantity < 1)
        throw invalidParam(`line_items[${i}][quantity]`, "Invalid integer: " + li.quantity, "parameter_invalid_integer");
      return { id: randomId("li_"), price: price.id, quantity };
    });
    const prices = lineItems.map((li) => this.prices.get(li.price));
    if (mode === "subscription" && !prices.some((p) => p.type === "recurring")) {
      throw invalidParam("line_items", "You must specify at least one recurring price in `subscription` mode when using prices.");
    }
    if (mode === "payment" && prices.some((p) => p.type === "recurring")) {
      throw invalidParam(
        "line_items",
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
      );
    }
    const currency = prices[0].currency;
    if (prices.some((p) => p.currency !== currency)) throw invalidParam("line_items", "All prices must use the same currency.");

    let customer = null;
    if (params.customer !== undefined && params.customer !== "") {
      if (str(params.customer_email))
        throw new StripeError(400, {
          code: "parameters_exclusive",
          message: "You may only specify one of these parameters: customer, customer_email.",
          param: "customer",
        });
      customer = this.get("customer", params.customer, "customer");
    }
    const clientRef = str(params.client_reference_id) ?? null;
    if (clientRef && clientRef.length > 200) throw invalidParam("client_reference_id", "client_reference_id must be at most 200 characters.");
    const metadata = checkMetadata(params.metadata, "metadata");

    let subscriptionData = null;
    if (params.subscription_data !== undefined) {
      if (mode !== "subscription") throw invalidParam("subscription_data", "You can not pass `subscription_data` in `payment` mode.");
      allowParams(params.subscription_data, SUBSCRIPTION_DATA_PARAMS, "subscription_data");
      const trial = params.subscription_data.trial_period_days;
      if (trial !== undefined && (!/^\d+$/.test(String(trial)) || Number(trial) < 1 || Number(trial) > 730)) {
        throw invalidParam("subscription_data[trial_period_days]", "trial_period_days must be an integer between 1 and 730.", "parameter_invalid_integer");
      }
      const trialEndRaw = params.subscription_data.trial_end;
      let trialEnd = null;
      if (trialEndRaw !== undefined) {
        if (trial !== undefined)
          throw new StripeError(400, {
            code: "parameters_exclusive",
            message: "You may only specify one of these parameters: subscription_data[trial_end], subscription_data[trial_period_days].",
            param: "subscription_data[trial_end]",
          });
        if (!/^\d+$/.test(String(trialEndRaw)))
          throw invalidParam("subscription_data[trial_end]", "Invalid integer: " + String(trialEndRaw), "parameter_invalid_integer");
        trialEnd = Number(trialEndRaw);
        if (trialEnd < nowSec() + MIN_TRIAL_END_LEAD_SECONDS)
          throw invalidParam("subscription_data[trial_end]", "`subscription_data[trial_end]` has to be at least 48 hours in the future.");
      }
      subscriptionData = {
        metadata: checkMetadata(params.subscription_data.metadata, "subscription_data[metadata]"),
        description: str(params.subscription_data.description) ?? null,
        trialPeriodDays: trial === undefined ? null : Number(trial),
        trialEnd,
      };
    }
    let paymentIntentData = null;
    if (params.payment_intent_data !== undefined) {
      if (mode !== "payment") throw invalidParam("payment_intent_data", "You can not pass `payment_intent_data` in `subscription` mode.");
      allowParams(params.payment_intent_data, PAYMENT_INTENT_DATA_PARAMS, "payment_intent_data");
      paymentIntentData = {
        metadata: checkMetadata(params.payment_intent_data.metadata, "payment_intent_data[metadata]"),
        description: str(params.payment_intent_data.description) ?? null,
        receiptEmail: str(params.payment_intent_data.receipt_email) ?? null,
      };
    }
    let shippingCollection = null;
    if (params.shipping_address_collection !== undefined) {
      const sac = params.shipping_address_collection;
      allowParams(sac, ["allowed_countries"], "shipping_address_collection");
      if (!Array.isArray(sac.allowed_countries) || sac.allowed_countries.length === 0) throw missingParam("shipping_address_collection[allowed_countries]");
      for (const [i, c] of sac.allowed_countries.entries()) {
        if (!/^[A-Z]{2}$/.test(c))
          throw invalidParam(
            `shipping_address_collection[allowed_countries][${i}]`,
            `Invalid shipping_address_collection[allowed_countries][${i}]: must be an ISO 3166-1 alpha-2 country code`,
          );
      }
      shippingCollection = { allowed_countries: [...sac.allowed_countries] };
    }
    const created = nowSec();
    let expiresAt = created + 24 * 3600;
    if (params.expires_at !== undefined) {
      expiresAt = Number(params.expires_at);
      if (!Number.isInteger(expiresAt) || expiresAt < created + 1800 - 5 || expiresAt > created + 24 * 3600) {
        throw invalidParam("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.");
      }
    }
    const amount = lineItems.reduce((sum, li) => sum + this.prices.get(li.price).unit_amount * li.quantity, 0);
    const id = randomId(this.livemode ? "cs_live_" : "cs_test_", 58);
    const email = customer?.email ?? str(params.customer_email) ?? null;
    const session = {
      id,
      object: "checkout.session",
      adaptive_pricing: null,
      after_expiration: null,
      allow_promotion_codes: params.allow_promotion_codes === undefined ? null : params.allow_promotion_codes === "true",
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: str(params.billing_address_collection) ?? null,
      cancel_url: str(params.cancel_url) ?? null,
      client_reference_id: clientRef,
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created,
      currency,
      currency_conversion: null,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: customer?.id ?? null,
      customer_creation: mode === "payment" ? (str(params.customer_creation) ?? "if_required") : null,
      customer_details: email ? { address: null, email, name: customer?.name ?? null, phone: null, tax_exempt: "none", tax_ids: [] } : null,
      customer_email: str(params.customer_email) ?? null,
      discounts: [],
      expires_at: expiresAt,
      invoice: null,
      livemode: this.livemode,
      locale: str(params.locale) ?? null,
      metadata,
      mode,
      payment_intent: null,
      payment_link: null,
      payment_method_collection: mode === "subscription" ? "always" : null,
      payment_method_options: {},
      payment_method_types: ["card"],
      payment_status: "unpaid",
      phone_number_collection: { enabled: false },
      recovered_from: null,
      saved_payment_method_options: null,
      setup_intent: null,
      shipping_address_collection: shippingCollection,
      shipping_cost: null,
      shipping_options: [],
      status: "open",
      submit_type: str(params.submit_type) ?? null,
      subscription: null,
      success_url: params.success_url.replaceAll("{CHECKOUT_SESSION_ID}", id),
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted",
      url: `${base}/c/pay/${id}`,
      wallet_options: null,
    };
    // base: where the hosted pages (and a payment's receipt) live for this session's caller.
    this.sessions.set(id, { obj: session, lineItems, subscriptionData, paymentIntentData, base });
    return session;
  }

  /** The session's line items as the API lists them (GET …/line_items, expand[]=line_items). */
  lineItemsList(rec) {
    return {
      object: "list",
      data: rec.lineItems.map((li) => {
        const price = this.prices.get(li.price);
        const total = price.unit_amount * li.quantity;
        return {
          id: li.id,
          object: "item",
          amount_discount: 0,
          amount_subtotal: total,
          amount_tax: 0,
          amount_total: total,
          currency: price.currency,
          description: this.products.get(price.product)?.name ?? price.nickname,
          price: clone(price),
          quantity: li.quantity,
        };
      }),
      has_more: false,
      url: `/v1/checkout/sessions/${rec.obj.id}/line_items`,
    };
  }

  /**
   * What pressing Pay does. Validates the (test) card and shipping, then creates the customer,
   * subscription + paid invoice (or payment intent), completes the session and emits events.
   * Synchronous up to the events, so a double submit cannot create two subscriptions.
   * @returns {{session: object, events: object[]}} events are records not yet delivered.
   */
  completeCheckout(id, input = {}) {
    const rec = this.sessionRecord(id);
    const session = rec.obj;
    if (session.status !== "open") {
      throw new StripeError(400, {
        code: "checkout_session_not_active",
        message: `This Checkout Session is no longer active (status: ${session.status}).`,
        param: "id",
      });
    }
    const card = checkCard(input.card ?? {});
    const existing = session.customer ? this.customers.get(session.customer) : null;
    const email = str(input.email) ?? existing?.email ?? session.customer_email ?? input.fallbackEmail ?? null;
    if (!email && input.requireEmail) throw new StripeError(400, { message: "Enter your email address.", param: "email" });
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new StripeError(400, { message: "Your email address is invalid.", param: "email" });
    const shipping = session.shipping_address_collection ? checkShipping(input.shipping, session.shipping_address_collection.allowed_countries) : null;
    const name = shipping?.name ?? str(card.name) ?? existing?.name ?? null;

    const events = [];
    const pm = randomId("pm_");
    const now = nowSec();
    let customer = existing;
    if (!customer && (session.mode === "subscription" || session.customer_creation === "always")) {
      customer = this.#insertCustomer({ email, name });
      if (shipping) customer.shipping = { address: shipping.address, name: shipping.name, phone: null };
      events.push(this.emit("customer.created", customer));
    }
    const customerDetails = { address: shipping?.address ?? null, email, name, phone: null, tax_exempt: "none", tax_ids: [] };

    if (session.mode === "subscription") {
      const sub = this.#createSubscription(rec, customer, pm, now);
      const invoice = this.invoices.get(sub.latest_invoice);
      Object.assign(session, { subscription: sub.id, invoice: invoice.id });
      events.push(this.emit("customer.subscription.created", sub));
      events.push(this.emit("invoice.paid", invoice));
      events.push(this.emit("invoice.payment_succeeded", invoice));
    } else {
      const pi = {
        id: randomId("pi_"),
        object: "payment_intent",
        amount: session.amount_total,
        amount_capturable: 0,
        amount_received: session.amount_total,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: "automatic_async",
        client_secret: null,
        confirmation_method: "automatic",
        created: now,
        currency: session.currency,
        customer: customer?.id ?? null,
        description: rec.paymentIntentData?.description ?? null,
        latest_charge: randomId("ch_"),
        livemode: this.livemode,
        metadata: rec.paymentIntentData?.metadata ?? {},
        payment_method: pm,
        payment_method_types: ["card"],
        receipt_email: rec.paymentIntentData?.receiptEmail ?? null,
        shipping: shipping ? { ...clone(shipping), carrier: null, phone: null, tracking_number: null } : null,
        status: "succeeded",
      };
      pi.client_secret = `${pi.id}_secret_${randomId("", 24)}`;
      this.paymentIntents.set(pi.id, pi);
      const charge = this.#insertCharge(pi, rec.base, customerDetails, now);
      session.payment_intent = pi.id;
      events.push(this.emit("payment_intent.succeeded", pi));
      events.push(this.emit("charge.succeeded", charge));
    }
    Object.assign(session, {
      status: "complete",
      payment_status: "paid",
      url: null,
      customer: customer?.id ?? null,
      customer_details: customerDetails,
      collected_information: { business_name: null, individual_name: null, shipping_details: shipping },
    });
    events.push(this.emit("checkout.session.completed", session));
    return { session, events };
  }

  /**
   * The Charge a succeeded PaymentIntent made (its latest_charge). receipt_url: Stripe's hosted
   * receipt ("This is the URL to view the receipt for this charge", Charge object, Stripe API
   * reference); here a page of the stand-in, /receipts/payment/:id.
   */
  #insertCharge(pi, base, billingDetails, now) {
    const charge = {
      id: pi.latest_charge,
      object: "charge",
      amount: pi.amount,
      amount_captured: pi.amount,
      amount_refunded: 0,
      billing_details: { address: billingDetails.address, email: billingDetails.email, name: billingDetails.name, phone: null },
      captured: true,
      created: now,
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      disputed: false,
      livemode: this.livemode,
      metadata: clone(pi.metadata),
      paid: true,
      payment_intent: pi.id,
      payment_method: pi.payment_method,
      receipt_email: pi.receipt_email,
      receipt_number: null,
      receipt_url: `${base ?? "http://127.0.0.1"}/receipts/payment/${encodeURIComponent(pi.latest_charge)}`,
      refunded: false,
      shipping: pi.shipping,
      status: "succeeded",
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  #createSubscription(rec, customer, pm, now) {
    const data = rec.subscriptionData ?? { metadata: {}, description: null, trialPeriodDays: null, trialEnd: null };
    // A trial (trial_end, or trial_period_days from now): status trialing, a $0 first invoice, the
    // first charge at the trial's end, and the billing cycle anchored there (as Stripe does).
    const trialEnd = data.trialEnd ?? (data.trialPeriodDays ? now + data.trialPeriodDays * 86400 : null);
    const anchor = trialEnd ?? now;
    const id = randomId("sub_");
    const recurring = rec.lineItems.filter((li) => this.prices.get(li.price).type === "recurring");
    const sub = {
      id,
      object: "subscription",
      application: null,
      application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null },
      billing_cycle_anchor: anchor,
      billing_cycle_anchor_config: null,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { comment: null, feedback: null, reason: null },
      collection_method: "charge_automatically",
      created: now,
      currency: rec.obj.currency,
      customer: customer.id,
      days_until_due: null,
      default_payment_method: pm,
      default_source: null,
      default_tax_rates: [],
      description: data.description,
      discounts: [],
      ended_at: null,
      invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
      items: {
        object: "list",
        data: recurring.map((li) => ({
          id: randomId("si_", 14),
          object: "subscription_item",
          created: now,
          current_period_end: trialEnd ?? addMonths(anchor, 1),
          current_period_start: now,
          discounts: [],
          metadata: {},
          price: clone(this.prices.get(li.price)),
          quantity: li.quantity,
          subscription: id,
          tax_rates: [],
        })),
        has_more: false,
        total_count: recurring.length,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: null,
      livemode: this.livemode,
      metadata: clone(data.metadata),
      next_pending_invoice_item_invoice: null,
      on_behalf_of: null,
      pause_collection: null,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
      pending_invoice_item_interval: null,
      pending_setup_intent: null,
      pending_update: null,
      schedule: null,
      start_date: now,
      status: trialEnd ? "trialing" : "active",
      test_clock: null,
      transfer_data: null,
      trial_end: trialEnd,
      trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
      trial_start: trialEnd ? now : null,
    };
    this.subscriptions.set(id, { obj: sub, anchor, cycles: trialEnd ? 0 : 1 });
    // The first invoice also bills one-time items bought together with the subscription.
    const oneTime = rec.lineItems.filter((li) => this.prices.get(li.price).type === "one_time");
    const invoice = this.#createInvoice(sub, customer, { reason: "subscription_create", paid: true, extraItems: oneTime, zero: Boolean(trialEnd) });
    sub.latest_invoice = invoice.id;
    return sub;
  }

  #createInvoice(sub, customer, { reason, paid, extraItems = [], zero = false }) {
    const now = nowSec();
    const id = randomId("in_");
    const lines = sub.items.data.map((si) => {
      const amount = zero ? 0 : si.price.unit_amount * si.quantity;
      return invoiceLine(id, sub, si.price, si.quantity, amount, { start: si.current_period_start, end: si.current_period_end }, si.id, this);
    });
    for (const li of extraItems) {
      const price = this.prices.get(li.price);
      lines.push(invoiceLine(id, sub, price, li.quantity, price.unit_amount * li.quantity, { start: now, end: now }, null, this));
    }
    const total = lines.reduce((s, l) => s + l.amount, 0);
    const seq = customer.next_invoice_sequence++;
    const inv = {
      id,
      object: "invoice",
      account_country: "US",
      account_name: "AOVIS (stand-in)",
      amount_due: total,
      amount_overpaid: 0,
      amount_paid: paid ? total : 0,
      amount_remaining: paid ? 0 : total,
      amount_shipping: 0,
      attempt_count: 1,
      attempted: true,
      auto_advance: !paid,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
      billing_reason: reason,
      collection_method: "charge_automatically",
      created: now,
      currency: sub.currency,
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name,
      default_payment_method: null,
      description: null,
      discounts: [],
      due_date: null,
      effective_at: now,
      ending_balance: 0,
      hosted_invoice_url: null,
      invoice_pdf: null,
      last_finalization_error: null,
      lines: { object: "list", data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
      livemode: this.livemode,
      metadata: {},
      next_payment_attempt: paid ? null : now + 3 * 86400,
      number: `${customer.invoice_prefix}-${String(seq).padStart(4, "0")}`,
      parent: { quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id }, type: "subscription_details" },
      period_end: now,
      period_start: now,
      starting_balance: 0,
      status: paid ? "paid" : "open",
      status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: paid ? now : null, voided_at: null },
      subtotal: total,
      subtotal_excluding_tax: total,
      total,
      total_discount_amounts: [],
      total_excluding_tax: total,
      total_taxes: [],
    };
    this.invoices.set(id, inv);
    return inv;
  }

  // ---- subscription lifecycle (control endpoint and portal) ----------------------------------

  /** Moves a subscription through its lifecycle like Stripe would; returns {subscription, events}. */
  advanceSubscription(id, action) {
    const rec = this.subscriptionRecord(id);
    const sub = rec.obj;
    if (!ADVANCE_ACTIONS.includes(action)) throw invalidParam("action", `action must be one of ${ADVANCE_ACTIONS.join(", ")}`);
    if (sub.status === "canceled") throw conflict(`This subscription is canceled; ${action} is not possible.`);
    const customer = this.customers.get(sub.customer);
    const now = nowSec();
    const events = [];
    const prevItems = () => clone(sub.items);

    if (action === "renew" || action === "fail_payment") {
      if (action === "renew" && (sub.status === "past_due" || sub.status === "unpaid"))
        throw conflict("This subscription is past_due: use recover_payment first.");
      if (action === "fail_payment" && sub.status !== "active" && sub.status !== "trialing")
        throw conflict(`Only an active subscription can fail a renewal (status: ${sub.status}).`);
      if (sub.cancel_at_period_end) {
        // Reaching the end of a period that was set to cancel ends the subscription instead.
        const end = sub.items.data[0]?.current_period_end ?? now;
        Object.assign(sub, { status: "canceled", ended_at: end });
        events.push(this.emit("customer.subscription.deleted", sub));
        return { subscription: sub, events };
      }
      const previous = { items: prevItems(), latest_invoice: sub.latest_invoice, status: sub.status };
      rec.cycles += 1;
      for (const si of sub.items.data) {
        si.current_period_start = si.current_period_end;
        si.current_period_end = addMonths(rec.anchor, rec.cycles);
      }
      const paid = action === "renew";
      const invoice = this.#createInvoice(sub, customer, { reason: "subscription_cycle", paid });
      Object.assign(sub, { latest_invoice: invoice.id, status: paid ? "active" : "past_due" });
      if (previous.status === sub.status) delete previous.status;
      events.push(this.emit(paid ? "invoice.paid" : "invoice.payment_failed", invoice));
      if (paid) events.push(this.emit("invoice.payment_succeeded", invoice));
      events.push(this.emit("customer.subscription.updated", sub, previous));
    } else if (action === "recover_payment") {
      if (sub.status !== "past_due" && sub.status !== "unpaid") throw conflict(`Nothing to recover (status: ${sub.status}).`);
      const invoice = this.invoices.get(sub.latest_invoice);
      if (invoice && invoice.status === "open") {
        Object.assign(invoice, {
          amount_paid: invoice.amount_due,
          amount_remaining: 0,
          attempt_count: invoice.attempt_count + 1,
          next_payment_attempt: null,
          status: "paid",
          auto_advance: false,
        });
        invoice.status_transitions.paid_at = now;
        events.push(this.emit("invoice.paid", invoice));
        events.push(this.emit("invoice.payment_succeeded", invoice));
      }
      const previous = { status: sub.status };
      sub.status = "active";
      events.push(this.emit("customer.subscription.updated", sub, previous));
    } else if (action === "exhaust_retries") {
      // The retry schedule ran out (Billing → Revenue recovery → "mark the subscription as unpaid"):
      // the last attempt fails, the invoice stays open and Stripe stops retrying.
      if (sub.status !== "past_due") throw conflict(`Only a past_due subscription runs out of retries (status: ${sub.status}).`);
      const invoice = this.invoices.get(sub.latest_invoice);
      if (invoice && invoice.status === "open") {
        Object.assign(invoice, { attempt_count: invoice.attempt_count + 1, next_payment_attempt: null });
        events.push(this.emit("invoice.payment_failed", invoice));
      }
      const previous = { status: sub.status };
      sub.status = "unpaid";
      events.push(this.emit("customer.subscription.updated", sub, previous));
    } else if (action === "cancel_at_period_end") {
      if (sub.cancel_at_period_end) return { subscription: sub, events };
      const previous = {
        cancel_at: sub.cancel_at,
        cancel_at_period_end: false,
        canceled_at: sub.canceled_at,
        cancellation_details: clone(sub.cancellation_details),
      };
      Object.assign(sub, {
        cancel_at: sub.items.data[0]?.current_period_end ?? now,
        cancel_at_period_end: true,
        canceled_at: now,
        cancellation_details: { comment: null, feedback: null, reason: "cancellation_requested" },
      });
      events.push(this.emit("customer.subscription.updated", sub, previous));
    } else if (action === "cancel") {
      Object.assign(sub, {
        status: "canceled",
        canceled_at: now,
        ended_at: now,
        cancellation_details: { comment: null, feedback: null, reason: "cancellation_requested" },
      });
      events.push(this.emit("customer.subscription.deleted", sub));
    }
    return { subscription: sub, events };
  }

  // ---- billing portal -------------------------------------------------------------------------

  createPortalSession(params, base) {
    allowParams(params, PORTAL_PARAMS);
    if (!str(params.customer)) throw missingParam("customer");
    const customer = this.get("customer", params.customer, "customer");
    if (params.return_url !== undefined && params.return_url !== "") checkUrl(params.return_url, "return_url");
    if (params.configuration !== undefined && !this.portalConfigurations.has(params.configuration))
      throw noSuch("configuration", String(params.configuration), "configuration");
    let flow = null;
    if (params.flow_data !== undefined) {
      const fd = params.flow_data;
      allowParams(fd, ["after_completion", "subscription_cancel", "subscription_update", "subscription_update_confirm", "type"], "flow_data");
      if (!str(fd.type)) throw missingParam("flow_data[type]");
      if (!FLOW_TYPES.includes(fd.type)) throw invalidParam("flow_data[type]", `Invalid flow_data[type]: must be one of ${FLOW_TYPES.join(", ")}`);
      let subscriptionCancel = null;
      if (fd.type === "subscription_cancel") {
        const subId = str(fd.subscription_cancel?.subscription);
        if (!subId) throw missingParam("flow_data[subscription_cancel][subscription]");
        const sub = this.subscriptionRecord(subId, "flow_data[subscription_cancel][subscription]").obj;
        if (sub.customer !== customer.id) throw noSuch("subscription", subId, "flow_data[subscription_cancel][subscription]");
        subscriptionCancel = { retention: null, subscription: subId };
      }
      const ac = fd.after_completion ?? {};
      const acType = str(ac.type) ?? "portal_homepage";
      if (!["hosted_confirmation", "portal_homepage", "redirect"].includes(acType))
        throw invalidParam("flow_data[after_completion][type]", "Invalid flow_data[after_completion][type]");
      if (acType === "redirect") {
        if (!str(ac.redirect?.return_url)) throw missingParam("flow_data[after_completion][redirect][return_url]");
        checkUrl(ac.redirect.return_url, "flow_data[after_completion][redirect][return_url]");
      }
      flow = {
        after_completion: {
          hosted_confirmation: acType === "hosted_confirmation" ? { custom_message: str(ac.hosted_confirmation?.custom_message) ?? null } : null,
          redirect: acType === "redirect" ? { return_url: ac.redirect.return_url } : null,
          type: acType,
        },
        subscription_cancel: subscriptionCancel,
        subscription_update: null,
        subscription_update_confirm: null,
        type: fd.type,
      };
    }
    const id = randomId("bps_");
    const ps = {
      id,
      object: "billing_portal.session",
      configuration: str(params.configuration) ?? "bpc_standin_default",
      created: nowSec(),
      customer: customer.id,
      flow,
      livemode: this.livemode,
      locale: str(params.locale) ?? null,
      on_behalf_of: null,
      return_url: str(params.return_url) ?? null,
      url: `${base}/p/session/${id}`,
    };
    this.portalSessions.set(id, ps);
    return ps;
  }

  customerSubscriptions(customerId) {
    return [...this.subscriptions.values()].map((r) => r.obj).filter((s) => s.customer === customerId);
  }

  // ---- events ---------------------------------------------------------------------------------

  /** Records an event with a snapshot of `object` (the payload string is what gets signed and sent). */
  emit(type, object, previousAttributes) {
    const created = nowSec();
    const event = {
      id: randomId("evt_"),
      object: "event",
      api_version: DEFAULT_API_VERSION,
      created,
      data: { object: clone(object), ...(previousAttributes ? { previous_attributes: clone(previousAttributes) } : {}) },
      livemode: this.livemode,
      pending_webhooks: this.config.deliverWebhooks ? 1 : 0,
      request: { id: null, idempotency_key: null },
      type,
    };
    // Stripe sends pretty-printed JSON; receivers must verify the raw bytes, not a re-serialisation.
    const payload = JSON.stringify(event, null, 2);
    const record = { id: event.id, type, payload, signatureHeader: signatureHeader(this.webhookSecret, payload, created), deliveries: [], created };
    this.events.push(record);
    return record;
  }

  /** Delivers records one after another (awaiting each); failures are recorded, never thrown. */
  async deliver(records) {
    if (!this.config.deliverWebhooks) return;
    for (const r of records) await deliverEvent(r, this.config.webhookUrl, this.webhookSecret);
  }
}

function invoiceLine(invoiceId, sub, price, quantity, amount, period, subscriptionItemId, state) {
  const product = state.products.get(price.product);
  const money = new Intl.NumberFormat("en-US", { style: "currency", currency: price.currency.toUpperCase() }).format(price.unit_amount / 100);
  return {
    id: randomId("il_"),
    object: "line_item",
    amount,
    currency: price.currency,
    description: `${quantity} × ${product?.name ?? price.nickname} (at ${money}${price.recurring ? ` / ${price.recurring.interval}` : ""})`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: state.livemode,
    metadata: {},
    parent: subscriptionItemId
      ? {
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription: sub.id,
            subscription_item: subscriptionItemId,
          },
          type: "subscription_item_details",
        }
      : {
          invoice_item_details: { invoice_item: randomId("ii_"), proration: false, proration_details: { credited_items: null }, subscription: sub.id },
          subscription_item_details: null,
          type: "invoice_item_details",
        },
    period,
    pretax_credit_amounts: [],
    pricing: { price_details: { price: price.id, product: price.product }, type: "price_details", unit_amount_decimal: String(price.unit_amount) },
    quantity,
    taxes: [],
  };
}

const conflict = (message) => new StripeError(409, { message });

function checkUrl(value, param) {
  try {
    const u = new URL(value.replaceAll("{CHECKOUT_SESSION_ID}", "x"));
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw invalidParam(param, `Not a valid URL`, "url_invalid");
  }
}

// Metadata limits (docs.stripe.com/metadata): 50 keys, key ≤ 40 chars, value ≤ 500 chars; "" unsets.
export function checkMetadata(md, param) {
  if (md === undefined || md === "") return {};
  if (typeof md !== "object" || Array.isArray(md)) throw invalidParam(param, `Invalid object`);
  const out = {};
  for (const [k, v] of Object.entries(md)) {
    if (typeof v !== "string") throw invalidParam(`${param}[${k}]`, `Invalid value for ${param}[${k}]: metadata values must be strings.`);
    if (k.length > 40)
      throw invalidParam(param, `Metadata keys can have up to 40 characters, but you passed in a key that is ${k.length} characters. Invalid key: ${k}`);
    if (v.length > 500)
      throw invalidParam(
        param,
        `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters. Invalid value: ${v.slice(0, 40)}…`,
      );
    if (v !== "") out[k] = v;
  }
  if (Object.keys(out).length > 50) throw invalidParam(param, "You can specify up to 50 keys in metadata.");
  return out;
}

const cardError = (code, message, param, decline_code) => new StripeError(402, { type: "card_error", code, message, param, decline_code });

/** Validates a test card the way Checkout's form does; declines come from Stripe's test numbers. */
export function checkCard({ number = "4242 4242 4242 4242", expiry = "12 / 34", cvc = "123", name = null }) {
  const digits = String(number).replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits) || !luhn(digits)) throw cardError("incorrect_number", "Your card number is invalid.", "number");
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(String(expiry));
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) throw cardError("invalid_expiry_month", "Your card's expiration date is incomplete.", "exp_month");
  const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  const d = new Date();
  if (year < d.getUTCFullYear() || (year === d.getUTCFullYear() && Number(m[1]) < d.getUTCMonth() + 1)) {
    throw cardError("invalid_expiry_year", "Your card's expiration date is in the past.", "exp_year");
  }
  if (!/^\d{3,4}$/.test(String(cvc).trim())) throw cardError("incorrect_cvc", "Your card's security code is incomplete.", "cvc");
  const decline = DECLINES[digits];
  if (decline) throw cardError(decline.code, decline.message, null, decline.decline_code);
  return { last4: digits.slice(-4), name };
}

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Shipping as basil's collected_information.shipping_details: {name, address{…}}. */
function checkShipping(shipping, allowed) {
  const s = shipping ?? {};
  const a = s.address ?? {};
  const need = (v, param, label) => {
    if (!str(typeof v === "string" ? v.trim() : v)) throw new StripeError(400, { message: `Enter your shipping ${label}.`, param });
    return v.trim();
  };
  const name = need(s.name, "shipping_name", "name");
  const line1 = need(a.line1, "shipping_line1", "address");
  const city = need(a.city, "shipping_city", "city");
  const postal = need(a.postal_code, "shipping_postal_code", "postal code");
  const country = need(a.country, "shipping_country", "country");
  if (!allowed.includes(country)) throw new StripeError(400, { message: "We can't ship to that country.", param: "shipping_country" });
  return {
    address: { city, country, line1, line2: str(a.line2?.trim()) ?? null, postal_code: postal, state: str(a.state?.trim()) ?? null },
    name,
  };
}
