// The support view's home (ADR 025): the lookup, and the sweeps that failed every retry (ADR 027),
// each requeued or discarded by a staff member, audited with their identity.
import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LookupForm } from "~/components/ops/LookupForm";
import type { FormReply } from "~/http/form-action.server";
import { requireStaff, staffAction, staffIntent } from "~/http/staff.server";
import { formatDateTime } from "~/lib/format";
import { depsOf } from "~/models/deps.server";
import { discardDeadLetter, listDeadLetters, requeueDeadLetter } from "~/models/ops/dead-letters.server";
import { DeadLetterInput } from "~/models/ops/inputs";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context);
  const dead = await listDeadLetters(depsOf(context).db, { status: "dead", limit: 50 });
  return { dead: dead.map((d) => ({ id: d.id, kind: d.kind, attempts: d.attempts, sentAt: d.sentAt, recordedAt: d.recordedAt, body: d.body.slice(0, 300) })) };
}

export const action = staffAction({
  requeue_dead_letter: staffIntent(DeadLetterInput, async ({ input, actor, context }) => {
    const r = await requeueDeadLetter(depsOf(context), input.deadLetterId, actor);
    return r.ok ? { ok: true, message: `Sent to aovis-sweeps again (${r.deadLetter.kind}).` } : r;
  }),
  discard_dead_letter: staffIntent(DeadLetterInput, async ({ input, actor, context }) => {
    const r = await discardDeadLetter(depsOf(context), input.deadLetterId, actor);
    return r.ok ? { ok: true, message: `Discarded (${r.deadLetter.kind}).` } : r;
  }),
});

export default function OpsHome() {
  const { dead } = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>();
  return (
    <main className="ops-main" id="main">
      <h1>Support view</h1>
      <LookupForm />
      <section className="ops-card" aria-labelledby="dead-letters">
        <h2 id="dead-letters">Dead-letter sweeps</h2>
        <p className="ops-muted">
          Sweep messages that failed every retry (queue <code>aovis-sweeps</code>, dead-letter queue <code>aovis-sweeps-dlq</code>; docs/operations.md). Requeue
          once the cause is fixed, or discard.
        </p>
        {reply ? (
          <p className={reply.ok ? "ops-notice ops-ok" : "ops-notice ops-bad"} role={reply.ok ? "status" : "alert"}>
            {reply.message}
          </p>
        ) : null}
        {dead.length === 0 ? (
          <p data-testid="dead-letters-empty">None: every sweep message was handled.</p>
        ) : (
          <ul className="ops-dead-letters" data-testid="dead-letters">
            {dead.map((d) => (
              <li key={d.id}>
                <p>
                  <strong>{d.kind}</strong> · {d.attempts} attempts · sent {formatDateTime(d.sentAt, "en-GB")} · recorded{" "}
                  {formatDateTime(d.recordedAt, "en-GB")}
                </p>
                <pre className="ops-body">{d.body}</pre>
                <Form method="post" className="ops-inline">
                  <input type="hidden" name="deadLetterId" value={d.id} />
                  <button type="submit" name="intent" value="requeue_dead_letter">
                    Requeue
                  </button>{" "}
                  <button type="submit" name="intent" value="discard_dead_letter">
                    Discard
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
