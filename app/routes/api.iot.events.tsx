import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { MAX_EVENT_BODY_BYTES } from "~/domain/camera-events";
import { refuse } from "~/domain/result";
import { methodNotAllowed, refusalResponse } from "~/http/api-route.server";
import { readText, withBodyCap } from "~/http/body.server";
import { parseInput } from "~/http/input.server";
import { jsonOk } from "~/http/responses.server";
import { log } from "~/lib/log.server";
import { depsOf } from "~/models/deps.server";
import { enrichEventSoon } from "~/models/events/enrich.server";
import { ingestCameraEvent, verifyRuleToken } from "~/models/events/ingest.server";
import { CameraEventMessage } from "~/models/events/inputs";

const TOO_LARGE = "A camera event is a small JSON message; this one is too large.";

/**
 * POST /api/iot/events: camera events forwarded by the AWS IoT rule's HTTP action (ADR 015).
 * Exempt from the CSRF origin check (no browser sends it); authenticated by the rule's token.
 * Order: a topic-destination confirmation (logged for ops, nothing stored) · the token (401) ·
 * the size, declared or counted (413, before anything is parsed) · JSON (400) · the message's
 * shape (400) · the rule's facts against the camera's claims (400/403/404) · one insert (409 for
 * a repeated id). 202 when recorded; its snapshot and description follow after the response.
 */
// The cap is declared for the body-cap audit; the action checks the rule token first, then the size (ADR 015).
export const action = withBodyCap(ingestAction, MAX_EVENT_BODY_BYTES);

async function ingestAction({ request, context }: ActionFunctionArgs): Promise<Response> {
  if (request.method !== "POST") return refusalResponse({ error: "method_not_allowed" });
  const deps = depsOf(context);
  const requestId = context.requestId;

  if (request.headers.get("x-amz-rules-engine-message-type") === "DestinationConfirmation") {
    // AWS asks us to confirm the destination. We never follow its enableUrl ourselves (anyone can
    // send this): ops confirm with `aws iot confirm-topic-rule-destination --confirmation-token …`.
    const read = await readText(request, MAX_EVENT_BODY_BYTES, TOO_LARGE);
    let confirmation: { arn?: unknown; confirmationToken?: unknown } = {};
    try {
      confirmation = read.ok ? JSON.parse(read.text) : {};
    } catch {
      // logged as unreadable below
    }
    log("warn", "iot_destination_confirmation", {
      requestId,
      arn: typeof confirmation.arn === "string" ? confirmation.arn.slice(0, 200) : null,
      confirmationToken: typeof confirmation.confirmationToken === "string" ? confirmation.confirmationToken.slice(0, 2000) : null,
    });
    return jsonOk({ received: true }, { status: 202 });
  }

  const auth = await verifyRuleToken(deps, request.headers.get("x-aovis-rule-token"));
  if (!auth.ok) return refusalResponse(auth);
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_EVENT_BODY_BYTES) {
    return refusalResponse(refuse("payload_too_large", { maxBytes: MAX_EVENT_BODY_BYTES, sentence: TOO_LARGE }));
  }
  const body = await readText(request, MAX_EVENT_BODY_BYTES, TOO_LARGE);
  if (!body.ok) return refusalResponse(body);
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch {
    return refusalResponse(refuse("invalid_body", { expected: "The message must be a JSON object." }));
  }
  const message = parseInput(CameraEventMessage, raw);
  if (!message.ok) {
    const refused = { ...message, sentence: "The message is not a camera event." };
    return refusalResponse(refused);
  }

  const r = await ingestCameraEvent(
    deps,
    { topic: request.headers.get("x-aovis-topic"), receivedAt: request.headers.get("x-aovis-received-at") },
    message.value,
  );
  if (!r.ok) {
    log("warn", "iot_event_refused", { requestId, error: r.error, eventId: message.value.eventId, device: message.value.device });
    return refusalResponse(r);
  }
  // The picture and its description come after the row is committed (and the cron retries them).
  context.cloudflare.ctx.waitUntil(enrichEventSoon(deps, r.eventId, { requestId }));
  return jsonOk({ eventId: r.eventId, status: "recorded" }, { status: 202 });
}

export const loader = methodNotAllowed;
