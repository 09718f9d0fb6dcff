/**
 * The one shape of a page form's action: the signed-in user (else the login redirect), a byte-
 * capped form body (an unreadable one is a 400 reply, not a 500), the `intent` field picking one
 * use case, that use case's zod schema (the same one its API route uses), then the use case. The
 * page gets a FormReply: the sentence to show, the code, and on a field problem the sentence per
 * field plus what was typed, so the form is shown again as it was, with or without JavaScript.
 *
 *   export const action = formAction({
 *     intents: {
 *       unbind: intent(UnbindForm, async ({ input, context, actor }) => {
 *         const r = await unbindDevice(depsOf(context), input.deviceId, actor);
 *         return r.ok ? { ok: true, message: "Removed." } : r;
 *       }),
 *     },
 *   });
 */
import { data, type ActionFunctionArgs, type AppLoadContext } from "@remix-run/cloudflare";
import type { z } from "zod";
import { requireUser, type SessionUser } from "~/lib/auth.server";
import { DEFAULT_MAX_BODY_BYTES, declaredTooLarge, readFormData, tooLarge, withBodyCap, type BodyRefusal } from "./body.server";
import { fieldErrors, parseInput } from "./input.server";
import type { Language } from "~/domain/language";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { refusalFacts, refusalMessage, type KnownRefusalCode } from "./refusals";

export interface FormReply {
  intent: string;
  ok: boolean;
  /** The sentence people read. */
  message: string;
  /** The refusal code, when refused. */
  error?: string;
  /** Field name → sentence, when the input was invalid. */
  fieldErrors?: Record<string, string>;
  /** What was typed, so a refused form keeps it (never set on success: the form starts clean). */
  values?: Record<string, string>;
  /** A link that helps next (the billing portal, an upgrade, a share link). */
  link?: string;
  /** Facts of a refusal a page may use (as the JSON API would expose them). */
  facts?: Record<string, unknown>;
  /** This reply's own id (the request's): a page keys its forms on it, so each success clears them, the second one too. */
  id?: string;
  /** What a confirmation step asks about (an id the page shows its "Yes, …" button for); nothing was changed. */
  confirm?: string;
}

export type IntentOutcome = { ok: true; message: string; link?: string; confirm?: string } | ({ ok: false; error: KnownRefusalCode } & object) | Response;

export interface Actor {
  user: SessionUser;
  requestId: string;
}

export interface IntentInput<T> {
  input: T;
  form: FormData;
  request: Request;
  /** The route's URL params (an id in them is checked by the use case, by ownership). */
  params: ActionFunctionArgs["params"];
  context: AppLoadContext;
  env: Env;
  ctx: ExecutionContext;
  user: SessionUser;
  actor: Actor;
}

export interface IntentSpec<S extends z.ZodType> {
  input: S;
  run: (i: IntentInput<z.infer<S>>) => Promise<IntentOutcome> | IntentOutcome;
}

