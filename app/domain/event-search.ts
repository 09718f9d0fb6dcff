/**
 * Smart search over camera events (ADR 015): a customer's words become a time range (their time
 * zone, time-phrases.ts) and search terms for the FTS5 index (descriptions and labels), and the
 * pages of results are addressed by an opaque cursor. Pure.
 */
import { deviceToken, TYPE_SYNONYMS, type EventType } from "./camera-events";
import { parseTimePhrases, type TimeRange } from "./time-phrases";

export const MAX_QUERY_CHARS = 200;
export const SEARCH_PAGE_SIZE = 20;
/** More words than this are not a search, they are a paragraph: the rest are ignored. */
export const MAX_TERMS = 8;
/** What the search page suggests to try. */
export const SEARCH_SUGGESTIONS = ["person", "package", "car", "yesterday evening", "since 8am"] as const;

const EN_STOPWORDS = new Set(
  "a an the at on in of for to from with by and or any all my our me show find search look looking see saw there was were is are be been who what when where which that this those these did do does came come went got get events event camera cameras".split(
    " ",
  ),
);

/**
 * Chinese has no spaces: known words are found inside a run of characters (longest first) and
 * searched as their English word, the language the index is in. Other characters are not searched.
 */
const ZH_WORDS: [string, string][] = (
  [
    ["快递员", "courier"],
    ["送货", "delivery"],
    ["快递", "package"],
    ["包裹", "package"],
    ["箱子", "box"],
    ["行人", "person"],
    ["有人", "person"],
    ["人", "person"],
    ["访客", "visitor"],
    ["汽车", "car"],
    ["车辆", "vehicle"],
    ["卡车", "truck"],
    ["车", "vehicle"],
    ["猫", "cat"],
    ["狗", "dog"],
    ["鸟", "bird"],
    ["宠物", "pet"],
    ["动物", "animal"],
    ["声音", "sound"],
    ["噪音", "noise"],
    ["移动", "motion"],
    ["运动", "motion"],
    ["动静", "motion"],
    ["门口", "door"],
    ["门", "door"],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

function zhTerms(run: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < run.length;) {
    const hit = ZH_WORDS.find(([w]) => run.startsWith(w, i));
    if (hit) {
      out.push(hit[1]);
      i += hit[0].length;
    } else i++;
  }
  return out;
}

/** "packages" → "package", "deliveries" → "delivery", "boxes" → "box": the index holds singulars. */
function singular(w: string): string {
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/** The words to search for (lower case, [a-z0-9] only, singular, deduplicated). */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  const add = (t: string) => {
    if (t && !out.includes(t) && out.length < MAX_TERMS) out.push(t);
  };
  const normal = text.normalize("NFKC").toLowerCase();
  for (const run of normal.match(CJK_RUN) ?? []) zhTerms(run).forEach(add);
  for (const word of normal.replace(CJK_RUN, " ").split(/[^a-z0-9]+/)) {
    if (word.length < 2 || EN_STOPWORDS.has(word)) continue;
    add(singular(word));
  }
  return out;
}

export interface SearchQuery {
  terms: string[];
  /** From the time phrases, null when none. */
  range: TimeRange | null;
  phrases: string[];
}

export function parseSearchQuery(q: string, opts: { timeZone: string; now: number }): SearchQuery {
  const t = parseTimePhrases(q, opts);
  return { terms: searchTerms(t.rest), range: t.range, phrases: t.phrases };
}

/**
 * The FTS5 MATCH expression: every term (as a prefix, so "deliver" finds "delivery") in the
 * description or the labels, on one of the given devices. Terms are [a-z0-9] only, so quoting
 * them can't break out of the string.
 */
export function ftsExpression(terms: readonly string[], deviceIds: readonly string[]): string {
  const words = terms
    .map((t) => t.replace(/[^a-z0-9]/g, ""))
    .filter(Boolean)
    .map((t) => `"${t}"*`)
    .join(" AND ");
  const devices = `device : (${deviceIds.map((d) => `"${deviceToken(d)}"`).join(" OR ")})`;
  // No words ("everything yesterday"): every event of those devices.
  return words ? `{description labels} : (${words}) AND ${devices}` : devices;
}

/** A page continues below the last seq shown (results are newest first). */
export function encodeCursor(seq: number): string {
  return `s${seq.toString(36)}`;
}

export function decodeCursor(cursor: string): number | null {
  const m = /^s([0-9a-z]{1,12})$/.exec(cursor);
  if (!m) return null;
  const seq = parseInt(m[1], 36);
  return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/** The event types a search term names, for the "no cameras saw a … " empty state. */
export function typesNamed(terms: readonly string[]): EventType[] {
  return (Object.keys(TYPE_SYNONYMS) as EventType[]).filter((type) => terms.some((t) => TYPE_SYNONYMS[type].includes(t)));
}
