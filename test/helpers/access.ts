import { env } from "cloudflare:test";
import { appFetch } from "./app";

/** An Access application token signed by the Access stand-in's genuine key (claims override the defaults). */
export async function accessToken(claims: Record<string, unknown> = {}, expiresInS = 300): Promise<string> {
  const res = await fetch(`${env.TEST_STANDIN_URLS.access}/__standin/sign`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ claims, expiresInS }),
  });
  if (!res.ok) throw new Error(`access sign failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** A request to /ops as Cloudflare Access would pass it on: with the assertion header. */
export function opsFetch(path: string, token: string | null, init: Parameters<typeof appFetch>[1] = {}) {
  return appFetch(path, { ...init, headers: { ...(init.headers ?? {}), ...(token ? { "Cf-Access-Jwt-Assertion": token } : {}) } });
}

/** A staff form post to /ops/lookup. */
export function opsPost(token: string | null, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return opsFetch("/ops/lookup?q=x", token, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
