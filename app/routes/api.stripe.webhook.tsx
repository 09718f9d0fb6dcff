import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { refuse } from "~/domain/result";
import { cappedAction, methodNotAllowed, refusalResponse } from "~/http/api-route.server";
import { readText } from "~/http/body.server";
import { jsonOk } from "~/http/responses.server";
import { log } from "~/lib/log.server";
import { receiveStripeEvent, verifyStripeEvent } from "~/models/billing/webhook-events.server";
import { depsOf } from "~/models/deps.server";

/** Events are a few KB; Stripe caps payloads well below this. */
export const MAX_WEBHOOK_BYTES = 512 * 1024;
const TOO_LARGE = "The webhook body is too large.";

/**
 * POST /api/stripe/webhook: Stripe's signed event deliveries (ADR 001: a route of the same Worker;
 * ADR 008: how events converge). Exempt from the CSRF origin check; the signature authenticates.
 * Raw body + Stripe-Signature (timestamp within ±300 s) or 400 `invalid_signature` with nothing
 * written; a signed body that isn't an event is 400 `invalid_payload`; a recorded event id is a 200
 * no-op; an event that can't be processed because of us (D1, our configuration, Stripe unreachable)
 * is a 500 so Stripe retries (the event row is only written with the event's effects, so it isn't
 * "processed"); subscriptions that aren't ours, objects Stripe doesn't know and events without an
 * object are a 200, recorded as ignored.
 */
export const action = cappedAction(MAX_WEBHOOK_BYTES, receive, { readsOwnBody: true, sentence: TOO_LARGE });

async function receive({ request, context }: ActionFunctionArgs): Promise<Response> {
  const deps = depsOf(context);
  const requestId = context.requestId;
  if (request.method !== "POST") return refusalResponse({ error: "method_not_allowed" });
  // Nothing huge is buffered before the signature is checked: cappedAction refused a declared
  // length over the cap before anything else, and readText counts what actually arrives.
  const signature = request.headers.get("Stripe-Signature");
  if (!signature) return refusalResponse({ error: "missing_signature" });
  const body = await readText(request, MAX_WEBHOOK_BYTES, TOO_LARGE);
  if (!body.ok) return refusalResponse(body);
  const verified = await verifyStripeEvent(deps, body.text, signature, requestId);
  if (!verified.ok) return refusalResponse(verified);
  const { event } = verified;
  try {
    const r = await receiveStripeEvent(deps, event, { receivedAt: Date.now(), requestId });
    if (!r.ok) return refusalResponse(r);
    return jsonOk({ received: true, duplicate: r.duplicate, ...("outcome" in r ? { outcome: r.outcome } : {}) });
  } catch (err) {
    // Not an expected refusal (D1 trouble, a bug): still "not processed", so Stripe retries.
    log("error", "stripe_webhook_failed", {
      requestId,
      eventId: event.id,
      type: event.type,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
    return refusalResponse(refuse("processing_failed", { eventId: event.id }));
  }
}

export const loader = methodNotAllowed;
