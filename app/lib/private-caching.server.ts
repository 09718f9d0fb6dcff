/**
 * Responses that depend on who is asking must never be kept by a shared cache (a CDN, a corporate
 * proxy): signed-in pages and their `.data` loaders carry devices, transfer offers and e-mail
 * addresses. Applied once in the Worker entry to every response, so no page can forget it: a
 * request that carried our session cookie, or a response that sets a cookie, gets
 * `private, no-store` unless the route chose its own policy. A route's own choice stands when it
 * already keeps shared caches out (`private` or `no-store`: streamed media, API JSON) or declares
 * the answer the same for everyone (`public`: the product list).
 */
import { SESSION_COOKIE } from "./sessions.server";

export const PRIVATE_NO_STORE = "private, no-store";

function carriesSessionCookie(request: Request): boolean {
  const header = request.headers.get("Cookie");
  return header !== null && header.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

export function applyPrivateCaching(request: Request, headers: Headers): void {
  if (!carriesSessionCookie(request) && !headers.has("Set-Cookie")) return;
  const current = headers.get("Cache-Control");
  if (!current) {
    headers.set("Cache-Control", PRIVATE_NO_STORE);
    return;
  }
  const directives = current
    .toLowerCase()
    .split(",")
    .map((d) => d.trim().split("=")[0]);
  // A response that sets a cookie is never the same for everyone, whatever the route said.
  if (directives.includes("public") && headers.has("Set-Cookie")) {
    headers.set("Cache-Control", PRIVATE_NO_STORE);
    return;
  }
  if (directives.includes("private") || directives.includes("no-store") || directives.includes("public")) return;
  // e.g. a bare `max-age=60`: cacheable by anyone unless we say otherwise.
  headers.set("Cache-Control", `private, ${current}`);
}
