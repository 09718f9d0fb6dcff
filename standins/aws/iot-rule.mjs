// IoT Core's data plane Publish and the camera events rule, for the AWS stand-in (ADR 015).
//
// Publish: `POST /topics/{topic}?qos=0|1` (botocore iot-data 2015-05-28, signing name `iotdata`;
// the topic is one URI label, so its slashes arrive as %2F), body = the payload as is, answer 200
// with an empty body. Real cameras publish over MQTT with their certificate; the simulator uses
// this HTTPS form with the app's keys, which reaches the same rule.
//
// The rule, as deployed (`SELECT * FROM 'aovis/+/events'`, HTTPS action to the app's
// /api/iot/events): the payload is POSTed unchanged with the three headers the rule writes,
//   x-aovis-rule-token  = ${get_secret(...)}  (here: the app's IOT_RULE_TOKEN)
//   x-aovis-topic       = ${topic()}
//   x-aovis-received-at = ${timestamp()}      (Unix ms when the message arrived)
// after Publish has answered (the rules engine is asynchronous). A 5xx or a network failure is
// tried again once after a second, like the action's retry; 4xx is final. Every delivery is
// recorded for GET /__standin/iot/deliveries.
import { setTimeout as sleep } from "node:timers/promises";

export const EVENTS_TOPIC = /^aovis\/([a-zA-Z0-9:_-]{1,128})\/events$/;
const MAX_PAYLOAD_BYTES = 128 * 1024; // IoT Core's message size limit
const KEEP_DELIVERIES = 200;

/**
 * @param {{appOrigin?: string, token?: string, fetch?: typeof fetch}} opts
 */
export function createIotRule({ appOrigin, token, fetch: doFetch = fetch }) {
  /** @type {{topic: string, eventId: string|null, status: number|null, error: string|null, body: unknown, receivedAt: number, attempts: number}[]} */
  const deliveries = [];
  const stats = { published: 0, matched: 0, delivered: 0, failed: 0 };

  async function deliver(topic, payload, receivedAt) {
    let eventId = null;
    try {
      eventId = JSON.parse(payload.toString("utf8"))?.eventId ?? null;
    } catch {
      // Not JSON: the rule still forwards it and the app refuses it.
    }
    const record = { topic, eventId, status: null, error: null, body: null, receivedAt, attempts: 0 };
    deliveries.push(record);
    if (deliveries.length > KEEP_DELIVERIES) deliveries.shift();
    if (!appOrigin) {
      record.error = "no app origin configured";
      stats.failed++;
      return;
    }
    for (let attempt = 1; attempt <= 2; attempt++) {
      record.attempts = attempt;
      try {
        const res = await doFetch(`${appOrigin}/api/iot/events`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "x-aovis-rule-token": token ?? "",
            "x-aovis-topic": topic,
            "x-aovis-received-at": String(receivedAt),
          },
          body: payload,
        });
        record.status = res.status;
        const text = await res.text();
        try {
          record.body = JSON.parse(text);
        } catch {
          record.body = text.slice(0, 500);
        }
        record.error = null;
        if (res.status < 500) break;
      } catch (err) {
        record.error = String(err?.message ?? err);
      }
      if (attempt === 1) await sleep(1000);
    }
    if (record.status !== null && record.status < 300) stats.delivered++;
    else stats.failed++;
  }

  return {
    stats,
    deliveries,
    /** Handles a signed Publish request; returns true when it answered. */
    publish(res, rawPath, query, body) {
      const topic = decodeURIComponent(rawPath.slice("/topics/".length));
      const qos = query.get("qos") ?? "0";
      if (!topic || topic.length > 256 || topic.includes("#") || topic.includes("+"))
        return sendAwsError(res, 400, "InvalidRequestException", "The topic is not a valid publish topic.");
      if (qos !== "0" && qos !== "1") return sendAwsError(res, 400, "InvalidRequestException", "qos must be 0 or 1.");
      if (body.length > MAX_PAYLOAD_BYTES) return sendAwsError(res, 413, "RequestEntityTooLargeException", "The payload exceeds the maximum size.");
      stats.published++;
      res.writeHead(200, { "x-amzn-RequestId": crypto.randomUUID(), "Content-Length": "0" });
      res.end();
      if (EVENTS_TOPIC.test(topic)) {
        stats.matched++;
        // After the answer, as the rules engine does.
        setImmediate(() => void deliver(topic, body, Date.now()));
      }
    },
  };
}

function sendAwsError(res, status, code, message) {
  res.writeHead(status, { "Content-Type": "application/json", "x-amzn-ErrorType": code });
  res.end(JSON.stringify({ message }));
}
