/**
 * Time phrases in a search ("yesterday evening", "last Tuesday", "since 8am", 昨天晚上, 上周二,
 * 8点以后…) as a range of instants, in the customer's time zone. Pure: the zone and "now" are
 * passed in; zone arithmetic is ./zoned-time (Intl only). Ranges are [start, end) in Unix ms, end
 * clamped to now; a phrase about a time still to come gives an empty range (start = end).
 *
 * Readings (the tests hold every one):
 * - A bare weekday ("tuesday", "on tuesday", 周二) is its most recent occurrence, today included;
 *   "last tuesday" is the most recent one before today; 上周二 is the Tuesday of last week
 *   (weeks start on Monday), as Chinese speakers mean it.
 * - Parts of the day: DAY_PARTS below. "last night"/昨晚 is yesterday's night.
 * - "since/after 8am" without a day is today, or yesterday when 8am today is still to come;
 *   "before 9am" is today before 9; "at 3pm" is that hour.
 */
import { at, isTimeZone, localParts, shiftDate, type LocalDate } from "./zoned-time";

export interface TimeRange {
  start: number;
  end: number;
}

export interface ParsedTime {
  /** null when the text names no time. */
  range: TimeRange | null;
  /** The text with the time phrases taken out. */
  rest: string;
  /** The phrases understood, as written (for "showing results for …"). */
  phrases: string[];
}

const HOUR = 3600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** Hours of the day (local) each part covers; an end past 24 runs into the next day. */
export const DAY_PARTS = {
  early: [0, 5],
  morning: [5, 12],
  noon: [11, 14],
  afternoon: [12, 17],
  evening: [17, 24],
  night: [21, 29],
} as const;
type DayPart = keyof typeof DAY_PARTS;

// ---- vocabulary -------------------------------------------------------------------------------

const EN_WEEKDAYS: [RegExp, number][] = [
  [/^sun(day)?$/, 0],
  [/^mon(day)?$/, 1],
  [/^tue(s|sday)?$/, 2],
  [/^wed(nesday)?$/, 3],
  [/^thu(r|rs|rsday)?$/, 4],
  [/^fri(day)?$/, 5],
  [/^sat(urday)?$/, 6],
];
/** With "last"/"on" before it a short form is a weekday; alone, only the full name is ("sat", "sun" are words too). */
const EN_WEEKDAY = "(sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tues|tue|wed|thurs|thur|thu|fri|sat)";
const EN_WEEKDAY_FULL = "(sunday|monday|tuesday|wednesday|thursday|friday|saturday)";

function enWeekday(word: string): number {
  for (const [re, n] of EN_WEEKDAYS) if (re.test(word)) return n;
  return -1;
}

const ZH_WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ZH_NUMBERS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };

/** "8", "08", "十二", "两" → a number, else NaN. */
function zhNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s in ZH_NUMBERS) return ZH_NUMBERS[s];
  if (/^十[一二三四五六七八九]$/.test(s)) return 10 + ZH_NUMBERS[s[1]];
  if (/^[二三四五]十[一二三四五六七八九]?$/.test(s)) return ZH_NUMBERS[s[0]] * 10 + (s[2] ? ZH_NUMBERS[s[2]] : 0);
  return Number.NaN;
}

const EN_PARTS: Record<string, DayPart> = { morning: "morning", afternoon: "afternoon", evening: "evening", night: "night", noon: "noon" };
const ZH_PARTS: [RegExp, DayPart][] = [
  [/凌晨/, "early"],
  [/早上|早晨|上午|清晨/, "morning"],
  [/中午/, "noon"],
  [/下午/, "afternoon"],
  [/晚上|傍晚|夜里|夜晚/, "evening"],
];

// ---- the parser -------------------------------------------------------------------------------

type Anchor = { kind: "day"; date: LocalDate } | { kind: "range"; start: number; end: number };
type Clock = { kind: "since" | "before" | "at"; hour: number; minute: number };

interface Found {
  anchor?: Anchor;
  part?: DayPart;
  clock?: Clock;
}

