import type { z } from "zod";

/**
 * Error responses share one shape everywhere: `{ error: <stable code>, message: <sentence> }`,
 * plus optional extra fields. Codes are part of the API contract; messages are for people.
 */
export function jsonError(status: number, error: string, message: string, extra: Record<string, unknown> = {}, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify({ error, message, ...extra }), { ...init, status, headers });
}

export function jsonOk(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** Thrown by parse helpers; routes turn it into a 400 (loaders/actions may simply throw it). */
export class BadRequest extends Response {}

export function badRequest(error: string, message: string, extra: Record<string, unknown> = {}): Response {
  return jsonError(400, error, message, extra);
}

function describeIssues(issues: z.core.$ZodIssue[]): { field: string; problem: string }[] {
  return issues.map((i) => ({ field: i.path.join(".") || "(body)", problem: i.message }));
}

/** Parse a JSON or form body with zod; throws a 400 Response with `invalid_request` on failure. */
export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  const type = request.headers.get("Content-Type") ?? "";
  try {
    if (type.includes("application/json")) {
      raw = await request.json();
    } else if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
      raw = Object.fromEntries(await request.formData());
    } else {
      const text = await request.text();
      raw = text ? JSON.parse(text) : {};
    }
  } catch {
    throw badRequest("invalid_body", "The request body could not be read as JSON or form data.");
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw badRequest("invalid_request", "Some fields are missing or invalid.", { issues: describeIssues(result.error.issues) });
  }
  return result.data;
}

export function parseParams<S extends z.ZodType>(values: unknown, schema: S, error = "invalid_request"): z.infer<S> {
  const result = schema.safeParse(values);
  if (!result.success) {
    throw badRequest(error, "Some parameters are missing or invalid.", { issues: describeIssues(result.error.issues) });
  }
  return result.data;
}

export function notFound(message = "Not found."): Response {
  return jsonError(404, "not_found", message);
}

/** A refused use-case: status, stable code, a sentence for people, and optional extra fields. */
export type Failure = { ok: false; status: number; error: string; message: string; extra?: Record<string, unknown> };

export function failure(status: number, error: string, message: string, extra?: Record<string, unknown>): Failure {
  return { ok: false, status, error, message, extra };
}

export function failureResponse(f: Failure): Response {
  return jsonError(f.status, f.error, f.message, f.extra ?? {});
}

/** Ids in URLs: anything that isn't shaped like one of ours is simply not found. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
