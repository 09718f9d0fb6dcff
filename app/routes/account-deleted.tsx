import type { MetaFunction } from "@remix-run/react";
import { Link } from "@remix-run/react";
import { rootMessages } from "~/i18n/meta";
import { useT } from "~/i18n/react";

// The title in the served language: the root loader carries its messages.
export const meta: MetaFunction = ({ matches }) => {
  const messages = rootMessages(matches);
  return messages ? [{ title: messages.privacy.deleted.metaTitle }] : [];
};

// GET /account-deleted: where a deletion lands (ADR 026). Signed out, so outside /account.
export default function AccountDeleted() {
  const t = useT("privacy");
  return (
    <section className="panel" aria-labelledby="deleted-title">
      <h1 id="deleted-title">{t("deleted.title")}</h1>
      <p>{t("deleted.signedOut")}</p>
      <p>{t("deleted.newAccount")}</p>
      <p>
        <Link to="/store">{t("deleted.store")}</Link>
      </p>
    </section>
  );
}
