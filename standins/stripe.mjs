// Local stand-in for Stripe (never deployed). Mimics the shapes in API-SHAPES.md §1 for API version
// 2025-03-31.basil (docs.stripe.com/api/errors, /idempotency, /webhooks/signature, basil changelog):
// - /v1/*: secret-key auth, form-encoded bracket params, Request-Id, Stripe error bodies,
//   Idempotency-Key replay; prices (preloaded from stripe/catalogue.json + STRIPE_PRICE_* env),
//   customers, Checkout Sessions, billing portal sessions, subscriptions, invoices, payment intents,
//   charges (with receipt_url), events.
// - /c/pay/:id and /p/session/:id: hosted Checkout and customer portal pages (plain HTML forms);
//   /receipts/payment/:charge: a charge's receipt (what Charge.receipt_url points at).
// - Events are signed like `stripe listen` forwarding and POSTed to the app's webhook route.
// - /__standin/*: test/operator controls (loopback only, no auth):
//   GET  /__standin/events                      [{id, type, payload, signatureHeader, deliveries}]
//   POST /__standin/events/:id/redeliver        re-signs and re-sends one event
//   GET|POST /__standin/config                  {webhookUrl?, deliverWebhooks?}
//   POST /__standin/checkout/:id/complete       same as pressing Pay → {session, events}
//   POST /__standin/subscriptions/:id/advance   {action: renew|cancel_at_period_end|cancel|fail_payment|recover_payment|exhaust_retries}
//   POST /__standin/sign                        {payload, timestamp?} → {header}
//   GET  /__standin/portal-sessions/:id         a billing portal session as created (its configuration…)
import crypto from "node:crypto";
import { readBody, sendHtml, sendJson, startServer } from "./lib/http.mjs";
import { StripeError, allowParams } from "./stripe/errors.mjs";
import { parseForm } from "./stripe/form.mjs";
import { checkoutPage, messagePage, money, portalPage } from "./stripe/pages.mjs";
import { ADVANCE_ACTIONS, DEFAULT_API_VERSION, StripeState, randomId } from "./stripe/state.mjs";
import { deliverEvent, signatureHeader } from "./stripe/webhooks.mjs";

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export async function startStripe({ port, appOrigin = "http://localhost:8787", env = {} } = {}) {
  const state = new StripeState({ env, appOrigin });
  if (!state.secretKey || !state.webhookSecret) {
    console.warn("[stripe stand-in] STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET missing from env: every API call will be refused");
  }
  const server = await startServer({ service: "stripe", port, handler: (req, res, url) => handle(state, req, res, url) });
  return { ...server, state };
}

async function handle(state, req, res, url) {
  const requestId = randomId("req_", 14);
  res.setHeader("Request-Id", requestId);
  // Hosted pages live on the URL the caller reached us at (http://127.0.0.1:<port>).
  const base = `http://${req.headers.host ?? `127.0.0.1:${req.socket.localPort}`}`;
  const p = url.pathname;
  if (p.startsWith("/v1/")) return api(state, req, res, url, requestId, base);
  if (p.startsWith("/__standin/")) return control(state, req, res, url, requestId);
  if (p.startsWith("/c/pay/")) return checkoutHtml(state, req, res, url);
  if (p.startsWith("/p/session/")) return portalHtml(state, req, res, url);
  if (p.startsWith("/receipts/payment/")) return receiptHtml(state, res, url);
  return sendHtml(res, 404, messagePage("Page not found", "There is nothing at this address."));
}

// ---- /v1 API ----------------------------------------------------------------------------------

