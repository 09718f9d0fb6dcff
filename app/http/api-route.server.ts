/**
 * The one shape of an API resource route: method (else 405), session (else 401), `:id` (malformed
 * = 404), query and body through zod with a byte cap (413 / 400), then the use case, whose result
 * becomes JSON: a value as 200 (or `okStatus`), a refusal through the refusal table. A handler may
 * return a Response itself when it streams (clips, audio) or redirects.
 *
 *   export const loader = apiRoute({ method: "GET", params: { id: "device" }, query: RangeQuery,
 *     run: ({ user, id, query, env }) => deviceTimeline(env, { deviceId: id, userId: user.id, ...query }) });
 *   export const action = methodNotAllowed;
 */
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/cloudflare";
import type { z } from "zod";
import { getUser, type SessionUser } from "~/lib/auth.server";
import { DEFAULT_MAX_BODY_BYTES, readBodyFields } from "./body.server";
import { parseInput } from "./input.server";
import { idParam } from "./params.server";
import { refusalFacts, refusalHeaders, refusalMessage, refusalStatus, type KnownRefusalCode } from "./refusals";
import type { NotFoundSubject } from "./refusals/common";
import { jsonError, jsonOk, okBody } from "./responses.server";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Args = LoaderFunctionArgs | ActionFunctionArgs;

/** What a handler returns: a result (value or known refusal), or a Response it built itself. */
export type HandlerResult = { ok: true } | { ok: false; error: KnownRefusalCode } | Response;

export interface RouteInput<Auth extends boolean, Q, B> {
  request: Request;
  context: AppLoadContext;
  env: Env;
  ctx: ExecutionContext;
  requestId: string;
  user: Auth extends true ? SessionUser : SessionUser | null;
  /** The `:id` param when `params.id` was declared (validated). */
  id: string;
  /** Every route param, unvalidated (validate what you use). */
  params: Readonly<Record<string, string | undefined>>;
  query: Q;
  body: B;
}

export interface ApiRouteSpec<Auth extends boolean, QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> {
  method: Method | readonly Method[];
  /** Default true: a signed-in user is required (401 otherwise). */
  auth?: Auth;
  /** `{ id: "device" }`: the `:id` param, a malformed one answered as "No such device." */
  params?: { id: NotFoundSubject };
  query?: QS;
  body?: BS;
  maxBodyBytes?: number;
  okStatus?: number;
  run: (
    input: RouteInput<Auth, QS extends z.ZodType ? z.infer<QS> : undefined, BS extends z.ZodType ? z.infer<BS> : undefined>,
  ) => Promise<HandlerResult> | HandlerResult;
}

/** A refusal as the JSON error every client knows: `{ error, message, …facts }`. */
export function refusalResponse(r: { error: string } & object): Response {
  return jsonError(refusalStatus(r), r.error, refusalMessage(r), refusalFacts(r), { headers: refusalHeaders(r) });
}

/** A handler's result as a Response. */
export function resultResponse(r: HandlerResult, okStatus = 200): Response {
  if (r instanceof Response) return r;
  if (r.ok) return jsonOk(okBody(r), { status: okStatus });
  return refusalResponse(r);
}

export function apiRoute<Auth extends boolean = true, QS extends z.ZodType | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  spec: ApiRouteSpec<Auth, QS, BS>,
): (args: Args) => Promise<Response> {
  const methods = new Set<string>(typeof spec.method === "string" ? [spec.method] : spec.method);
  if (methods.has("GET")) methods.add("HEAD");
  return async ({ request, params, context }) => {
    if (!methods.has(request.method.toUpperCase())) return refusalResponse({ error: "method_not_allowed" });
    const user = await getUser(request, context);
    if (spec.auth !== false && !user) return refusalResponse({ error: "unauthenticated" });
    let id = "";
    if (spec.params?.id) {
      const p = idParam(params, spec.params.id);
      if (!p.ok) return refusalResponse(p);
      id = p.id;
    }
    let query: unknown = undefined;
    if (spec.query) {
      const q = parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams));
      if (!q.ok) return refusalResponse(q);
      query = q.value;
    }
    let body: unknown = undefined;
    if (spec.body) {
      const read = await readBodyFields(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if (!read.ok) return refusalResponse(read);
      const b = parseInput(spec.body, read.raw);
      if (!b.ok) return refusalResponse(b);
      body = b.value;
    }
    const env = context.cloudflare.env;
    const result = await spec.run({
      request,
      context,
      env,
      ctx: context.cloudflare.ctx,
      requestId: context.requestId,
      user: user as never,
      id,
      params,
      query: query as never,
      body: body as never,
    });
    return resultResponse(result, spec.okStatus);
  };
}

/** For the method a resource route doesn't serve (a POST-only route's loader, a GET-only route's action). */
export async function methodNotAllowed(): Promise<Response> {
  return refusalResponse({ error: "method_not_allowed" });
}
