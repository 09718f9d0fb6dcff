import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formAction, intent, type FormReply } from "~/http/form-action.server";
import { seeOther } from "~/http/responses.server";
import { requireUser } from "~/lib/auth.server";
import { paths } from "~/lib/paths";
import { clearSessionCookie, readSessionId } from "~/lib/sessions.server";
import { depsOf } from "~/models/deps.server";
import { deleteAccount, deletionPreview } from "~/models/privacy/delete-account.server";
import { DeleteAccountInput } from "~/models/privacy/inputs";
import { productBySku } from "~/domain/plans";

export const meta: MetaFunction = () => [{ title: "Delete your account — AOVIS Edge" }];

// GET /account/delete: what deleting the account does, and the confirmation form (ADR 026).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const preview = await deletionPreview(depsOf(context), user.id);
  return {
    email: user.email,
    ...preview,
    blockingPlans: preview.blockingPlans.map((sku) => productBySku(sku)?.name ?? sku),
  };
}

// POST /account/delete intent=delete {confirmEmail, confirm=yes}: deletes the account, ends this
// browser's session and lands on /account-deleted. A refusal (wrong e-mail, a renewing plan) is shown in place.
export const action = formAction({
  intents: {
    delete: intent(DeleteAccountInput, async ({ input, request, context, actor }) => {
      const r = await deleteAccount(depsOf(context), input, { ...actor, sessionId: readSessionId(request) });
      if (!r.ok) return r;
      return seeOther(paths.accountDeleted, { "Set-Cookie": clearSessionCookie() });
    }),
  },
});

export default function DeleteAccount() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<FormReply>();
  const nav = useNavigation();
  const busy = nav.state !== "idle" && nav.formData?.get("intent") === "delete";
  const blocked = data.blockingPlans.length > 0;
  const emailError = reply && !reply.ok ? (reply.fieldErrors?.confirmEmail ?? (reply.error === "confirmation_mismatch" ? reply.message : null)) : null;
  const confirmError = reply && !reply.ok ? (reply.fieldErrors?.confirm ?? null) : null;
  return (
    <>
      <h1>Delete your account</h1>
      <section className="panel" aria-labelledby="goes-title">
        <h2 id="goes-title">What is deleted</h2>
        <ul>
          <li>Your profile: e-mail address, name, time zone and language. You are signed out everywhere.</li>
          <li>
            Your voice studio: {data.recordings} {data.recordings === 1 ? "recording" : "recordings"} and their audio, favourites, cloned voices and saved
            presets.
          </li>
          <li>
            Your cameras:{" "}
            {data.camerasOwned === 0
              ? "you own none."
              : `${data.camerasOwned} ${data.camerasOwned === 1 ? "camera is" : "cameras are"} released, so someone else can activate them.`}{" "}
            The names you gave them and their daily summaries go too.
          </li>
        </ul>
        <h2 id="kept-title">What we keep, and why</h2>
        <ul>
          <li>Orders, invoices and plan history: the law requires us to keep billing records. They no longer carry your e-mail or name here.</li>
          <li>That a camera has used its free trial: a camera gets one trial, ever, whoever owns it.</li>
          <li>The security log of account and camera changes, linked to the deleted account rather than to you by name.</li>
        </ul>
        <p>
          Want a copy first? <a href={paths.accountExport}>Download your data</a> (JSON).
        </p>
      </section>
      <section className="panel" aria-labelledby="confirm-title">
        <h2 id="confirm-title">Confirm</h2>
        {blocked ? (
          <p className="notice notice--warn" role="status" data-testid="delete-blocked" data-error="active_plan_blocks_deletion">
            You have a paid plan that renews ({data.blockingPlans.join(", ")}). Cancel it in the <Link to={paths.services}>billing portal</Link> first; you can
            delete the account once it is set to cancel.
          </p>
        ) : null}
        {reply && !reply.ok && !reply.fieldErrors && reply.error !== "confirmation_mismatch" ? (
          <p className="notice notice--error" role="alert" data-testid="delete-error" data-error={reply.error}>
            {reply.message} {reply.link ? <Link to={reply.link}>Open billing</Link> : null}
          </p>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="delete" />
          <label htmlFor="confirmEmail">Type your e-mail address ({data.email}) to confirm</label>
          <input
            id="confirmEmail"
            name="confirmEmail"
            type="email"
            autoComplete="off"
            required
            defaultValue={reply?.values?.confirmEmail ?? ""}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? "confirmEmail-error" : undefined}
          />
          {emailError ? (
            <span className="field-error" id="confirmEmail-error" data-error={reply?.error}>
              {emailError}
            </span>
          ) : null}
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" required aria-describedby={confirmError ? "confirm-error" : undefined} /> I understand this cannot
            be undone.
          </label>
          {confirmError ? (
            <span className="field-error" id="confirm-error">
              {confirmError}
            </span>
          ) : null}
          <div className="actions">
            <button type="submit" className="danger" disabled={busy || blocked}>
              {busy ? "Deleting…" : "Delete my account"}
            </button>
            <Link to={paths.account}>Keep my account</Link>
          </div>
        </Form>
      </section>
    </>
  );
}
