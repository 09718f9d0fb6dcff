import { ID_PATTERN, jsonError } from "~/lib/http.server";

/** `:id` is always Device.id; a malformed one is answered exactly like someone else's: 404. */
export function deviceIdParam(params: Record<string, string | undefined>): string {
  const id = params.id ?? "";
  if (!ID_PATTERN.test(id)) throw jsonError(404, "not_found", "No such device.");
  return id;
}
