/**
 * The served messages for a route's `meta` (the root loader's, ADR 028), or null when the root
 * has no data (its loader failed): meta then names nothing and the error page says what happened.
 * No catalogue is imported here, so no English catalogue ships to the browser with a route.
 */
import type { Messages } from "./en";
import { fromWire, type MessagesWire } from "./wire";

export function rootMessages(matches: readonly { id: string; data?: unknown }[]): Messages | null {
  const root = matches.find((m) => m.id === "root")?.data as { messages?: MessagesWire } | undefined;
  return root?.messages ? fromWire(root.messages) : null;
}
