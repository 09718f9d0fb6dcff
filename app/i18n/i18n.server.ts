/**
 * The served language on the server (ADR 028): for loaders, actions, refusal sentences and mails.
 *
 *   const t = translatorFor(request, "auth");  t("title")  t("greeting", { name })
 */
import { createTranslator } from "use-intl/core";
import { isLanguage, negotiateLanguage, type Language, type Served } from "~/domain/language";
import { CATALOGUES } from "./catalogues";
import type { Namespace } from "./en";
import { cookieValue } from "~/http/cookies.server";

/** The switcher's choice. Not HttpOnly-sensitive, but nothing on the page needs to read it. */
export const LANGUAGE_COOKIE = "aovis_lang";
const YEAR_S = 365 * 24 * 60 * 60;

/** Cookie > Accept-Language > English, with the Intl locale for dates and numbers. */
export function servedLanguage(request: Request): Served {
  return negotiateLanguage(cookieValue(request, LANGUAGE_COOKIE), request.headers.get("Accept-Language"));
}

export function requestLanguage(request: Request): Language {
  return servedLanguage(request).language;
}

export function languageCookie(language: Language): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${YEAR_S}`;
}

/** A translator for one namespace in `language` (a Request is read for its served language). */
export function translatorFor<N extends Namespace>(languageOrRequest: Language | Request, namespace: N) {
  const language = languageOrRequest instanceof Request ? requestLanguage(languageOrRequest) : languageOrRequest;
  return createTranslator({
    locale: isLanguage(language) ? language : "en",
    messages: CATALOGUES[language],
    namespace,
    // A message that fails to format shows its key rather than breaking the page or the API answer.
    onError: () => undefined,
  });
}
