/**
 * Which catalogue areas a page's components say their words from, by URL (ADR 034): the root
 * loader sends the served language's `common` plus these, not the whole catalogue (48 KB of every
 * page's HTML and ≈ 6 ms of its render, measured). test/unit/i18n-areas.test.ts reads every page
 * route and the components it imports and fails when a page would miss an area it uses.
 */
import type { Namespace } from "./en";

const PAGES: readonly (readonly [RegExp, readonly Namespace[]])[] = [
  [/^\/$/, ["store"]],
  [/^\/store(?:\/|$)/, ["store", "services"]],
  [/^\/checkout\/success\/?$/, ["checkout"]],
  [/^\/voice\/?$/, ["voice", "services"]],
  [/^\/(?:login|api\/auth\/callback)\/?$/, ["auth"]],
  [/^\/account-deleted\/?$/, ["privacy"]],
  [/^\/account(?:\/|$)/, ["account"]],
  [/^\/account\/devices\/?$/, ["devices", "events", "services"]],
  // A camera's page also has the players, timeline and clip form.
  [/^\/account\/devices\/[^/]+\/?$/, ["devices", "events", "services", "watch"]],
  [/^\/account\/search\/?$/, ["search", "events"]],
  [/^\/account\/services\/?$/, ["services", "store"]],
  [/^\/account\/delete\/?$/, ["privacy"]],
];

/** The areas a page at `pathname` needs, `common` first (the layout's). */
export function areasFor(pathname: string): Namespace[] {
  const out = new Set<Namespace>(["common"]);
  for (const [re, areas] of PAGES) if (re.test(pathname)) for (const a of areas) out.add(a);
  return [...out];
}

/** Whether two pages need the same areas (the root reloads its messages when they don't). */
export function sameAreas(a: string, b: string): boolean {
  return areasFor(a).join() === areasFor(b).join();
}
