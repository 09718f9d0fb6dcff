import { describe, expect, it } from "vitest";
import { DAY_PARTS, parseTimePhrases } from "~/domain/time-phrases";
import { localParts, zonedTime } from "~/domain/zoned-time";

// "now" is Wednesday 2026-11-25 15:30 UTC (10:30 in New York, 23:30 in Shanghai).
const NOW = Date.UTC(2026, 10, 25, 15, 30);
const HOUR = 3600_000;
const z = (iso: string) => Date.parse(iso);

function range(text: string, timeZone = "UTC", now = NOW) {
  const r = parseTimePhrases(text, { timeZone, now });
  return r.range ? { start: new Date(r.range.start).toISOString(), end: new Date(r.range.end).toISOString(), rest: r.rest } : { rest: r.rest };
}

describe("time phrases in English (UTC)", () => {
  it.each([
    ["today", "2026-11-25T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["yesterday", "2026-11-24T00:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["yesterday evening", "2026-11-24T17:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["yesterday morning", "2026-11-24T05:00:00.000Z", "2026-11-24T12:00:00.000Z"],
    ["yesterday afternoon", "2026-11-24T12:00:00.000Z", "2026-11-24T17:00:00.000Z"],
    ["this morning", "2026-11-25T05:00:00.000Z", "2026-11-25T12:00:00.000Z"],
    ["this afternoon", "2026-11-25T12:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["morning", "2026-11-25T05:00:00.000Z", "2026-11-25T12:00:00.000Z"],
    ["in the morning", "2026-11-25T05:00:00.000Z", "2026-11-25T12:00:00.000Z"],
    ["last night", "2026-11-24T21:00:00.000Z", "2026-11-25T05:00:00.000Z"],
    ["since 8am", "2026-11-25T08:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["since 8:30 am", "2026-11-25T08:30:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["since 14:00", "2026-11-25T14:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["after noon", "2026-11-25T12:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["from 9", "2026-11-25T09:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    // 4pm today is still to come: since yesterday's 4pm, until now.
    ["since 4pm", "2026-11-24T16:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["before 9am", "2026-11-25T00:00:00.000Z", "2026-11-25T09:00:00.000Z"],
    ["until midnight", "2026-11-25T00:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["at 3pm", "2026-11-25T15:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["at 12am", "2026-11-25T00:00:00.000Z", "2026-11-25T01:00:00.000Z"],
    ["yesterday after 8pm", "2026-11-24T20:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["yesterday evening before 9pm", "2026-11-24T17:00:00.000Z", "2026-11-24T21:00:00.000Z"],
    // today is a Wednesday
    ["last tuesday", "2026-11-24T00:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["last wednesday", "2026-11-18T00:00:00.000Z", "2026-11-19T00:00:00.000Z"],
    ["last thu", "2026-11-19T00:00:00.000Z", "2026-11-20T00:00:00.000Z"],
    ["tuesday", "2026-11-24T00:00:00.000Z", "2026-11-25T00:00:00.000Z"],
    ["wednesday", "2026-11-25T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["on sat", "2026-11-21T00:00:00.000Z", "2026-11-22T00:00:00.000Z"],
    ["sunday morning", "2026-11-22T05:00:00.000Z", "2026-11-22T12:00:00.000Z"],
    ["3 days ago", "2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z"],
    ["the day before yesterday", "2026-11-23T00:00:00.000Z", "2026-11-24T00:00:00.000Z"],
    ["this week", "2026-11-23T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["last week", "2026-11-16T00:00:00.000Z", "2026-11-23T00:00:00.000Z"],
    ["last hour", "2026-11-25T14:30:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["in the last 30 minutes", "2026-11-25T15:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["past 2 days", "2026-11-23T15:30:00.000Z", "2026-11-25T15:30:00.000Z"],
  ])("%s", (text, start, end) => {
    expect(range(text)).toMatchObject({ start, end, rest: "" });
  });

  it("keeps the other words for the search, in lower case and single spaces", () => {
    expect(range("  Package   YESTERDAY evening  ")).toMatchObject({ start: "2026-11-24T17:00:00.000Z", rest: "package" });
    expect(range("person at the door since 8am")).toMatchObject({ start: "2026-11-25T08:00:00.000Z", rest: "person at the door" });
    expect(range("cars last tuesday")).toMatchObject({ rest: "cars" });
  });

  it("names no range when there is no time phrase, and reads words like 'sat' and 'at the door' as words", () => {
    expect(range("red car")).toEqual({ rest: "red car" });
    expect(range("a cat sat on the mat")).toEqual({ rest: "a cat sat on the mat" });
    expect(range("package at the door")).toEqual({ rest: "package at the door" });
    expect(range("at 25:00")).toEqual({ rest: "at 25:00" });
    expect(range("since 13pm")).toEqual({ rest: "since 13pm" });
  });

  it("a time still to come is an empty range (start = end), never one that ends before it starts", () => {
    const r = parseTimePhrases("tonight", { timeZone: "UTC", now: NOW });
    expect(r.range).toEqual({ start: z("2026-11-25T17:00:00Z"), end: z("2026-11-25T17:00:00Z") });
    const evening = parseTimePhrases("this evening", { timeZone: "UTC", now: NOW });
    expect(evening.range!.end).toBe(evening.range!.start);
  });

  it("reads one day only: a second one stays a word", () => {
    expect(range("today yesterday")).toMatchObject({ start: "2026-11-24T00:00:00.000Z", rest: "today" });
  });

  it("lists the phrases it understood", () => {
    expect(parseTimePhrases("package yesterday after 8pm", { timeZone: "UTC", now: NOW }).phrases).toEqual(["yesterday", "after 8pm"]);
  });
});

describe("time phrases in the customer's time zone", () => {
  it("New York (UTC−5 in November): days and parts are local", () => {
    expect(range("yesterday evening", "America/New_York")).toMatchObject({ start: "2026-11-24T22:00:00.000Z", end: "2026-11-25T05:00:00.000Z" });
    expect(range("since 8am", "America/New_York")).toMatchObject({ start: "2026-11-25T13:00:00.000Z", end: "2026-11-25T15:30:00.000Z" });
    expect(range("today", "America/New_York")).toMatchObject({ start: "2026-11-25T05:00:00.000Z" });
  });

  it("a day across a DST change is 23 or 25 hours long", () => {
    // Monday 2026-03-09 (clocks went forward on Sunday the 8th) and Monday 2026-11-02 (back on the 1st).
    const spring = parseTimePhrases("yesterday", { timeZone: "America/New_York", now: Date.UTC(2026, 2, 9, 15) }).range!;
    expect(spring).toEqual({ start: z("2026-03-08T05:00:00Z"), end: z("2026-03-09T04:00:00Z") });
    expect((spring.end - spring.start) / HOUR).toBe(23);
    const fall = parseTimePhrases("yesterday", { timeZone: "America/New_York", now: Date.UTC(2026, 10, 2, 15) }).range!;
    expect((fall.end - fall.start) / HOUR).toBe(25);
  });

  it("an unknown zone name falls back to UTC", () => {
    expect(range("today", "Mars/Olympus_Mons")).toMatchObject({ start: "2026-11-25T00:00:00.000Z" });
  });
});

describe("time phrases in Chinese (Asia/Shanghai, UTC+8; it is 23:30 on Wednesday there)", () => {
  const sh = (text: string) => range(text, "Asia/Shanghai");
  it.each([
    ["今天", "2026-11-24T16:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["昨天", "2026-11-23T16:00:00.000Z", "2026-11-24T16:00:00.000Z"],
    ["昨天晚上", "2026-11-24T09:00:00.000Z", "2026-11-24T16:00:00.000Z"],
    ["昨天早上", "2026-11-23T21:00:00.000Z", "2026-11-24T04:00:00.000Z"],
    ["昨天下午", "2026-11-24T04:00:00.000Z", "2026-11-24T09:00:00.000Z"],
    ["昨晚", "2026-11-24T13:00:00.000Z", "2026-11-24T21:00:00.000Z"],
    ["今晚", "2026-11-25T09:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["今早", "2026-11-24T21:00:00.000Z", "2026-11-25T04:00:00.000Z"],
    ["前天", "2026-11-22T16:00:00.000Z", "2026-11-23T16:00:00.000Z"],
    ["3天前", "2026-11-21T16:00:00.000Z", "2026-11-22T16:00:00.000Z"],
    // 上周二 is the Tuesday of last week; 周二 the most recent Tuesday.
    ["上周二", "2026-11-16T16:00:00.000Z", "2026-11-17T16:00:00.000Z"],
    ["上星期日", "2026-11-21T16:00:00.000Z", "2026-11-22T16:00:00.000Z"],
    ["周二", "2026-11-23T16:00:00.000Z", "2026-11-24T16:00:00.000Z"],
    ["星期三", "2026-11-24T16:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["本周", "2026-11-22T16:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["上周", "2026-11-15T16:00:00.000Z", "2026-11-22T16:00:00.000Z"],
    ["早上8点以后", "2026-11-25T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["从8点", "2026-11-25T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["8点以来", "2026-11-25T00:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["晚上8点以后", "2026-11-25T12:00:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["八点半以前", "2026-11-24T16:00:00.000Z", "2026-11-25T00:30:00.000Z"],
    ["8:30以后", "2026-11-25T00:30:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["下午3点", "2026-11-25T07:00:00.000Z", "2026-11-25T08:00:00.000Z"],
    ["昨天晚上9点以后", "2026-11-24T13:00:00.000Z", "2026-11-24T16:00:00.000Z"],
    ["最近2小时", "2026-11-25T13:30:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["过去三天", "2026-11-22T15:30:00.000Z", "2026-11-25T15:30:00.000Z"],
    ["30分钟内", "2026-11-25T15:00:00.000Z", "2026-11-25T15:30:00.000Z"],
  ])("%s", (text, start, end) => {
    expect(sh(text)).toMatchObject({ start, end });
  });

  it("keeps the other characters for the search", () => {
    expect(sh("昨天晚上的包裹")).toMatchObject({ start: "2026-11-24T09:00:00.000Z", rest: "的包裹" });
    expect(sh("门口有人")).toEqual({ rest: "门口有人" });
  });
});

describe("zone arithmetic", () => {
  it("a wall time in a DST gap moves forward; in an overlap the first one is meant", () => {
    expect(zonedTime("America/New_York", 2026, 3, 8, 2, 30)).toBe(z("2026-03-08T07:30:00Z"));
    expect(zonedTime("America/New_York", 2026, 11, 1, 1, 30)).toBe(z("2026-11-01T05:30:00Z"));
    expect(zonedTime("Asia/Shanghai", 2026, 11, 25, 29)).toBe(z("2026-11-25T21:00:00Z"));
  });
  it("reads the wall clock and weekday of an instant", () => {
    expect(localParts(NOW, "Asia/Shanghai")).toEqual({ year: 2026, month: 11, day: 25, hour: 23, minute: 30, weekday: 3 });
    expect(localParts(Date.UTC(2026, 10, 25, 16, 30), "Asia/Shanghai")).toMatchObject({ day: 26, hour: 0, weekday: 4 });
  });
  it("day parts are ordered hours of the day", () => {
    for (const [, [a, b]] of Object.entries(DAY_PARTS)) expect(a).toBeLessThan(b);
  });
});
