import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";

// What the Worker entry (workers/app.ts) adds around every Remix answer: shared caches never keep
// a session's responses.

describe("Cache-Control on responses that depend on the session (issue #11 item 5)", () => {
  it("a signed-in document and its .data loader say private, no-store", async () => {
    const cookie = await signIn("cache-devices@example.com");
    for (const path of ["/account/devices", "/account/devices.data", "/account", "/account.data", "/voice", "/store"]) {
      const res = await appFetch(path, { headers: { Cookie: cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Cache-Control"), path).toBe("private, no-store");
    }
  });

  it("API JSON keeps its own no-store, and a route's explicit public policy for the same-for-everyone product list stands", async () => {
    const cookie = await signIn("cache-api@example.com");
    const me = await appFetch("/api/auth/session", { headers: { Cookie: cookie } });
    expect(me.headers.get("Cache-Control")).toBe("no-store");
    const products = await appFetch("/api/stripe/products", { headers: { Cookie: cookie } });
    expect(products.headers.get("Cache-Control")).toBe("public, max-age=300");
  });

  it("a page for a visitor without a session is left as it was", async () => {
    const res = await appFetch("/store");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBeNull();
  });
});
