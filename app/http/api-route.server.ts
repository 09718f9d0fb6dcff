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
import {
  DEFAULT_MAX_BODY_BYTES,
  declaredTooLarge,
  discardBody,
  hasBody,
  readBodyFields,
  tooLarge,
  withBodyCap,
  type BodyCapped,
  type BodyRefusal,
} from "./body.server";
import { parseInput } from "./input.server";
import { idParam } from "./params.server";
import type { Language } from "~/domain/language";
import { requestLanguage } from "~/i18n/i18n.server";
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
  /**
   * The body as read through the cap, for a handler that parses it itself (after a check of its
   * own, as sign-in's rate limit); its invalid_body is the handler's to answer. Not read (`{}`) for
   * GET/HEAD, when `body` is declared (then see `body`) or when the handler `readsOwnBody`.
   */
  rawBody: { ok: true; raw: unknown } | Extract<BodyRefusal, { error: "invalid_body" }>;
}

export interface ApiRouteSpec<Auth extends boolean, QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> {
  method: Method | readonly Method[];
  /** Default true: a signed-in user is required (401 otherwise). */
  auth?: Auth;
  /** `{ id: "device" }`: the `:id` param, a malformed one answered as "No such device." */
  params?: { id: NotFoundSubject };
  query?: QS;
  body?: BS;
  /** The body cap (default DEFAULT_MAX_BODY_BYTES): past it 413 payload_too_large, before anything else. */
  maxBodyBytes?: number;
  /** The handler streams the body through a reader of its own (an upload) with `maxBodyBytes` as its cap. */
  readsOwnBody?: boolean;
  okStatus?: number;
  run: (
    input: RouteInput<Auth, QS extends z.ZodType ? z.infer<QS> : undefined, BS extends z.ZodType ? z.infer<BS> : undefined>,
  ) => Promise<HandlerResult> | HandlerResult;
}

/** A refusal as the JSON error every client knows: `{ error, message, …facts }`. */
export function refusalResponse(r: { error: string } & object, language: Language = "en"): Response {
  return jsonError(refusalStatus(r), r.error, refusalMessage(r, language), refusalFacts(r), { headers: refusalHeaders(r) });
}

/** A handler's result as a Response. */
export function resultResponse(r: HandlerResult, okStatus = 200, language: Language = "en"): Response {
  if (r instanceof Response) return r;
  if (r.ok) return jsonOk(okBody(r), { status: okStatus });
  return refusalResponse(r, language);
}

export function apiRoute<Auth extends boolean = true, QS extends z.ZodType | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  spec: ApiRouteSpec<Auth, QS, BS>,
): ((args: Args) => Promise<Response>) & BodyCapped {
  const methods = new Set<string>(typeof spec.method === "string" ? [spec.method] : spec.method);
  if (methods.has("GET")) methods.add("HEAD");
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handler = async ({ request, params, context }: Args) => {
    // `message` in the served language (ADR 028); the `error` code stays the same.
    const language = requestLanguage(request);
    const refuse = (r: { error: string } & object) => refusalResponse(r, language);
    // A body over the cap is refused unread, before the method, the session or anything is looked at.
    if (declaredTooLarge(request, maxBodyBytes)) return refuse(tooLarge(maxBodyBytes));
    if (!methods.has(request.method.toUpperCase())) return refuse({ error: "method_not_allowed" });
    const user = await getUser(request, context);
    if (spec.auth !== false && !user) return refuse({ error: "unauthenticated" });
    let id = "";
    if (spec.params?.id) {
      const p = idParam(params, spec.params.id);
      if (!p.ok) return refuse(p);
      id = p.id;
    }
    let query: unknown = undefined;
    if (spec.query) {
      const q = parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams), language);
      if (!q.ok) return refuse(q);
      query = q.value;
    }
    let body: unknown = undefined;
    let rawBody: RouteInput<Auth, unknown, unknown>["rawBody"] = { ok: true, raw: {} };
    if (spec.body) {
      const read = await readBodyFields(request, maxBodyBytes);
      if (!read.ok) return refuse(read);
      const b = parseInput(spec.body, read.raw, language);
      if (!b.ok) return refuse(b);
      body = b.value;
    } else if (hasBody(request) && !spec.readsOwnBody) {
      // Read through the cap even when nothing is parsed here, so a chunked body can't get past it.
      const read = await readBodyFields(request, maxBodyBytes);
      if (!read.ok && read.error === "payload_too_large") return refuse(read);
      rawBody = read.ok ? { ok: true, raw: read.raw } : read;
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
      rawBody,
    });
    return resultResponse(result, spec.okStatus, language);
  };
  return withBodyCap(handler, maxBodyBytes);
}

/** For the method a resource route doesn't serve (a POST-only route's loader, a GET-only route's action). */
export const methodNotAllowed = withBodyCap(async (args?: { request: Request }): Promise<Response> => {
  // Like every action: a body over the cap is a 413 before anything else (it is never read here).
  const language = args ? requestLanguage(args.request) : "en";
  if (args && declaredTooLarge(args.request, DEFAULT_MAX_BODY_BYTES)) return refusalResponse(tooLarge(DEFAULT_MAX_BODY_BYTES), language);
  return refusalResponse({ error: "method_not_allowed" }, language);
}, DEFAULT_MAX_BODY_BYTES);

/**
 * A route action that isn't an apiRoute or a formAction (sign-out buttons, a dispatcher between
 * two readers): `maxBodyBytes` refused by its declared length first; then, unless the action reads
 * the body itself through the byte-capped readers (`readsOwnBody`), the body is read through the
 * cap and dropped before `action` runs.
 */
export function cappedAction<A extends Args, R>(
  maxBodyBytes: number,
  action: (args: A) => Promise<R>,
  opts: { readsOwnBody?: boolean; sentence?: string } = {},
): ((args: A) => Promise<R | Response>) & BodyCapped {
  return withBodyCap(async (args: A) => {
    const language = requestLanguage(args.request);
    if (declaredTooLarge(args.request, maxBodyBytes)) return refusalResponse(tooLarge(maxBodyBytes, opts.sentence), language);
    if (!opts.readsOwnBody) {
      const read = await discardBody(args.request, maxBodyBytes);
      if (!read.ok) return refusalResponse(read, language);
    }
    return action(args);
  }, maxBodyBytes);
}
