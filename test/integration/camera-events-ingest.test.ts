import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_EVENT_BODY_BYTES } from "~/domain/camera-events";
import { depsFor } from "~/models/deps.server";
import { verifyRuleToken } from "~/models/events/ingest.server";
import { appFetch } from "../helpers/app";
import { provisionTestDevice } from "../helpers/devices";
import { eventCount, eventMessage, eventRow, postEvent } from "../helpers/events";

// POST /api/iot/events, as the AWS IoT rule's HTTP action calls it (ADR 015). Every refusal is a
// 4xx with a stable code and leaves camera_events (and its index) exactly as it was.

type Json = Record<string, any>;

async function ftsCount(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM camera_events_fts").first<{ n: number }>())!.n;
}

/** Runs `send`, expects `status` + `error`, and that no event (nor index entry) was written. */
async function refused(send: () => Promise<Response>, status: number, error: string): Promise<Json> {
  const [events, fts] = [await eventCount(), await ftsCount()];
  const res = await send();
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toBe(error);
  expect(typeof body.message).toBe("string");
  expect(await eventCount()).toBe(events);
  expect(await ftsCount()).toBe(fts);
  return body;
}

describe("camera events: ingestion from the IoT rule", () => {
  it("records an event once (202), indexes it, and answers a replay of its id with 409 and no second row", async () => {
    const d = await provisionTestDevice({ iccid: null });
    const msg = eventMessage(d.aovisId, { type: "animal", labels: ["cat"], boxes: [{ label: "cat", confidence: 0.8, x: 0.1, y: 0.2, w: 0.3, h: 0.2 }] });
    // No Origin header: the route is exempt from the CSRF check (the rule is no browser).
    const res = await postEvent(msg);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ eventId: msg.eventId, status: "recorded" });
    const row = (await eventRow(msg.eventId))!;
    expect(row).toMatchObject({ device_id: d.id, type: "animal", at: Date.parse(msg.at), confidence: 0.91 });
    expect(row.labels).toBe("animal pet wildlife cat");
    expect(JSON.parse(row.boxes_json)).toHaveLength(1);
    const indexed = await env.DB.prepare("SELECT labels, device FROM camera_events_fts WHERE rowid = ?1").bind(row.seq).first<Json>();
    expect(indexed).toEqual({ labels: "animal pet wildlife cat", device: `dev${d.id.replace(/-/g, "")}` });

    await refused(() => postEvent(msg), 409, "event_duplicate");
    await refused(() => postEvent({ ...msg, type: "person" }), 409, "event_duplicate");
    expect(await eventCount(d.id)).toBe(1);
  });

  it("an unsigned or forged delivery → 401 rule_unauthenticated, before the body is read", async () => {
    const d = await provisionTestDevice({ iccid: null });
    expect((await refused(() => postEvent(eventMessage(d.aovisId), { token: null }), 401, "rule_unauthenticated")).reason).toBe("missing");
    expect((await refused(() => postEvent(eventMessage(d.aovisId), { token: "x".repeat(40) }), 401, "rule_unauthenticated")).reason).toBe("invalid");
    expect((await refused(() => postEvent(eventMessage(d.aovisId), { token: env.IOT_RULE_TOKEN + "x" }), 401, "rule_unauthenticated")).reason).toBe("invalid");
    // Unsigned and huge: refused as unsigned (nothing is read for a stranger).
    await refused(() => postEvent("x".repeat(MAX_EVENT_BODY_BYTES * 4), { token: null, thing: d.aovisId }), 401, "rule_unauthenticated");
  });

  it("another device's topic, or a thing we don't know → 403 device_mismatch / 404, no row", async () => {
    const [a, b] = [await provisionTestDevice({ iccid: null }), await provisionTestDevice({ iccid: null })];
    // Camera A claims to be B on its own topic, and B's message arrives on A's topic.
    await refused(() => postEvent(eventMessage(b.aovisId), { topic: `aovis/${a.aovisId}/events` }), 403, "device_mismatch");
    await refused(() => postEvent(eventMessage(a.aovisId), { topic: `aovis/${b.aovisId}/events` }), 403, "device_mismatch");
    expect((await refused(() => postEvent(eventMessage("aovis-unknown-thing")), 404, "not_found")).message).toBe("No such device.");
    await refused(() => postEvent(eventMessage(a.aovisId), { topic: null }), 400, "invalid_topic");
    await refused(() => postEvent(eventMessage(a.aovisId), { topic: `aovis/${a.aovisId}/status` }), 400, "invalid_topic");
    expect(await eventCount(a.id)).toBe(0);
    expect(await eventCount(b.id)).toBe(0);
  });

  it("a receive time far from now (a replayed delivery) → 400 message_stale; an event time out of range → 400", async () => {
    const d = await provisionTestDevice({ iccid: null });
    const now = Date.now();
    await refused(() => postEvent(eventMessage(d.aovisId), { receivedAt: now - 6 * 60_000 }), 400, "message_stale");
    await refused(() => postEvent(eventMessage(d.aovisId), { receivedAt: now + 6 * 60_000 }), 400, "message_stale");
    await refused(() => postEvent(eventMessage(d.aovisId), { receivedAt: null }), 400, "message_stale");
    await refused(() => postEvent(eventMessage(d.aovisId), { receivedAt: "yesterday" }), 400, "message_stale");
    await refused(() => postEvent(eventMessage(d.aovisId, { at: new Date(now + 5 * 60_000).toISOString() })), 400, "event_time_out_of_range");
    await refused(() => postEvent(eventMessage(d.aovisId, { at: now - 25 * 3600_000 })), 400, "event_time_out_of_range");
    // A camera that was offline for an hour sends its buffered event: still taken.
    expect((await postEvent(eventMessage(d.aovisId, { at: now - 3600_000 }))).status).toBe(202);
  });

  it("a 1 MB body → 413 before anything is parsed, by its declared length or by counting a chunked one", async () => {
    const d = await provisionTestDevice({ iccid: null });
    const big = JSON.stringify({ ...eventMessage(d.aovisId), padding: "x".repeat(1024 * 1024) });
    const body = await refused(() => postEvent(big, { thing: d.aovisId }), 413, "payload_too_large");
    expect(body.maxBytes).toBe(MAX_EVENT_BODY_BYTES);
    const chunked = () => {
      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
          c.close();
        },
      });
      return appFetch("/api/iot/events", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "x-aovis-rule-token": env.IOT_RULE_TOKEN,
          "x-aovis-topic": `aovis/${d.aovisId}/events`,
          "x-aovis-received-at": String(Date.now()),
        },
        body: stream,
      });
    };
    await refused(chunked, 413, "payload_too_large");
  });

  it("malformed JSON → 400 invalid_body; a body that isn't a camera event → 400 invalid_request naming the field", async () => {
    const d = await provisionTestDevice({ iccid: null });
    await refused(() => postEvent('{"eventId": "abc', { thing: d.aovisId }), 400, "invalid_body");
    await refused(() => postEvent("[1,2]", { thing: d.aovisId }), 400, "invalid_request");
    const bad = await refused(() => postEvent(eventMessage(d.aovisId, { type: "ufo", confidence: 3 })), 400, "invalid_request");
    expect(bad.issues.map((i: Json) => i.field).sort()).toEqual(["confidence", "type"]);
    await refused(() => postEvent(eventMessage(d.aovisId, { eventId: "x" })), 400, "invalid_request");
    await refused(() => postEvent(eventMessage(d.aovisId, { labels: ["Robert'); DROP TABLE devices;--"] })), 400, "invalid_request");
  });

  it("a topic-destination confirmation from AWS is logged for ops (202) and writes nothing; GET is 405", async () => {
    await refused(
      async () => {
        const res = await appFetch("/api/iot/events", {
          method: "POST",
          headers: { "Content-Type": "application/json", "x-amz-rules-engine-message-type": "DestinationConfirmation" },
          body: JSON.stringify({
            arn: "arn:aws:iot:us-east-1:000000000000:ruledestination/http/x",
            confirmationToken: "AYADe",
            messageType: "DestinationConfirmation",
          }),
        });
        expect(res.status).toBe(202);
        return new Response(JSON.stringify({ error: "none", message: "-" }), { status: 202 });
      },
      202,
      "none",
    );
    const get = await appFetch("/api/iot/events");
    expect(get.status).toBe(405);
  });

  it("takes the next token while a new one is rolled out", async () => {
    const next = "n".repeat(40);
    const deps = depsFor({ ...env, IOT_RULE_TOKEN_NEXT: next } as Env);
    expect((await verifyRuleToken(deps, next)).ok).toBe(true);
    expect((await verifyRuleToken(deps, env.IOT_RULE_TOKEN)).ok).toBe(true);
    expect(await verifyRuleToken(depsFor(env), next)).toMatchObject({ ok: false, reason: "invalid" });
  });
});
