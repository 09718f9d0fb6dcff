import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { voiceTierByCode } from "~/domain/plans";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { requestLocale } from "~/lib/locale.server";
import { paths } from "~/lib/paths";
import { depsOf } from "~/models/deps.server";
import { accountOverview } from "~/models/identity/account-overview.server";

export const meta: MetaFunction = () => [{ title: "Your account — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const overview = await accountOverview(depsOf(context), user.id);
  return {
    locale: requestLocale(request),
    user: { email: user.email, name: user.name, createdAt: user.createdAt },
    deviceCount: overview.deviceCount,
    voiceTier: (voiceTierByCode(overview.voiceTier) ?? voiceTierByCode("FREE"))?.name,
  };
}

export default function AccountOverview() {
  const { user, deviceCount, voiceTier, locale } = useLoaderData<typeof loader>();
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  return (
    <>
      <h1>Your account</h1>
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          {user.name ? (
            <>
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </>
          ) : null}
          <dt>Member since</dt>
          <dd>{formatDate(user.createdAt, locale)}</dd>
          <dt>Voice studio</dt>
          <dd data-testid="voice-tier">{voiceTier}</dd>
          <dt>Cameras</dt>
          <dd data-testid="device-count">
            {deviceCount} · <Link to={paths.devices}>Manage devices</Link>
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>Signing out everywhere ends every session of yours on all browsers and devices immediately.</p>
        <div className="actions">
          <Form method="post" action="/auth/logout">
            <button type="submit" disabled={busy}>
              Sign out
            </button>
          </Form>
          <Form method="post" action="/account/sign-out-everywhere">
            <button type="submit" className="button--ghost danger-outline" disabled={busy}>
              Sign out everywhere
            </button>
          </Form>
        </div>
      </section>
    </>
  );
}
