import { SELF } from "cloudflare:test";

export const ORIGIN = "http://localhost:8787";

/** A request to the real Worker (workers/app.ts → Remix) as a browser on our origin would send it. */
export function appFetch(path: string, init: Omit<RequestInit, "headers"> & { headers?: Record<string, string> } = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = { Host: "localhost:8787", ...(init.headers ?? {}) };
  if (method !== "GET" && method !== "HEAD" && !("Origin" in headers) && !("origin" in headers)) headers.Origin = ORIGIN;
  return SELF.fetch(`${ORIGIN}${path}`, { ...init, headers, redirect: "manual" });
}

/**
 * A page's markup without its scripts: the root loader sends the served language's whole catalogue
 * in the page's script data (ADR 028/033), so "the page doesn't say X" must look at the markup only.
 */
export function shownMarkup(html: string): string {
  return html.replace(/<script\b[\s\S]*?<\/script>/g, "");
}