/** A clock like "8am", "8:30 pm", "14:00", "noon", "midnight", "8" (24 h) → hour/minute, or null. */
function enClock(s: string): { hour: number; minute: number } | null {
  const t = s.trim();
  if (t === "noon" || t === "midday") return { hour: 12, minute: 0 };
  if (t === "midnight") return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const ampm = m[3]?.replace(/\./g, "");
  if (minute > 59) return null;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === "am") hour = hour === 12 ? 0 : hour;
    else hour = hour === 12 ? 12 : hour + 12;
  } else if (hour > 23) return null;
  return { hour, minute };
}

/** The zh clock "8点", "8点半", "8点30分", "8:30", with an optional part before it that moves pm hours. */
function zhClock(
  part: string | undefined,
  hourText: string,
  half: string | undefined,
  minuteText: string | undefined,
): { hour: number; minute: number } | null {
  let hour = zhNumber(hourText);
  let minute = half ? 30 : minuteText ? zhNumber(minuteText) : 0;
  if (!Number.isFinite(hour) || !Number.isFinite(minute) || hour > 24 || minute > 59) return null;
  if (part && /下午|晚上|傍晚|夜里|夜晚/.test(part) && hour < 12) hour += 12;
  if (part && /凌晨|早上|早晨|上午/.test(part) && hour === 12) hour = 0;
  if (hour === 24) {
    hour = 0;
    minute = 0;
  }
  return { hour, minute };
}

function zhClockRule(
  f: Found,
  from: string | undefined,
  part: string | undefined,
  hour: string,
  half: string | undefined,
  minute: string | undefined,
  word: string | undefined,
): boolean {
  if (f.clock) return false;
  const clock = zhClock(part, hour, half, minute);
  if (!clock) return false;
  const since = from !== undefined || (word !== undefined && /以后|之后|以来|开始|起|后/.test(word));
  const before = word !== undefined && /以前|之前|前/.test(word);
  f.clock = { kind: since ? "since" : before ? "before" : "at", ...clock };
  return true;
}

interface Ctx {
  tz: string;
  now: number;
  today: LocalDate;
  weekday: number;
}

/** The most recent date with `weekday` (0 = Sunday), today included unless `strictlyBefore`. */
function lastWeekday(ctx: Ctx, weekday: number, strictlyBefore: boolean): LocalDate {
  let back = (ctx.weekday - weekday + 7) % 7;
  if (back === 0 && strictlyBefore) back = 7;
  return shiftDate(ctx.today, -back);
}

/** Monday of this week (weeks start on Monday). */
const mondayOf = (ctx: Ctx) => shiftDate(ctx.today, -((ctx.weekday + 6) % 7));

type Rule = { re: RegExp; apply: (m: RegExpExecArray, ctx: Ctx, found: Found) => boolean };

const day = (date: LocalDate): Anchor => ({ kind: "day", date });

/**
 * Each rule takes what it understands from the text (the match is removed). A rule that would set
 * something already set leaves the text alone, so "today yesterday" keeps the second as words.
 */
