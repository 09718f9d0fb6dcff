import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Form,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { TimeZoneSync } from "~/components/TimeZoneSync";
import { getUser } from "~/lib/auth.server";
import { requestLocale } from "~/lib/locale.server";
import { viewerTimeZone } from "~/lib/time-zone.server";
import stylesHref from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "AOVIS Edge — NEXA cameras, cloud video and voice studio" },
  { name: "description", content: "NEXA security cameras, cloud recording plans and the AOVIS voice studio." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    locale: requestLocale(request),
    nonce: context.nonce,
    user: user ? { email: user.email } : null,
    // Only signed-in pages show times in the viewer's zone; a signed-out page (/login, a sign-in
    // refusal) is never reloaded for it: revalidating the sign-in callback would replay its code.
    timeZone: user ? viewerTimeZone(request, user) : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

function PendingBar() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return <div className={busy ? "pending-bar pending-bar--on" : "pending-bar"} role="progressbar" aria-hidden={!busy} aria-label="Loading" />;
}

function Header({ user }: { user: RootData["user"] }) {
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand" aria-label="AOVIS Edge home">
        <span aria-hidden="true" className="brand-mark">
          ◉
        </span>{" "}
        AOVIS Edge
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/store">Store</NavLink>
          </li>
          <li>
            <NavLink to="/voice">Voice studio</NavLink>
          </li>
          <li>
            <NavLink to="/account">Account</NavLink>
          </li>
        </ul>
      </nav>
      <div className="session-slot">
        {user ? (
          <>
            <Link to="/account" className="user-email" data-testid="header-email">
              {user.email}
            </Link>
            <Form method="post" action="/auth/logout">
              <button type="submit" className="button--ghost">
                Sign out
              </button>
            </Form>
          </>
        ) : (
          <Link className="button button--ghost" to="/login">
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang = data?.locale ?? "en-US";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <PendingBar />
        <Header user={data?.user ?? null} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>© AOVIS Edge · NEXA cameras · Prices in USD, taxes calculated at checkout.</p>
        </footer>
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const root = useRouteLoaderData<typeof loader>("root");
  return (
    <>
      <TimeZoneSync rendered={root?.timeZone ?? null} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">We couldn't find that page</h1>
        <p>The link may be old, or the page may have moved.</p>
        <p>
          <Link className="button" to="/store">
            Browse the store
          </Link>{" "}
          <Link to="/">Go home</Link>
        </p>
      </section>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // Never show error.message or a stack: they can leak internals. The request id is in the logs.
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{status >= 500 ? "Something went wrong on our side" : "That didn't work"}</h1>
      <p>
        {status >= 500
          ? "We've logged the problem. Please try again in a moment."
          : "The request could not be completed. Please check what you entered and try again."}
      </p>
      <p>
        <Link className="button" to="/">
          Go home
        </Link>
      </p>
    </section>
  );
}
