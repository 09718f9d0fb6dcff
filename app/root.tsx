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
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
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

const MAIN_LINKS = [
  { to: "/store", label: "Store" },
  { to: "/voice", label: "Voice studio" },
  { to: "/account", label: "Account" },
] as const;

function SessionSlot({ user, testId }: { user: RootData["user"]; testId: string }) {
  return user ? (
    <>
      {/* Truncated on screen with an ellipsis; the link's text (read aloud) and its title stay whole. */}
      <Link to="/account" className="user-email" data-testid={testId} title={user.email}>
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
  );
}

/**
 * One row at every width: on a wide screen the links and the session inline; on a phone the brand
 * and a "Menu" disclosure (<details>, so it opens before JavaScript loads), closed again on navigation.
 */
function Header({ user }: { user: RootData["user"] }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
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
      <nav aria-label="Main" className="nav-wide">
        <ul>
          {MAIN_LINKS.map((l) => (
            <li key={l.to}>
              <NavLink to={l.to}>{l.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="session-slot nav-wide">
        <SessionSlot user={user} testId="header-email" />
      </div>
      <details className="nav-menu" ref={menu}>
        <summary>
          <span aria-hidden="true" className="nav-menu__icon">
            ☰
          </span>{" "}
          Menu
        </summary>
        <div className="nav-menu__panel">
          <nav aria-label="Main (menu)">
            <ul>
              {MAIN_LINKS.map((l) => (
                <li key={l.to}>
                  <NavLink to={l.to}>{l.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="session-slot">
            <SessionSlot user={user} testId="menu-email" />
          </div>
        </div>
      </details>
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