const RULES: Rule[] = [
  // rolling ranges: "last 2 hours", "past hour", "in the last 30 minutes", 最近2小时, 过去3天, 2小时内
  {
    re: /\b(?:in\s+the\s+)?(?:last|past)\s+(?:(\d{1,3})\s+)?(minutes?|mins?|hours?|hrs?|days?)\b/,
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      const n = m[1] ? Number(m[1]) : 1;
      const unit = m[2].startsWith("m") ? MINUTE : m[2].startsWith("h") ? HOUR : DAY;
      f.anchor = { kind: "range", start: ctx.now - n * unit, end: ctx.now };
      return n > 0;
    },
  },
  {
    re: /(?:最近|过去|近)\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?\s*(分钟|小时|钟头|天)(?:内|以内|之内)?|(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?\s*(分钟|小时|钟头|天)(?:内|以内|之内)/,
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      const n = zhNumber(m[1] ?? m[3]);
      const unitText = m[2] ?? m[4];
      const unit = unitText === "分钟" ? MINUTE : unitText === "天" ? DAY : HOUR;
      if (!(n > 0)) return false;
      f.anchor = { kind: "range", start: ctx.now - n * unit, end: ctx.now };
      return true;
    },
  },
  // weeks
  {
    re: /\b(this|last)\s+week\b|本周|这周|这星期|这个星期|上周(?![一二三四五六日天])|上星期(?![一二三四五六日天])|上个星期(?![一二三四五六日天])/,
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      const monday = mondayOf(ctx);
      const last = m[1] === "last" || m[0].startsWith("上");
      f.anchor = last
        ? { kind: "range", start: at(ctx.tz, shiftDate(monday, -7), 0), end: at(ctx.tz, monday, 0) }
        : { kind: "range", start: at(ctx.tz, monday, 0), end: ctx.now };
      return true;
    },
  },
  // compounds: last night, tonight, this morning/afternoon/evening, 昨晚, 今晚, 今早
  {
    re: /\blast\s+night\b|昨晚|昨夜/,
    apply: (_m, ctx, f) => {
      if (f.anchor || f.part) return false;
      f.anchor = day(shiftDate(ctx.today, -1));
      f.part = "night";
      return true;
    },
  },
  {
    re: /\btonight\b|今晚|今夜/,
    apply: (_m, ctx, f) => {
      if (f.anchor || f.part) return false;
      f.anchor = day(ctx.today);
      f.part = "evening";
      return true;
    },
  },
  {
    re: /\bthis\s+(morning|afternoon|evening)\b|今早/,
    apply: (m, ctx, f) => {
      if (f.anchor || f.part) return false;
      f.anchor = day(ctx.today);
      f.part = m[1] ? EN_PARTS[m[1]] : "morning";
      return true;
    },
  },
  // days
  {
    re: /\b(?:the\s+)?day\s+before\s+yesterday\b|前天/,
    apply: (_m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(shiftDate(ctx.today, -2));
      return true;
    },
  },
  {
    re: /\b(\d{1,2})\s+days?\s+ago\b|(\d{1,2}|[一二两三四五六七八九十]{1,2})\s*天前/,
    apply: (m, ctx, f) => {
      const n = zhNumber(m[1] ?? m[2]);
      if (f.anchor || !(n >= 0)) return false;
      f.anchor = day(shiftDate(ctx.today, -n));
      return true;
    },
  },
  {
    re: /\byesterday\b|昨天|昨日/,
    apply: (_m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(shiftDate(ctx.today, -1));
      return true;
    },
  },
  {
    re: /\btoday\b|今天|今日/,
    apply: (_m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(ctx.today);
      return true;
    },
  },
  {
    re: new RegExp(`\\blast\\s+${EN_WEEKDAY}\\b`),
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(lastWeekday(ctx, enWeekday(m[1]), true));
      return true;
    },
  },
  {
    re: /(?:上周|上星期|上个星期|上礼拜)([一二三四五六日天])/,
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      const n = ZH_WEEKDAY[m[1]];
      f.anchor = day(shiftDate(mondayOf(ctx), -7 + ((n + 6) % 7)));
      return true;
    },
  },
  {
    re: new RegExp(`\\bon\\s+${EN_WEEKDAY}\\b|\\b${EN_WEEKDAY_FULL}\\b`),
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(lastWeekday(ctx, enWeekday(m[1] ?? m[2]), false));
      return true;
    },
  },
  {
    re: /(?:周|星期|礼拜)([一二三四五六日天])/,
    apply: (m, ctx, f) => {
      if (f.anchor) return false;
      f.anchor = day(lastWeekday(ctx, ZH_WEEKDAY[m[1]], false));
      return true;
    },
  },
  // en clocks
  {
    re: /\b(since|after|from|before|until|till|at)\s+(noon|midday|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)(?=\s|$|[,.;!?])/,
    apply: (m, _ctx, f) => {
      if (f.clock) return false;
      const clock = enClock(m[2]);
      if (!clock) return false;
      const kind = m[1] === "before" || m[1] === "until" || m[1] === "till" ? "before" : m[1] === "at" ? "at" : "since";
      f.clock = { kind, ...clock };
      return true;
    },
  },
  // zh clocks (they may carry a part of the day, which moves pm hours): 8点以后, 从晚上8点, 下午3点半以前, 8:30以后
  {
    re: /(从|自)?\s*(凌晨|早上|早晨|上午|中午|下午|晚上|傍晚|夜里)?\s*(\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*(?:点钟|点|时)\s*(半)?\s*(?:(\d{1,2}|[零一二三四五六七八九十]{1,3})\s*分)?\s*(以后|之后|以来|开始|起|后|以前|之前|前)?/,
    apply: (m, _ctx, f) => zhClockRule(f, m[1], m[2], m[3], m[4], m[5], m[6]),
  },
  {
    // "8:30" alone is too common in other text: only with a zh "since"/"before" word around it.
    re: /(从|自)?\s*(凌晨|早上|早晨|上午|中午|下午|晚上|傍晚|夜里)?\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*(以后|之后|以来|开始|起|后|以前|之前|前)/,
    apply: (m, _ctx, f) => zhClockRule(f, m[1], m[2], m[3], undefined, m[4], m[5]),
  },
  // parts of the day on their own: "yesterday evening", "morning", 昨天晚上, 下午
  {
    re: /\b(?:in\s+the\s+|this\s+)?(morning|afternoon|evening|night|noon)\b/,
    apply: (m, _ctx, f) => {
      if (f.part) return false;
      f.part = EN_PARTS[m[1]];
      return true;
    },
  },
  {
    re: /凌晨|早上|早晨|上午|清晨|中午|下午|晚上|傍晚|夜里|夜晚/,
    apply: (m, _ctx, f) => {
      if (f.part) return false;
      f.part = ZH_PARTS.find(([re]) => re.test(m[0]))![1];
      return true;
    },
  },
];

