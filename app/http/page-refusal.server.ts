/**
 * A refusal in a page loader: thrown (Remix-style), so the root ErrorBoundary renders the page for
 * its status (the friendly 404 for not_found) in the served language. The body is the table's
 * sentence, for logs and for a client reading the raw response; pass the request so it is in the
 * request's language too (ADR 028).
 *
 *   const owned = await ownedPlayback(deps, id, { user });
 *   if (!owned.ok) throw pageRefusal(owned, request);
 */
import type { Language } from "~/domain/language";
import { requestLanguage } from "~/i18n/i18n.server";
import { refusalMessage, refusalStatus, type KnownRefusal } from "./refusals";

export function pageRefusal(r: KnownRefusal, languageOrRequest: Language | Request = "en"): Response {
  const language = languageOrRequest instanceof Request ? requestLanguage(languageOrRequest) : languageOrRequest;
  return new Response(refusalMessage(r, language), {
    status: refusalStatus(r),
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
