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
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { IntlProvider } from "use-intl";
import { LanguageSwitcher } from "~/components/LanguageSwitcher";
import { TimeZoneSync } from "~/components/TimeZoneSync";
import { areasFor, sameAreas } from "~/i18n/areas";
import { CATALOGUES } from "~/i18n/catalogues";
import type { Messages } from "~/i18n/en";
import { fromWire, toWire, type MessagesWire } from "~/i18n/wire";
import { common } from "~/i18n/en/common";
import { servedLanguage } from "~/i18n/i18n.server";
import { useT } from "~/i18n/react";
import { getUser } from "~/lib/auth.server";
import { viewerTimeZone } from "~/lib/time-zone.server";
import stylesHref from "~/styles/app.css?url";

// When the root loader itself failed: the layout and the error page say only common words; the
// whole English catalogue is not bundled for that (the served one comes from the loader).
const LAYOUT_ONLY = { common } as unknown as Messages;

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const m = (data ? fromWire(data.messages) : LAYOUT_ONLY).common.meta;
  return [{ title: m.title }, { name: "description", content: m.description }];
};

// One string per language and set of areas, made once per isolate (ADR 035).
const wires = new Map<string, MessagesWire>();

function messagesFor(language: keyof typeof CATALOGUES, pathname: string): MessagesWire {
  const areas = areasFor(pathname);
  const key = `${language}|${areas.join()}`;
  let wire = wires.get(key);
  if (!wire) {
    const all = CATALOGUES[language];
    wire = toWire(Object.fromEntries(areas.map((area) => [area, all[area]])));
    wires.set(key, wire);
  }
  return wire;
}

/**
 * The root's data (who is signed in, language, zone, the page's catalogue areas) changes with a
 * submission, an explicit revalidation (TimeZoneSync) or a page of other areas. A plain link to a
 * page of the same areas keeps it: no session check and no catalogue sent again for nothing.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (formMethod || currentUrl.href === nextUrl.href) return defaultShouldRevalidate;
  return !sameAreas(currentUrl.pathname, nextUrl.pathname);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const served = servedLanguage(request);
  return {
    /** The language of the text (`<html lang>`, ADR 028) and its messages; `locale` is Intl's (dates, numbers). */
    lang: served.language,
    // Only the areas this page says its words from (app/i18n/areas.ts).
    messages: messagesFor(served.language, new URL(request.url).pathname),
    locale: served.intlLocale,
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
  const t = useT("common.header");
  return <div className={busy ? "pending-bar pending-bar--on" : "pending-bar"} role="progressbar" aria-hidden={!busy} aria-label={t("loading")} />;
}

const MAIN_LINKS = [
  { to: "/store", key: "store" },
  { to: "/voice", key: "voice" },
  { to: "/account", key: "account" },
] as const;

/** The main links, drawn twice: inline on a wide screen and inside the phone's menu. */
function MainLinks() {
  const t = useT("common.header");
  return (
    <ul>
      {MAIN_LINKS.map((l) => (
        <li key={l.to}>
          <NavLink to={l.to}>{t(l.key)}</NavLink>
        </li>
      ))}
    </ul>
  );
}

function SessionSlot({ user, testId }: { user: RootData["user"]; testId: string }) {
  const t = useT("common.header");
  return user ? (
    <>
      {/* Truncated on screen with an ellipsis; the link's text (read aloud) and its title stay whole. */}
      <Link to="/account" className="user-email" data-testid={testId} title={user.email}>
        {user.email}
      </Link>
      <Form method="post" action="/auth/logout">
        <button type="submit" className="button--ghost">
          {t("signOut")}
        </button>
      </Form>
    </>
  ) : (
    <Link className="button button--ghost" to="/login">
      {t("signIn")}
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
  const t = useT("common.header");
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("skip")}
      </a>
      <Link to="/" className="brand" aria-label={t("home")}>
        <span aria-hidden="true" className="brand-mark">
          ◉
        </span>{" "}
        AOVIS Edge
      </Link>
      <nav aria-label={t("mainNav")} className="nav-wide">
        <MainLinks />
      </nav>
      <div className="session-slot nav-wide">
        <SessionSlot user={user} testId="header-email" />
      </div>
      <details className="nav-menu" ref={menu}>
        <summary>
          <span aria-hidden="true" className="nav-menu__icon">
            ☰
          </span>{" "}
          {t("menu")}
        </summary>
        <div className="nav-menu__panel">
          <nav aria-label={t("menuNav")}>
            <MainLinks />
          </nav>
          <div className="session-slot">
            <SessionSlot user={user} testId="menu-email" />
          </div>
        </div>
      </details>
    </header>
  );
}

function Footer() {
  const t = useT("common.footer");
  return (
    <footer className="site-footer">
      <p>{t("line")}</p>
      <LanguageSwitcher />
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  // The language actually served (WCAG 3.1.1): "en" or "zh-CN", never the header's other language.
  const lang = data?.lang ?? "en";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <IntlProvider locale={lang} messages={data ? fromWire(data.messages) : LAYOUT_ONLY} timeZone={data?.timeZone?.zone ?? "UTC"} onError={() => undefined}>
          <PendingBar />
          <Header user={data?.user ?? null} />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
          <Footer />
        </IntlProvider>
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
  const t = useT("common");
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{t("notFound.title")}</h1>
        <p>{t("notFound.body")}</p>
        <p>
          <Link className="button" to="/store">
            {t("notFound.store")}
          </Link>{" "}
          <Link to="/">{t("notFound.home")}</Link>
        </p>
      </section>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // Never show error.message or a stack: they can leak internals. The request id is in the logs.
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{status >= 500 ? t("error.serverTitle") : t("error.clientTitle")}</h1>
      <p>{status >= 500 ? t("error.serverBody") : t("error.clientBody")}</p>
      <p>
        <Link className="button" to="/">
          {t("error.home")}
        </Link>
      </p>
    </section>
  );
}
