/**
 * HTTP `Range` for one stored object (RFC 9110 §14). We serve a single range: a multi-range
 * request is answered with the whole object (200), which the RFC allows, and so is any header we
 * cannot parse (an invalid Range is ignored, never an error).
 */
export type RangeDecision =
  { kind: "full" } | { kind: "partial"; start: number; end: number; length: number; contentRange: string } | { kind: "unsatisfiable"; contentRange: string };

const SPEC = /^bytes=(\d*)-(\d*)$/i;

export function decideRange(header: string | null, size: number): RangeDecision {
  if (header === null) return { kind: "full" };
  const m = SPEC.exec(header.trim());
  if (!m) return { kind: "full" };
  const [, first, last] = m;
  if (first === "" && last === "") return { kind: "full" };
  const unsatisfiable = { kind: "unsatisfiable", contentRange: `bytes */${size}` } as const;
  let start: number;
  let end: number;
  if (first === "") {
    // bytes=-n: the last n bytes (all of them when n ≥ size); -0 selects nothing.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return { kind: "full" };
    if (n === 0 || size === 0) return unsatisfiable;
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(first);
    if (!Number.isSafeInteger(start)) return { kind: "full" };
    if (start >= size) return unsatisfiable;
    if (last === "") end = size - 1;
    else {
      end = Number(last);
      if (!Number.isSafeInteger(end)) end = size - 1;
      if (end < start) return { kind: "full" }; // syntactically invalid → ignore the header
      end = Math.min(end, size - 1);
    }
  }
  return { kind: "partial", start, end, length: end - start + 1, contentRange: `bytes ${start}-${end}/${size}` };
}
