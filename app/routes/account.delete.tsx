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
import { rootMessages } from "~/i18n/meta";
import { useLocale, useT } from "~/i18n/react";
import { formatList } from "~/lib/format";

// The title in the served language: the root loader carries its messages.
export const meta: MetaFunction = ({ matches }) => {
  const messages = rootMessages(matches);
  return messages ? [{ title: messages.privacy.delete.metaTitle }] : [];
};

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
  const t = useT("privacy");
  const locale = useLocale();
  // Each field has one problem, said by the page in its language (the schema's sentences are English).
  const emailError =
    reply && !reply.ok ? (reply.fieldErrors?.confirmEmail ? t("delete.emailMissing") : reply.error === "confirmation_mismatch" ? reply.message : null) : null;
  const confirmError = reply && !reply.ok && reply.fieldErrors?.confirm ? t("delete.tickBox") : null;
  return (
    <>
      <h1>{t("delete.title")}</h1>
      <section className="panel" aria-labelledby="goes-title">
        <h2 id="goes-title">{t("delete.goesTitle")}</h2>
        <ul>
          <li>{t("delete.goesProfile")}</li>
          <li>{t("delete.goesVoice", { count: data.recordings })}</li>
          <li>{t("delete.goesCameras", { count: data.camerasOwned })}</li>
        </ul>
        <h2 id="kept-title">{t("delete.keptTitle")}</h2>
        <ul>
          <li>{t("delete.keptBilling")}</li>
          <li>{t("delete.keptTrial")}</li>
          <li>{t("delete.keptLog")}</li>
        </ul>
        <p>{t.rich("delete.copyFirst", { link: (c) => <a href={paths.accountExport}>{c}</a> })}</p>
      </section>
      <section className="panel" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{t("delete.confirmTitle")}</h2>
        {blocked ? (
          <p className="notice notice--warn" role="status" data-testid="delete-blocked" data-error="active_plan_blocks_deletion">
            {t.rich("delete.blocked", { plans: formatList(data.blockingPlans, locale), link: (c) => <Link to={paths.services}>{c}</Link> })}
          </p>
        ) : null}
        {reply && !reply.ok && !reply.fieldErrors && reply.error !== "confirmation_mismatch" ? (
          <p className="notice notice--error" role="alert" data-testid="delete-error" data-error={reply.error}>
            {reply.message} {reply.link ? <Link to={reply.link}>{t("delete.openBilling")}</Link> : null}
          </p>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="delete" />
          <label htmlFor="confirmEmail">{t("delete.typeEmail", { email: data.email })}</label>
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
            <input type="checkbox" name="confirm" value="yes" required aria-describedby={confirmError ? "confirm-error" : undefined} /> {t("delete.understand")}
          </label>
          {confirmError ? (
            <span className="field-error" id="confirm-error">
              {confirmError}
            </span>
          ) : null}
          <div className="actions">
            <button type="submit" className="danger" disabled={busy || blocked}>
              {busy ? t("delete.deleting") : t("delete.submit")}
            </button>
            <Link to={paths.account}>{t("delete.keep")}</Link>
          </div>
        </Form>
      </section>
    </>
  );
}
