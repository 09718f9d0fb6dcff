/**
 * zod at the edge: one schema per use case (next to the use case, in app/models/<area>/inputs.ts),
 * used by the API route and the page form alike. Problems are reported per field in plain words,
 * never zod's own text ("Too big: expected string to have <=60 characters").
 */
import type { z } from "zod";
import type { Language } from "~/domain/language";
import { refuse, type Ok, type Refusal } from "~/domain/result";
import type { Namespace } from "~/i18n/en";
import { translatorFor } from "~/i18n/i18n.server";
import { catalogueKeyOf } from "~/i18n/problem-keys";

export interface FieldProblem {
  field: string;
  problem: string;
}

export type InvalidRequest = Refusal<"invalid_request", { issues: FieldProblem[] }>;

/** A sentence for one zod issue, in `language`: the schema's own message when it gave one, else plain words. */
function plainWords(language: Language) {
  const t = translatorFor(language, "field");
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    const i = issue as z.core.$ZodRawIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; expected?: string; format?: string };
    const n = (v: number | bigint | undefined) => Number(v ?? 0);
    // Given as text: ICU would write 2000 as "2,000".
    const s = (v: number | bigint | undefined) => String(n(v));
    const many = i.origin === "array" || i.origin === "set";
    switch (i.code) {
      case "too_small":
        if (i.origin === "string") return n(i.minimum) <= 1 ? t("problems.empty") : t("problems.minChars", { min: s(i.minimum) });
        return many ? t("problems.minChoices", { min: s(i.minimum) }) : t("problems.minValue", { min: s(i.minimum) });
      case "too_big":
        if (i.origin === "string") return t("problems.maxChars", { max: s(i.maximum) });
        return many ? t("problems.maxChoices", { max: s(i.maximum) }) : t("problems.maxValue", { max: s(i.maximum) });
      case "invalid_format":
        return i.format === "email" ? t("problems.email") : t("problems.format");
      case "invalid_type":
        return i.input === undefined ? t("problems.required") : t("problems.type");
      case "invalid_value":
        return t("problems.option");
      case "unrecognized_keys":
        return t("problems.unknownKeys");
      default:
        return t("problems.invalid");
    }
  };
}

/** An issue's sentence: a schema's sentence named by catalogue key (../i18n/problem-keys) is said in `language`. */
function sentenceOf(issue: z.core.$ZodIssue, language: Language): string {
  const named = catalogueKeyOf(issue.message);
  if (!named) return issue.message;
  const [area, ...rest] = named.key.split(".");
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint };
  const bounds: Record<string, string> = {};
  if (i.minimum !== undefined) bounds.min = String(i.minimum);
  if (i.maximum !== undefined) bounds.max = String(i.maximum);
  const t = translatorFor(language, area as Namespace) as unknown as (k: string, v: Record<string, number | string>) => string;
  // The schema's own values are quantities people read ("5,000 characters"): in the language's digits.
  const given = Object.fromEntries(Object.entries(named.values).map(([k, v]) => [k, typeof v === "number" ? new Intl.NumberFormat(language).format(v) : v]));
  return t(rest.join("."), { ...bounds, ...given });
}

/**
 * Runs `schema` over `raw`; a failure names each field with a plain sentence in `language` (the
 * request's, ADR 028). A schema's own message stays as written, or is said in `language` when it
 * names a catalogue sentence (`catalogueProblem`).
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, language: Language = "en"): Ok<{ value: z.infer<S> }> | InvalidRequest {
  const r = schema.safeParse(raw, { error: plainWords(language) });
  if (r.success) return { ok: true, value: r.data };
  return refuse("invalid_request", {
    issues: r.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(body)", problem: sentenceOf(i, language) })),
  });
}

/** Field → sentence, for forms (the first problem of each field). */
export function fieldErrors(issues: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) if (!(i.field in out)) out[i.field] = i.problem;
  return out;
}
