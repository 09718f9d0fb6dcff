// Stripe's form encoding (API-SHAPES.md §1 "Form encoding"): bracket syntax for nested objects,
// arrays as `a[0]=x` (stripe-node) AND `a[]=x` (curl docs), booleans as "true"/"false" strings.
import { StripeError } from "./errors.mjs";

/** Parses `application/x-www-form-urlencoded` (or a query string) into nested objects/arrays. */
export function parseForm(text) {
  // Null-prototype containers so a key like `__proto__` is just data.
  const root = Object.create(null);
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = splitKey(rawKey);
    if (!path) throw invalidKey(rawKey);
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      // `[]` appends: the next free index of this container.
      const seg = path[i] === "" ? String(Object.keys(node).length) : path[i];
      if (last) {
        if (typeof node[seg] === "object") throw invalidKey(rawKey);
        node[seg] = value;
      } else {
        if (node[seg] === undefined) node[seg] = Object.create(null);
        else if (typeof node[seg] !== "object") throw invalidKey(rawKey);
        node = node[seg];
      }
    }
  }
  return finish(root, null);
}

function splitKey(key) {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) return null;
  return [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((b) => b[1])];
}

// Containers whose keys are all indices become arrays (in index order); metadata keys stay keys.
function finish(node, parentKey) {
  if (typeof node !== "object") return node;
  const keys = Object.keys(node);
  const entries = keys.map((k) => [k, finish(node[k], k)]);
  if (parentKey !== "metadata" && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

function invalidKey(key) {
  return new StripeError(400, { message: `Invalid parameter: ${key} (conflicting or malformed bracket syntax).`, param: key });
}