async function api(state, req, res, url, requestId, base) {
  const version = req.headers["stripe-version"] ?? DEFAULT_API_VERSION;
  const send = (status, body, extra = {}) => sendJson(res, status, body, { "Stripe-Version": version, ...extra });
  const fail = (err) => send(err.status, err.body(requestId));

  const authError = checkAuth(req.headers.authorization, state.secretKey);
  if (authError) return fail(authError);

  let params;
  try {
    params = req.method === "POST" ? parseForm((await readBody(req, 1 << 20)).toString("utf8")) : parseForm(url.search.slice(1));
  } catch (err) {
    if (err instanceof StripeError) return fail(err);
    throw err;
  }

  // Idempotency (docs.stripe.com/idempotency): POST only; replay the stored status+body; the same
  // key with another endpoint or other parameters is an idempotency_error; validation failures are
  // never stored, so a retry re-executes.
  const idemKey = req.method === "POST" ? req.headers["idempotency-key"] : undefined;
  const endpoint = `${req.method} ${url.pathname}`;
  const fingerprint = JSON.stringify(canonical(params));
  if (idemKey !== undefined) {
    if (idemKey.length > 255) return fail(new StripeError(400, { message: "Idempotency-Key must be at most 255 characters long.", param: null }));
    const cutoff = Date.now() - IDEMPOTENCY_TTL_MS;
    for (const [k, v] of state.idempotency) if (v.at < cutoff) state.idempotency.delete(k);
    const prev = state.idempotency.get(idemKey);
    if (prev) {
      if (prev.endpoint !== endpoint) {
        return fail(
          new StripeError(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${prev.endpoint}' vs '${endpoint}'). Try using a key other than '${idemKey}' if you meant to execute a different request.`,
          }),
        );
      }
      if (prev.fingerprint !== fingerprint) {
        return fail(
          new StripeError(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
          }),
        );
      }
      return send(prev.status, prev.body, { "Idempotency-Key": idemKey, "Idempotent-Replayed": "true", "Original-Request": prev.requestId });
    }
  }

  let status = 200;
  let body;
  try {
    body = route(state, req.method, url.pathname, params, base);
  } catch (err) {
    if (err instanceof StripeError && !err.stored) return fail(err);
    if (!(err instanceof StripeError)) console.error("[stripe stand-in]", err);
    const e = err instanceof StripeError ? err : new StripeError(500, { type: "api_error", message: "An unknown error occurred" }, { stored: true });
    status = e.status;
    body = e.body(requestId);
  }
  if (idemKey !== undefined) state.idempotency.set(idemKey, { endpoint, fingerprint, status, body, requestId, at: Date.now() });
  return send(status, body, idemKey !== undefined ? { "Idempotency-Key": idemKey } : {});
}