/** The range the found pieces name, before clamping to now. */
function resolve(found: Found, ctx: Ctx): TimeRange | null {
  const { anchor, part, clock } = found;
  if (!anchor && !part && !clock) return null;
  if (anchor?.kind === "range") return { start: anchor.start, end: anchor.end };
  let date = anchor?.kind === "day" ? anchor.date : ctx.today;
  // "since 8am" (no day) when 8am today is still to come means yesterday's 8am.
  if (!anchor && clock?.kind === "since" && !part && at(ctx.tz, date, clock.hour, clock.minute) > ctx.now) date = shiftDate(date, -1);
  let start = at(ctx.tz, date, 0);
  let end = at(ctx.tz, shiftDate(date, 1), 0);
  if (part) {
    const [h0, h1] = DAY_PARTS[part];
    start = at(ctx.tz, date, h0);
    end = at(ctx.tz, date, h1);
  }
  if (clock) {
    const t = at(ctx.tz, date, clock.hour, clock.minute);
    // "since 8am" alone runs until now (across midnight when it means yesterday's 8am).
    if (clock.kind === "since" && !anchor && !part) end = ctx.now;
    if (clock.kind === "since") start = Math.max(start, t);
    else if (clock.kind === "before") end = Math.min(end, t);
    else {
      start = t;
      end = t + HOUR;
    }
  }
  return { start, end };
}

/** Understands the time phrases in `text` (see the module comment); the rest is returned for the word search. */
export function parseTimePhrases(text: string, opts: { timeZone: string; now: number }): ParsedTime {
  const tz = isTimeZone(opts.timeZone) ? opts.timeZone : "UTC";
  const p = localParts(opts.now, tz);
  const ctx: Ctx = { tz, now: opts.now, today: { year: p.year, month: p.month, day: p.day }, weekday: p.weekday };
  let rest = ` ${text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()} `;
  const found: Found = {};
  const phrases: string[] = [];
  for (const rule of RULES) {
    const m = rule.re.exec(rest);
    if (!m || !m[0].trim()) continue;
    if (!rule.apply(m, ctx, found)) continue;
    phrases.push(m[0].trim());
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
  }
  const range = resolve(found, ctx);
  const clamped = range ? { start: range.start, end: Math.max(range.start, Math.min(range.end, opts.now)) } : null;
  return { range: clamped, rest: rest.replace(/\s+/g, " ").trim(), phrases };
}
