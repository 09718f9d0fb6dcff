// Staff lookup (ADR 025): a customer by e-mail or a camera by serial, everything on one page, and
// the three audited actions. English only (staff pages).
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CustomerSection, DeviceSection } from "~/components/ops/Dossier";
import { LookupForm } from "~/components/ops/LookupForm";
import type { FormReply } from "~/http/form-action.server";
import { requireStaff, staffAction, staffIntent } from "~/http/staff.server";
import { depsOf } from "~/models/deps.server";
import { endTransferOffer, resendMail, resyncSubscription } from "~/models/ops/actions.server";
import { EndTransferInput, ResendMailInput, ResyncInput } from "~/models/ops/inputs";
import { lookUp } from "~/models/ops/lookup.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context);
  const q = new URL(request.url).searchParams.get("q") ?? "";
  if (!q.trim()) return { q, result: null, problem: null };
  const r = await lookUp(depsOf(context), q.slice(0, 300));
  if (!r.ok) return { q, result: null, problem: r.issues[0]?.message ?? "Invalid search." };
  return { q, result: r, problem: null };
}

export const action = staffAction({
  end_transfer: staffIntent(EndTransferInput, async ({ input, actor, context }) => {
    const r = await endTransferOffer(depsOf(context), input.transferId, actor, input.reason);
    return r.ok ? { ok: true, message: "The transfer offer is ended; its link no longer works." } : r;
  }),
  resend_mail: staffIntent(ResendMailInput, async ({ input, actor, context }) => {
    const r = await resendMail(depsOf(context), input.mailId, actor);
    if (!r.ok) return r;
    return { ok: true, message: r.report.sent ? "The mail was sent." : "The send was tried again; it stays queued for the next retry (see its last error)." };
  }),
  resync: staffIntent(ResyncInput, async ({ input, actor, context }) => {
    const r = await resyncSubscription(depsOf(context), input.subscriptionId, actor);
    return r.ok ? { ok: true, message: `Re-synced from Stripe: the plan is ${r.status}.` } : r;
  }),
});

export default function OpsLookup() {
  const { q, result, problem } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>();
  return (
    <main className="ops-main" id="main">
      <h1>Look up</h1>
      <LookupForm defaultValue={q} />
      {reply ? (
        <p className={reply.ok ? "ops-notice ops-ok" : "ops-notice ops-bad"} role={reply.ok ? "status" : "alert"}>
          {reply.message}
        </p>
      ) : null}
      {problem ? (
        <p className="ops-notice ops-bad" role="alert">
          {problem}
        </p>
      ) : null}
      {result && result.customers.length === 0 && result.devices.length === 0 ? (
        <p className="ops-notice" role="status">
          Nothing found for “{result.query}”.
        </p>
      ) : null}
      {result?.customers.map((c) => (
        <CustomerSection key={c.user.id} c={c} />
      ))}
      {result?.devices.map((d) => (
        <DeviceSection key={d.device.id} d={d} />
      ))}
    </main>
  );
}
