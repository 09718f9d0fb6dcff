/**
 * JSON responses. Every error body has one shape: `{ error: <stable code>, message: <sentence>, …facts }`.
 * Codes are the API contract; messages are for people. Only app/http and app/routes build Responses.
 */
export function jsonOk(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function jsonError(status: number, error: string, message: string, extra: Record<string, unknown> = {}, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify({ error, message, ...extra }), { ...init, status, headers });
}

/** A 303 to `location` (after a form post or to a hosted Stripe page). */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store", ...headers } });
}

/** The value of an ok result without its `ok` flag, as the JSON body of a 200. */
export function okBody<T extends { ok: true }>(r: T): Omit<T, "ok"> {
  const { ok: _ok, ...rest } = r;
  return rest;
}

/**
 * A JSON client (issue 15): it asks for JSON (`Accept: application/json`) or sends a JSON body.
 * Such a client gets the hosted page's URL as JSON; a form post keeps its 303.
 */
export function wantsJson(request: Request): boolean {
  const accept = (request.headers.get("Accept") ?? "").toLowerCase();
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  return accept.includes("application/json") || type.startsWith("application/json");
}

/** A hosted page's URL: a 303 to it for forms, `200 { [key]: url }` for a JSON client. */
export function redirectOrJson(request: Request, url: string, key: string): Response {
  return wantsJson(request) ? jsonOk({ [key]: url }) : seeOther(url);
}
