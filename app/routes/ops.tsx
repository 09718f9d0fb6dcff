// The staff support view's frame (ADR 025). Staff only, behind Cloudflare Access: the Worker
// refuses every /ops request without a valid Access assertion, and each loader checks it again.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/http/staff.server";
import opsStyles from "~/styles/ops.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: opsStyles }];
export const meta: MetaFunction = () => [{ title: "Support — AOVIS Edge" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context);
  return { staff: { email: staff.email } };
}

export default function OpsFrame() {
  const { staff } = useLoaderData<typeof loader>();
  return (
    <div className="ops">
      <div className="ops-bar">
        <p>
          <Link to="/ops">Support view</Link> <span className="ops-muted">· staff only</span>
        </p>
        <p className="ops-muted">
          Signed in through Cloudflare Access as <strong>{staff.email}</strong>
        </p>
      </div>
      <Outlet />
    </div>
  );
}
