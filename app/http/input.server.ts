/**
 * zod at the edge: one schema per use case (next to the use case, in app/models/<area>/inputs.ts),
 * used by the API route and the page form alike. Problems are reported per field in plain words,
 * never zod's own text ("Too big: expected string to have <=60 characters").
 */
import type { z } from "zod";
import { refuse, type Ok, type Refusal } from "~/domain/result";

export interface FieldProblem {
  field: string;
  problem: string;
}

export type InvalidRequest = Refusal<"invalid_request", { issues: FieldProblem[] }>;

/** A sentence for one zod issue: the schema's own message when it gave one, else plain words. */
function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  const i = issue as z.core.$ZodRawIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; expected?: string; format?: string };
  const n = (v: number | bigint | undefined) => Number(v ?? 0);
  switch (i.code) {
    case "too_small":
      if (i.origin === "string") return n(i.minimum) <= 1 ? "This can't be empty." : `Use at least ${n(i.minimum)} characters.`;
      if (i.origin === "array" || i.origin === "set") return `Choose at least ${n(i.minimum)}.`;
      return `Use a value of at least ${n(i.minimum)}.`;
    case "too_big":
      if (i.origin === "string") return `Use at most ${n(i.maximum)} characters.`;
      if (i.origin === "array" || i.origin === "set") return `Choose at most ${n(i.maximum)}.`;
      return `Use a value of at most ${n(i.maximum)}.`;
    case "invalid_format":
      if (i.format === "email") return "Enter an email address, like name@example.com.";
      return "This isn't in the expected format.";
    case "invalid_type":
      return i.input === undefined ? "This is required." : "This isn't the expected kind of value.";
    case "invalid_value":
      return "Choose one of the offered options.";
    case "unrecognized_keys":
      return "There are fields we don't know.";
    default:
      return "This value isn't valid.";
  }
}

/** Runs `schema` over `raw`; a failure names each field with a plain sentence. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): Ok<{ value: z.infer<S> }> | InvalidRequest {
  const r = schema.safeParse(raw, { error: plainWords });
  if (r.success) return { ok: true, value: r.data };
  return refuse("invalid_request", {
    issues: r.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(body)", problem: i.message })),
  });
}

/** Field → sentence, for forms (the first problem of each field). */
export function fieldErrors(issues: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) if (!(i.field in out)) out[i.field] = i.problem;
  return out;
}
