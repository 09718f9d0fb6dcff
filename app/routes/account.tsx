import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUser } from "~/lib/auth.server";
import { paths } from "~/lib/paths";

// Every page under /account needs a session: signed out → /login?returnTo=<the page>.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

export default function AccountLayout() {
  return (
    <div className="account-layout">
      <nav aria-label="Account" className="subnav">
        <ul>
          <li>
            <NavLink to={paths.account} end>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to={paths.devices}>Devices</NavLink>
          </li>
          <li>
            <NavLink to={paths.search}>Search</NavLink>
          </li>
          <li>
            <NavLink to={paths.services}>Services</NavLink>
          </li>
        </ul>
      </nav>
      <div className="account-body">
        <Outlet />
      </div>
    </div>
  );
}