function route(state, method, path, params, base) {
  let m;
  const id = () => decodeURIComponent(m[1]);
  const retrieve = (obj, extra) => {
    allowParams(params, ["expand"]);
    return state.expand(obj, params.expand, extra);
  };
  if (method === "GET" && (m = /^\/v1\/prices\/([^/]+)$/.exec(path))) return retrieve(state.get("price", id()));
  if (method === "GET" && (m = /^\/v1\/products\/([^/]+)$/.exec(path))) return retrieve(state.get("product", id()));
  if (method === "POST" && path === "/v1/customers") return state.expand(state.createCustomer(params), params.expand);
  if (method === "GET" && (m = /^\/v1\/customers\/([^/]+)$/.exec(path))) return retrieve(state.get("customer", id()));
  if (method === "POST" && path === "/v1/checkout/sessions") {
    const session = state.createCheckoutSession(params, base);
    return state.expand(session, params.expand, { line_items: state.lineItemsList(state.sessions.get(session.id)) });
  }
  if (method === "GET" && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
    const rec = state.sessionRecord(id());
    return retrieve(rec.obj, { line_items: state.lineItemsList(rec) });
  }
  if (method === "GET" && (m = /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/.exec(path))) {
    allowParams(params, ["ending_before", "expand", "limit", "starting_after"]);
    return state.expand(state.lineItemsList(state.sessionRecord(id())), params.expand);
  }
  if (method === "POST" && path === "/v1/billing_portal/sessions") return state.expand(state.createPortalSession(params, base), params.expand);
  if (method === "GET" && (m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path))) return retrieve(state.subscriptionRecord(id()).obj);
  if (method === "GET" && path === "/v1/subscriptions") return listSubscriptions(state, params);
  if (method === "GET" && (m = /^\/v1\/invoices\/([^/]+)$/.exec(path))) return retrieve(state.get("invoice", id()));
  if (method === "GET" && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) return retrieve(state.get("payment_intent", id()));
  if (method === "GET" && (m = /^\/v1\/charges\/([^/]+)$/.exec(path))) return retrieve(state.get("charge", id()));
  if (method === "GET" && (m = /^\/v1\/events\/([^/]+)$/.exec(path))) {
    allowParams(params, ["expand"]);
    const rec = state.events.find((r) => r.id === id());
    if (!rec) throw new StripeError(404, { code: "resource_missing", message: `No such event: '${id()}'`, param: "id" });
    return JSON.parse(rec.payload);
  }
  throw new StripeError(404, {
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

// GET /v1/subscriptions: newest first; without `status` canceled ones are left out (as Stripe does).
function listSubscriptions(state, params) {
  allowParams(params, [
    "automatic_tax",
    "collection_method",
    "created",
    "current_period_end",
    "current_period_start",
    "customer",
    "ending_before",
    "expand",
    "limit",
    "price",
    "starting_after",
    "status",
    "test_clock",
  ]);
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new StripeError(400, { code: "parameter_invalid_integer", message: "Invalid integer: " + params.limit, param: "limit" });
  let subs = [...state.subscriptions.values()].map((r) => r.obj).reverse();
  if (params.customer) subs = subs.filter((s) => s.customer === params.customer);
  if (params.price) subs = subs.filter((s) => s.items.data.some((i) => i.price.id === params.price));
  const status = params.status ?? null;
  if (status === null) subs = subs.filter((s) => s.status !== "canceled");
  else if (status !== "all") subs = subs.filter((s) => s.status === status);
  if (params.starting_after) subs = subs.slice(subs.findIndex((s) => s.id === params.starting_after) + 1);
  const list = { object: "list", data: subs.slice(0, limit), has_more: subs.length > limit, url: "/v1/subscriptions" };
  return state.expand(list, params.expand);
}

function checkAuth(header = "", key) {
  let provided = null;
  let m;
  if ((m = /^Bearer\s+(\S+)\s*$/i.exec(header))) provided = m[1];
  else if ((m = /^Basic\s+(\S+)\s*$/i.exec(header))) provided = Buffer.from(m[1], "base64").toString("utf8").split(":")[0];
  if (!provided) {
    return new StripeError(401, {
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  }
  const a = Buffer.from(provided);
  const b = Buffer.from(key ?? "");
  if (!key || a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    return new StripeError(401, { message: `Invalid API Key provided: ${redact(provided)}` });
  }
  return null;
}

// Stripe echoes a redacted key: prefix, stars, last four.
function redact(k) {
  if (k.length <= 12) return "*".repeat(k.length);
  const prefix = /^[a-z]{2,3}_(test|live)_/.exec(k)?.[0] ?? k.slice(0, 3);
  return prefix + "*".repeat(Math.max(k.length - prefix.length - 4, 4)) + k.slice(-4);
}

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  return v;
}

// ---- /__standin controls (JSON) ---------------------------------------------------------------

const eventView = (r) => ({ id: r.id, type: r.type, payload: r.payload, signatureHeader: r.signatureHeader, deliveries: r.deliveries });

async function control(state, req, res, url, requestId) {
  const p = url.pathname;
  const fail = (err) => sendJson(res, err.status, err.body(requestId));
  let m;
  try {
    if (req.method === "GET" && p === "/__standin/events") {
      const type = url.searchParams.get("type");
      return sendJson(res, 200, state.events.filter((r) => !type || r.type === type).map(eventView));
    }
    if (req.method === "GET" && p === "/__standin/config") return sendJson(res, 200, state.config);
    if (req.method === "GET" && (m = /^\/__standin\/portal-sessions\/([^/]+)$/.exec(p))) {
      const ps = state.portalSessions.get(decodeURIComponent(m[1]));
      return ps ? sendJson(res, 200, ps) : sendJson(res, 404, { error: "not_found" });
    }
    if (req.method !== "POST") return fail(new StripeError(404, { message: `Unknown control endpoint ${req.method} ${p}` }));
    const body = await readJson(req);
    if (p === "/__standin/config") {
      if (body.webhookUrl !== undefined) {
        if (typeof body.webhookUrl !== "string" || !/^https?:\/\//.test(body.webhookUrl))
          throw new StripeError(400, { message: "webhookUrl must be an http(s) URL", param: "webhookUrl" });
        state.config.webhookUrl = body.webhookUrl;
      }
      if (body.deliverWebhooks !== undefined) {
        if (typeof body.deliverWebhooks !== "boolean") throw new StripeError(400, { message: "deliverWebhooks must be a boolean", param: "deliverWebhooks" });
        state.config.deliverWebhooks = body.deliverWebhooks;
      }
      return sendJson(res, 200, state.config);
    }
    if (p === "/__standin/sign") {
      if (typeof body.payload !== "string") throw new StripeError(400, { message: "payload must be a string", param: "payload" });
      if (body.timestamp !== undefined && !Number.isInteger(body.timestamp))
        throw new StripeError(400, { message: "timestamp must be an integer (Unix seconds)", param: "timestamp" });
      return sendJson(res, 200, { header: signatureHeader(state.webhookSecret, body.payload, body.timestamp) });
    }
    if ((m = /^\/__standin\/events\/([^/]+)\/redeliver$/.exec(p))) {
      const rec = state.events.find((r) => r.id === decodeURIComponent(m[1]));
      if (!rec) throw new StripeError(404, { code: "resource_missing", message: `No such event: '${m[1]}'`, param: "id" });
      await deliverEvent(rec, state.config.webhookUrl, state.webhookSecret);
      return sendJson(res, 200, eventView(rec));
    }
    if ((m = /^\/__standin\/checkout\/([^/]+)\/complete$/.exec(p))) {
      const id = decodeURIComponent(m[1]);
      const sac = state.sessions.get(id)?.obj.shipping_address_collection;
      const shipping =
        body.shipping ??
        (sac
          ? {
              name: "Test Customer",
              address: { line1: "1 Test Street", city: "Springfield", postal_code: "12345", state: null, country: sac.allowed_countries[0] },
            }
          : undefined);
      const { session, events } = state.completeCheckout(id, {
        card: { number: body.card ?? "4242424242424242" },
        email: body.email,
        fallbackEmail: "test@example.com",
        shipping,
      });
      await state.deliver(events);
      return sendJson(res, 200, { session, events: events.map(eventView) });
    }
    if ((m = /^\/__standin\/subscriptions\/([^/]+)\/advance$/.exec(p))) {
      if (!ADVANCE_ACTIONS.includes(body.action))
        throw new StripeError(400, { message: `action must be one of ${ADVANCE_ACTIONS.join(", ")}`, param: "action" });
      const { subscription, events } = state.advanceSubscription(decodeURIComponent(m[1]), body.action);
      await state.deliver(events);
      return sendJson(res, 200, { subscription, events: events.map(eventView) });
    }
    return fail(new StripeError(404, { message: `Unknown control endpoint ${req.method} ${p}` }));
  } catch (err) {
    if (err instanceof StripeError) return fail(err);
    throw err;
  }
}

async function readJson(req) {
  const raw = (await readBody(req, 1 << 20)).toString("utf8");
  if (!raw.trim()) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {}
  throw new StripeError(400, { message: "Body must be a JSON object" });
}

// ---- hosted Checkout --------------------------------------------------------------------------

function checkoutItems(state, rec) {
  return rec.lineItems.map((li) => {
    const price = state.prices.get(li.price);
    const product = state.products.get(price.product);
    return { name: product?.name ?? price.nickname, description: product?.description ?? null, quantity: li.quantity, price };
  });
}

// Which form field a Stripe error parameter belongs to.
const FIELD_OF = { number: "card_number", exp_month: "card_expiry", exp_year: "card_expiry", cvc: "card_cvc" };

// A charge's receipt (the page Charge.receipt_url names; Stripe's is public to whoever has the link).
function receiptHtml(state, res, url) {
  const m = /^\/receipts\/payment\/([^/]+)$/.exec(url.pathname);
  const charge = m ? state.charges.get(decodeURIComponent(m[1])) : undefined;
  if (!charge) return sendHtml(res, 404, messagePage("Receipt not found", "This receipt link is invalid."));
  const paid = new Date(charge.created * 1000).toISOString().slice(0, 10);
  return sendHtml(
    res,
    200,
    messagePage(`Receipt ${charge.id}`, `Paid ${money(charge.amount, charge.currency)} on ${paid}${charge.description ? ` for ${charge.description}` : ""}.`),
  );
}

async function checkoutHtml(state, req, res, url) {
  const m = /^\/c\/pay\/([^/]+)(\/pay)?$/.exec(url.pathname);
  const rec = m ? state.sessions.get(decodeURIComponent(m[1])) : undefined;
  if (!rec) return sendHtml(res, 404, messagePage("Checkout session not found", "This checkout link is invalid or has been removed."));
  state.sessionRecord(rec.obj.id); // applies lazy expiry
  const session = rec.obj;
  const isPay = Boolean(m[2]);
  if (isPay && req.method !== "POST") return sendHtml(res, 405, messagePage("Method not allowed", "Submit the payment form to pay."), { Allow: "POST" });
  if (!isPay && req.method !== "GET") return sendHtml(res, 405, messagePage("Method not allowed", "Open this page with GET."), { Allow: "GET" });
  if (session.status === "complete") {
    if (isPay) return redirect(res, session.success_url); // double submit: already paid
    return sendHtml(
      res,
      200,
      messagePage("Payment complete", "This checkout session has already been paid.", { href: session.success_url, text: "Continue to AOVIS" }),
    );
  }
  if (session.status === "expired") {
    return sendHtml(
      res,
      410,
      messagePage(
        "This checkout session has expired",
        "Start the purchase again from AOVIS.",
        session.cancel_url ? { href: session.cancel_url, text: "Return to AOVIS" } : null,
      ),
    );
  }
  const customer = session.customer ? state.customers.get(session.customer) : null;
  const defaults = { email: customer?.email ?? session.customer_email ?? "" };
  if (!isPay) return sendHtml(res, 200, checkoutPage({ session, items: checkoutItems(state, rec), values: defaults, livemode: state.livemode }));

  const form = Object.fromEntries(new URLSearchParams((await readBody(req, 1 << 20)).toString("utf8")));
  const input = {
    requireEmail: true,
    email: form.email,
    card: { number: form.card_number ?? "", expiry: form.card_expiry ?? "", cvc: form.card_cvc ?? "", name: form.card_name || null },
    shipping: session.shipping_address_collection
      ? {
          name: form.shipping_name,
          address: {
            line1: form.shipping_line1,
            line2: form.shipping_line2,
            city: form.shipping_city,
            state: form.shipping_state,
            postal_code: form.shipping_postal_code,
            country: form.shipping_country,
          },
        }
      : undefined,
  };
  let events;
  try {
    ({ events } = state.completeCheckout(session.id, input));
  } catch (err) {
    if (!(err instanceof StripeError)) throw err;
    const param = err.fields.param;
    const field = FIELD_OF[param] ?? (param === null && err.fields.type === "card_error" ? "card_number" : param);
    const page = checkoutPage({
      session,
      items: checkoutItems(state, rec),
      values: { ...defaults, ...form },
      error: { message: err.message, field },
      livemode: state.livemode,
    });
    return sendHtml(res, err.fields.type === "card_error" ? 402 : 400, page);
  }
  await state.deliver(events);
  return redirect(res, session.success_url);
}

function redirect(res, location) {
  res.writeHead(303, { Location: location, "Content-Length": 0 });
  res.end();
}

// ---- customer portal --------------------------------------------------------------------------

const PORTAL_NOTICES = {
  cancel_at_period_end: "Your subscription will end at the close of the current billing period.",
  cancel: "Your subscription has been canceled.",
  update_card: "Card updates are not simulated by the local stand-in; nothing was changed.",
  unavailable: "That change is not possible for this subscription.",
};

async function portalHtml(state, req, res, url) {
  const m = /^\/p\/session\/([^/]+)(?:\/subscriptions\/([^/]+)\/([a-z_]+))?$/.exec(url.pathname);
  const portal = m ? state.portalSessions.get(decodeURIComponent(m[1])) : undefined;
  if (!portal)
    return sendHtml(res, 404, messagePage("Portal session not found", "This billing link is invalid or has expired. Open billing again from AOVIS."));
  const customer = state.customers.get(portal.customer);
  const home = `/p/session/${encodeURIComponent(portal.id)}`;

  if (!m[2]) {
    if (req.method !== "GET") return sendHtml(res, 405, messagePage("Method not allowed", "Open this page with GET."), { Allow: "GET" });
    const subs = state
      .customerSubscriptions(customer.id)
      .reverse()
      .map((sub) => {
        const price = sub.items.data[0]?.price;
        return { sub, price, name: state.products.get(price?.product)?.name ?? price?.nickname ?? sub.id };
      });
    const notice = PORTAL_NOTICES[url.searchParams.get("done") ?? ""] ?? null;
    return sendHtml(res, 200, portalPage({ portal, customer, subs, notice }));
  }

  const subId = decodeURIComponent(m[2]);
  const action = m[3];
  const sub = state.subscriptions.get(subId)?.obj;
  if (req.method !== "POST") return sendHtml(res, 405, messagePage("Method not allowed", "Use the buttons on the billing page."), { Allow: "POST" });
  if (!sub || sub.customer !== customer.id || !["cancel_at_period_end", "cancel", "update_card"].includes(action)) {
    return sendHtml(
      res,
      404,
      messagePage("Subscription not found", "This subscription does not belong to this billing session.", { href: home, text: "Back to billing" }),
    );
  }
  await readBody(req, 1 << 16);
  if (action === "update_card") return redirect(res, `${home}?done=update_card`);
  try {
    const { events } = state.advanceSubscription(subId, action);
    await state.deliver(events);
  } catch (err) {
    if (!(err instanceof StripeError)) throw err;
    return redirect(res, `${home}?done=unavailable`);
  }
  const after = portal.flow?.after_completion;
  return redirect(res, after?.type === "redirect" ? after.redirect.return_url : `${home}?done=${action}`);
}
