import { jsonError } from "~/lib/http.server";

/** For GET-only API resource routes: other methods get a JSON 405 instead of Remix's HTML error. */
export async function methodNotAllowed() {
  return jsonError(405, "method_not_allowed", "This endpoint does not accept that method.");
}
