import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUser } from "~/lib/auth.server";

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
            <NavLink to="/account" end>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/devices">Devices</NavLink>
          </li>
          <li>
            <NavLink to="/account/services">Services</NavLink>
          </li>
        </ul>
      </nav>
      <div className="account-body">
        <Outlet />
      </div>
    </div>
  );
}
