// A camera's detection as it publishes it to AWS IoT Core (the rule forwards it to POST /api/iot/events,
// ADR 015), and the IoT data-plane Publish that sends it. Shared by `npm run devices:simulate` and
// `npm start`'s demo day (scripts/lib/demo-events.mjs).
import { AwsClient } from "aws4fetch";

/** The message body: sound has no boxes; everything else one box around its first label. */
export function eventMessage({ eventId, thing, type, at, confidence, labels, box }) {
  return {
    eventId,
    device: thing,
    type,
    at: new Date(at).toISOString(),
    confidence,
    labels,
    ...(type === "sound" ? {} : { boxes: [{ label: labels[0] ?? type, confidence, ...box }] }),
  };
}

/** The per-thing topic the rule selects from (`aovis/<thing>/events`). */
export const eventTopic = (thing) => `aovis/${thing}/events`;

/**
 * `publish(message)`: IoT Publish (POST /topics/<topic>?qos=1, SigV4 service "iotdata") to
 * `endpoint`, throwing with the answer when it is not 2xx.
 */
export function iotPublisher({ accessKeyId, secretAccessKey, sessionToken, region }, endpoint) {
  const aws = new AwsClient({ accessKeyId, secretAccessKey, sessionToken, service: "iotdata", region, retries: 2 });
  const base = endpoint.replace(/\/+$/, "");
  return async (message) => {
    const res = await aws.fetch(`${base}/topics/${encodeURIComponent(eventTopic(message.device))}?qos=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw new Error(`IoT Publish answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  };
}