/** One intent: its schema and its use case, typed together. */
export function intent<S extends z.ZodType>(input: S, run: IntentSpec<S>["run"]): IntentSpec<S> {
  return { input, run };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each intent is typed by intent()
export interface FormActionSpec<I extends Record<string, IntentSpec<any>>> {
  intents: I;
  maxBodyBytes?: number;
  /** Fields never echoed back (secrets). */
  secretFields?: readonly string[];
  /** Longest typed value echoed back (default 2 000 characters; a form with longer fields says so). */
  maxEchoChars?: number;
  /** The sentence for a body we couldn't read (default: field's form.unreadable); a function gives it in the request's language. */
  unreadableMessage?: FormSentence;
  /** The sentence for a missing intent or invalid fields (default: field's form.invalid). */
  invalidMessage?: FormSentence;
}

/** A form's own sentence: fixed, or per language (`(language) => translatorFor(language, "area")("key")`). */
export type FormSentence = string | ((language: Language) => string);

function sentence(own: FormSentence | undefined, language: Language, fallback: "invalid" | "unreadable"): string {
  if (typeof own === "function") return own(language);
  if (own !== undefined) return own;
  const t = translatorFor(language, "field");
  return fallback === "invalid" ? t("form.invalid") : t("form.unreadable");
}

const LINK_FACTS = ["billingPortalUrl", "upgradeUrl"] as const;

/** A refusal as a form reply (status 200: the page shows it in place). */
export function refusalReply(intent: string, r: { error: string } & object, values?: Record<string, string>, language: Language = "en"): FormReply {
  const facts = refusalFacts(r);
  const link = LINK_FACTS.map((k) => facts[k]).find((v): v is string => typeof v === "string");
  return { intent, ok: false, error: r.error, message: refusalMessage(r, language), ...(values ? { values } : {}), ...(link ? { link } : {}), facts };
}

function typedValues(form: FormData, secret: readonly string[], maxChars: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && k !== "intent" && !secret.includes(k)) out[k] = v.slice(0, maxChars);
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function formAction<I extends Record<string, IntentSpec<any>>>(spec: FormActionSpec<I>) {
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return withBodyCap(async ({ request, context, params }: ActionFunctionArgs) => {
    // Every sentence of the reply in the served language (ADR 028); the `error` code stays.
    const language = requestLanguage(request);
    // A declared body over the cap is refused before the session is even looked up.
    if (declaredTooLarge(request, maxBodyBytes)) return unreadableReply(tooLarge(maxBodyBytes), spec.unreadableMessage, language);
    const user = await requireUser(request, context);
    const read = await readFormData(request, maxBodyBytes);
    if (!read.ok) return unreadableReply(read, spec.unreadableMessage, language);
    const form = read.form;
    const intent = String(form.get("intent") ?? "");
    const chosen = Object.hasOwn(spec.intents, intent) ? spec.intents[intent] : undefined;
    const values = typedValues(form, spec.secretFields ?? [], spec.maxEchoChars ?? 2000);
    if (!chosen) {
      return data<FormReply>(
        {
          intent: intent || "unknown",
          ok: false,
          error: "invalid_request",
          message: sentence(spec.invalidMessage, language, "invalid"),
        },
        { status: 400 },
      );
    }
    const parsed = parseInput(chosen.input, Object.fromEntries(form), language);
    if (!parsed.ok) {
      return data<FormReply>(
        {
          intent,
          ok: false,
          error: "invalid_request",
          message: sentence(spec.invalidMessage, language, "invalid"),
          fieldErrors: fieldErrors(parsed.issues),
          values,
        },
        { status: 400 },
      );
    }
    const outcome = await chosen.run({
      input: parsed.value,
      form,
      request,
      params,
      context,
      env: context.cloudflare.env,
      ctx: context.cloudflare.ctx,
      user,
      actor: { user, requestId: context.requestId },
    });
    if (outcome instanceof Response) return outcome;
    const id = context.requestId;
    if (outcome.ok) {
      const { message, link, confirm } = outcome;
      // A confirmation step changed nothing: it keeps what was typed, like a refusal.
      return data<FormReply>({ intent, ok: true, id, message, ...(link ? { link } : {}), ...(confirm ? { confirm, values } : {}) });
    }
    return data<FormReply>({ ...refusalReply(intent, outcome, values, language), id });
  }, maxBodyBytes);
}

/** A body we couldn't take: 413 past the cap, else 400 with the form's own sentence. */
function unreadableReply(read: BodyRefusal, unreadableMessage: FormSentence | undefined, language: Language) {
  const message = read.error === "payload_too_large" ? refusalMessage(read, language) : sentence(unreadableMessage, language, "unreadable");
  return data<FormReply>({ intent: "unknown", ok: false, error: read.error, message }, { status: read.error === "payload_too_large" ? 413 : 400 });
}
