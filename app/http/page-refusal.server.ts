/**
 * A refusal in a page loader: thrown (Remix-style), so the root ErrorBoundary renders the page for
 * its status (the friendly 404 for not_found). The body is the table's sentence, for logs only.
 *
 *   const owned = await ownedPlayback(deps, id, { user });
 *   if (!owned.ok) throw pageRefusal(owned);
 */
import { refusalMessage, refusalStatus, type KnownRefusal } from "./refusals";

export function pageRefusal(r: KnownRefusal): Response {
  return new Response(refusalMessage(r), { status: refusalStatus(r), headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
