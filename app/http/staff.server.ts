/**
 * The staff side of the request path (ADR 025). `requireStaff` re-verifies the Access assertion
 * in every /ops loader and action (the Worker already refused any /ops request without one: this
 * is the identity the audit rows name, and a second lock if a route ever moved). `staffAction`
 * is formAction's twin for /ops: staff instead of a customer session, the same byte-capped form,
 * intent and zod schema, the same FormReply.
 */
import { data, type ActionFunctionArgs, type AppLoadContext } from "@remix-run/cloudflare";
import type { z } from "zod";
import { verifyAccess, type Staff } from "~/lib/access.server";
import type { StaffActor } from "~/models/ops/actions.server";
import { DEFAULT_MAX_BODY_BYTES, declaredTooLarge, readFormData, tooLarge, withBodyCap } from "./body.server";
import { refusalReply, type FormReply } from "./form-action.server";
import { fieldErrors, parseInput } from "./input.server";
import { pageRefusal } from "./page-refusal.server";
import { refusalMessage, type KnownRefusalCode } from "./refusals";

export async function requireStaff(request: Request, context: AppLoadContext): Promise<Staff> {
  const v = await verifyAccess(request, context.cloudflare.env);
  if (!v.ok) throw pageRefusal({ ok: false, error: "access_required" });
  return v.staff;
}

type StaffOutcome = { ok: true; message: string } | ({ ok: false; error: KnownRefusalCode } & object);

export interface StaffIntent<S extends z.ZodType> {
  input: S;
  run: (i: { input: z.infer<S>; actor: StaffActor; context: AppLoadContext }) => Promise<StaffOutcome>;
}

export const staffIntent = <S extends z.ZodType>(input: S, run: StaffIntent<S>["run"]): StaffIntent<S> => ({ input, run });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each intent is typed by staffIntent()
export function staffAction(intents: Record<string, StaffIntent<any>>, maxBodyBytes = DEFAULT_MAX_BODY_BYTES) {
  return withBodyCap(async ({ request, context }: ActionFunctionArgs) => {
    if (declaredTooLarge(request, maxBodyBytes)) {
      const r = tooLarge(maxBodyBytes);
      return data<FormReply>({ intent: "unknown", ok: false, error: r.error, message: refusalMessage(r) }, { status: 413 });
    }
    const staff = await requireStaff(request, context);
    const read = await readFormData(request, maxBodyBytes);
    if (!read.ok)
      return data<FormReply>(
        { intent: "unknown", ok: false, error: read.error, message: refusalMessage(read) },
        { status: read.error === "payload_too_large" ? 413 : 400 },
      );
    const intent = String(read.form.get("intent") ?? "");
    const chosen = Object.hasOwn(intents, intent) ? intents[intent] : undefined;
    const parsed = chosen ? parseInput(chosen.input, Object.fromEntries(read.form)) : null;
    if (!chosen || !parsed || !parsed.ok) {
      return data<FormReply>(
        {
          intent: intent || "unknown",
          ok: false,
          error: "invalid_request",
          message: "Please check the form: some fields are missing or invalid.",
          ...(parsed && !parsed.ok ? { fieldErrors: fieldErrors(parsed.issues) } : {}),
        },
        { status: 400 },
      );
    }
    const outcome = await chosen.run({ input: parsed.value, actor: { staff, requestId: context.requestId }, context });
    if (outcome.ok) return data<FormReply>({ intent, ok: true, message: outcome.message });
    return data<FormReply>(refusalReply(intent, outcome));
  }, maxBodyBytes);
}
