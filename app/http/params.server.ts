import { refuse, type Ok, type Refusal } from "~/domain/result";
import type { NotFoundSubject } from "./refusals/common";

/** Ids in URLs: anything that isn't shaped like one of ours is simply not found. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * `:id` of a device, recording, preset…: a malformed one is answered exactly like someone else's
 * (404 naming the subject), so ids reveal nothing.
 */
export function idParam(
  params: Record<string, string | undefined>,
  subject: NotFoundSubject,
  name = "id",
): Ok<{ id: string }> | Refusal<"not_found", { subject: NotFoundSubject }> {
  const id = params[name] ?? "";
  return ID_PATTERN.test(id) ? { ok: true, id } : refuse("not_found", { subject });
}
