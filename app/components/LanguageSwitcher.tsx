import { Form, useLocation, useRouteLoaderData } from "@remix-run/react";
import { LANGUAGES, type Language } from "~/domain/language";
import { useT } from "~/i18n/react";
import type { RootData } from "~/root";

/** Each language named in itself, so a reader who can't read the current one still finds theirs. */
const NAMES: Record<Language, string> = { en: "English", "zh-CN": "简体中文" };

/**
 * The language switcher (ADR 028): a plain form posting to /language, so it works before (and
 * without) JavaScript; the choice is kept in a cookie and, when signed in, for mails too.
 */
export function LanguageSwitcher() {
  const t = useT("common.language");
  const root = useRouteLoaderData<RootData>("root");
  const location = useLocation();
  const current = root?.lang ?? "en";
  return (
    <Form method="post" action="/language" className="language-switcher" aria-label={t("label")} data-testid="language-switcher">
      <input type="hidden" name="returnTo" value={location.pathname + location.search} />
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="submit"
          name="lang"
          value={l}
          lang={l}
          className="button--ghost"
          aria-pressed={l === current}
          aria-label={l === current ? t("current", { language: NAMES[l] }) : NAMES[l]}
        >
          {NAMES[l]}
        </button>
      ))}
    </Form>
  );
}
