/**
 * How the page's catalogue areas travel in the root's loader data (ADR 035): as one JSON string,
 * not as an object. Remix's turbo-stream encodes an object node by node (every key and message of
 * ≈16 KB of catalogue, on every signed-in page render, was its largest single cost, profiled for
 * #11); a string is one value. The server makes each language's string for a set of areas once per
 * isolate, and both sides read it back once per distinct string.
 */
import type { Messages } from "./en";

export type MessagesWire = string & { readonly __catalogueJson: true };

export function toWire(messages: Partial<Messages>): MessagesWire {
  return JSON.stringify(messages) as MessagesWire;
}

// A few distinct strings at a time in practice (a language × a page's areas); bounded anyway.
const read = new Map<string, Messages>();
const READ_KEPT = 32;

export function fromWire(wire: MessagesWire): Messages {
  let m = read.get(wire);
  if (!m) {
    if (read.size >= READ_KEPT) read.clear();
    m = JSON.parse(wire) as Messages;
    read.set(wire, m);
  }
  return m;
}
