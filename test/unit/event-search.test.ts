import { describe, expect, it } from "vitest";
import { checkIngest, deviceToken, eventSeq, indexedLabels, MAX_EVENT_DELAY_MS, seqRange, thingOfTopic, atOfSeq } from "~/domain/camera-events";
import { decodeCursor, encodeCursor, ftsExpression, MAX_TERMS, parseSearchQuery, searchTerms, typesNamed } from "~/domain/event-search";

const NOW = Date.UTC(2026, 10, 25, 15, 30);

describe("search words", () => {
  it("drops filler words, keeps singulars, lower case", () => {
    expect(searchTerms("Show me the Packages at the front door")).toEqual(["package", "front", "door"]);
    expect(searchTerms("cars, trucks and deliveries; boxes; glass")).toEqual(["car", "truck", "delivery", "box", "glass"]);
    expect(searchTerms("a")).toEqual([]);
  });
  it("finds known Chinese words inside a run of characters and searches their English word", () => {
    expect(searchTerms("门口有人吗")).toEqual(["door", "person"]);
    expect(searchTerms("的包裹")).toEqual(["package"]);
    expect(searchTerms("快递员送来的箱子")).toEqual(["courier", "box"]);
    expect(searchTerms("猫和狗")).toEqual(["cat", "dog"]);
  });
  it("can't be used to write FTS syntax: only [a-z0-9] words survive", () => {
    expect(searchTerms(`" OR 1=1 -- NEAR(x) device:* {description}`)).toEqual(["near", "device", "description"]);
    expect(searchTerms(`"*) OR ("`)).toEqual([]);
  });
  it("keeps at most MAX_TERMS words", () => {
    expect(searchTerms("one two three four five six seven eight nine ten eleven")).toHaveLength(MAX_TERMS);
  });
  it("builds the MATCH expression: every word as a prefix, on one of the devices", () => {
    expect(ftsExpression(["package", "door"], ["d0000000-0000-4000-8000-000000000001", "ABC-2"])).toBe(
      '{description labels} : ("package"* AND "door"*) AND device : ("devd0000000000040008000000000000001" OR "devabc2")',
    );
  });
  it("without words, matches every event of the devices", () => {
    expect(ftsExpression([], ["a-1", "b-2"])).toBe('device : ("deva1" OR "devb2")');
  });
  it("names the event types its words ask for", () => {
    expect(typesNamed(["parcel", "door"])).toEqual(["package"]);
    expect(typesNamed(["car", "people"])).toEqual(["person", "vehicle"]);
  });
});

describe("a query: time phrase and words", () => {
  it("splits 'package yesterday evening' into the evening and the word", () => {
    const q = parseSearchQuery("package yesterday evening", { timeZone: "UTC", now: NOW });
    expect(q.terms).toEqual(["package"]);
    expect(q.range).toEqual({ start: Date.UTC(2026, 10, 24, 17), end: Date.UTC(2026, 10, 25) });
    expect(q.phrases).toEqual(["yesterday", "evening"]);
  });
  it("昨天晚上的包裹 in Shanghai", () => {
    const q = parseSearchQuery("昨天晚上的包裹", { timeZone: "Asia/Shanghai", now: NOW });
    expect(q.terms).toEqual(["package"]);
    expect(q.range).toEqual({ start: Date.UTC(2026, 10, 24, 9), end: Date.UTC(2026, 10, 24, 16) });
  });
  it("a time phrase alone lists everything in that time", () => {
    expect(parseSearchQuery("since 8am", { timeZone: "UTC", now: NOW })).toMatchObject({ terms: [], range: { start: Date.UTC(2026, 10, 25, 8), end: NOW } });
  });
});

describe("cursors", () => {
  it("round-trip a seq and refuse anything else", () => {
    const seq = eventSeq(NOW, "evt-1");
    expect(decodeCursor(encodeCursor(seq))).toBe(seq);
    for (const bad of ["", "s", "x123", "s-1", "s0", "s" + "z".repeat(13), "s1.5", "s12 "]) expect(decodeCursor(bad), bad).toBeNull();
  });
});

describe("events: keys, order and the ingestion checks", () => {
  it("seq orders by time, with a tie-break inside the millisecond", () => {
    const a = eventSeq(NOW, "a");
    const b = eventSeq(NOW + 1, "a");
    expect(b).toBeGreaterThan(a);
    expect(atOfSeq(a)).toBe(NOW);
    expect(eventSeq(NOW, "a")).toBe(a);
    expect(eventSeq(NOW, "b")).not.toBe(a);
    const r = seqRange(NOW, NOW);
    expect(a).toBeGreaterThanOrEqual(r.lo);
    expect(a).toBeLessThanOrEqual(r.hi);
    expect(Number.isSafeInteger(eventSeq(Date.UTC(2200, 0, 1), "zzzz"))).toBe(true);
  });
  it("topics name their thing; anything else is no events topic", () => {
    expect(thingOfTopic("aovis/aovis-n4k-000001/events")).toBe("aovis-n4k-000001");
    for (const t of ["aovis/a/b/events", "aovis//events", "other/x/events", "aovis/x/events/", "aovis/x y/events"]) expect(thingOfTopic(t), t).toBeNull();
  });
  it("indexes a type's synonyms and the camera's labels once each", () => {
    expect(indexedLabels("animal", ["Cat", "pet"])).toBe("animal pet wildlife cat");
    expect(deviceToken("D0-1")).toBe("devd01");
  });
  it("refuses a stale receipt, another device's body, and event times out of range", () => {
    const ok = { now: NOW, receivedAt: NOW - 1000, topicThing: "t1", bodyDevice: "t1", at: NOW - 5000 };
    expect(checkIngest(ok)).toEqual({ ok: true });
    expect(checkIngest({ ...ok, receivedAt: NOW - 6 * 60_000 })).toMatchObject({ error: "message_stale" });
    expect(checkIngest({ ...ok, receivedAt: NOW + 6 * 60_000 })).toMatchObject({ error: "message_stale" });
    expect(checkIngest({ ...ok, receivedAt: Number.NaN })).toMatchObject({ error: "message_stale" });
    expect(checkIngest({ ...ok, bodyDevice: "t2" })).toEqual({ ok: false, error: "device_mismatch" });
    expect(checkIngest({ ...ok, at: NOW + 2 * 60_000 })).toMatchObject({ error: "event_time_out_of_range" });
    expect(checkIngest({ ...ok, at: ok.receivedAt - MAX_EVENT_DELAY_MS - 1 })).toMatchObject({ error: "event_time_out_of_range" });
    expect(checkIngest({ ...ok, at: ok.receivedAt - MAX_EVENT_DELAY_MS + 1 })).toEqual({ ok: true });
  });
});
