import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { requireUser } from "~/lib/auth.server";
import { paths } from "~/lib/paths";

// Every page under /account needs a session: signed out → /login?returnTo=<the page>.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

export default function AccountLayout() {
  const t = useT("account");
  return (
    <div className="account-layout">
      <nav aria-label={t("nav.label")} className="subnav">
        <ul>
          <li>
            <NavLink to={paths.account} end>
              {t("nav.overview")}
            </NavLink>
          </li>
          <li>
            <NavLink to={paths.devices}>{t("nav.devices")}</NavLink>
          </li>
          <li>
            <NavLink to={paths.search}>{t("nav.search")}</NavLink>
          </li>
          <li>
            <NavLink to={paths.services}>{t("nav.services")}</NavLink>
          </li>
        </ul>
      </nav>
      <div className="account-body">
        <Outlet />
      </div>
    </div>
  );
}
