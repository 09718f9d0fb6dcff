import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";

// What the Worker entry (workers/app.ts) adds around every Remix answer: shared caches never keep
// a session's responses, and a rewritten Host never turns a page action into a 500.

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

describe("page actions when Host and Origin differ (issue #11 item 6)", () => {
  const post = (path: string, cookie: string, headers: Record<string, string>) =>
    appFetch(path, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ intent: "check-trial", serial: "NX-NOPE-0000", code: "ABCD-EFGH" }).toString(),
    });

  it("answer exactly as with our own Host (never a 500), for documents and .data actions", async () => {
    const cookie = await signIn("host-mismatch@example.com");
    for (const path of ["/account/devices?index", "/account/devices.data?index"]) {
      const expected = await post(path, cookie, {});
      expect(expected.status, path).toBeLessThan(500);
      const variants: Record<string, string>[] = [
        { Host: "127.0.0.1:8787" },
        { "X-Forwarded-Host": "proxy.internal.example" },
        { Host: "aovis-edge.example.workers.dev" },
      ];
      for (const headers of variants) {
        const res = await post(path, cookie, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(expected.status);
      }
    }
  });

  it("a foreign Origin is still refused before any route runs", async () => {
    const cookie = await signIn("host-mismatch-evil@example.com");
    const res = await post("/account/devices?index", cookie, { Host: "evil.example", Origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe("csrf_rejected");
  });
});
