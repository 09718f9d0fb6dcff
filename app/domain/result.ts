/**
 * The one result contract of every use case and domain decision: a value, or a refusal with a
 * stable code. Refusals carry facts (which window, which feature, how long to wait), never an HTTP
 * status or a sentence: routes map a code to a status and to words for people (app/http/refusals).
 * Results are flat objects (`{ ok: true, device }`, `{ ok: false, error: "not_found", subject }`),
 * so a decision reads like the sentence it stands for.
 */
export type Ok<T extends object = object> = { readonly ok: true } & T;
export type Refusal<C extends string = string, D extends object = object> = { readonly ok: false; readonly error: C } & D;
export type Result<T extends object, C extends string = string, D extends object = object> = Ok<T> | Refusal<C, D>;

export function ok(): Ok<object>;
export function ok<T extends object>(value: T): Ok<T>;
export function ok<T extends object>(value?: T): Ok<T> {
  return { ok: true, ...(value ?? ({} as T)) };
}

export function refuse<C extends string>(error: C): Refusal<C>;
export function refuse<C extends string, D extends object>(error: C, facts: D): Refusal<C, D>;
export function refuse<C extends string, D extends object>(error: C, facts?: D): Refusal<C, D> {
  return { ...(facts ?? ({} as D)), ok: false, error };
}

/** The refusal codes a result type can carry. */
export type RefusalCode<R> = R extends { ok: false; error: infer C } ? C : never;
