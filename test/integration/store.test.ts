import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOUD_PLANS, HARDWARE, SIM_PLANS, VOICE_TIERS } from "~/domain/plans";
import { appFetch } from "../helpers/app";

function prices(html: string): string[] {
  return [...html.matchAll(/data-testid="price">([^<]*)</g)].map((m) => m[1]);
}

describe("store pages", () => {
  it("/store lists every plan, tier, camera and SIM plan with its price, read from D1", async () => {
    const res = await appFetch("/store", { headers: { "Accept-Language": "en-US" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const p of [...HARDWARE, ...SIM_PLANS, ...CLOUD_PLANS, ...VOICE_TIERS]) expect(html).toContain(`data-sku="${p.sku}"`);
    expect(prices(html)).toEqual(expect.arrayContaining(["$0", "$1.99/mo", "$4.99/mo", "$9.99/mo", "$29.99/mo", "$149.99"]));
    expect(html).not.toContain("aovis-daily-backup-starter-trial");
  });

  it("prices follow the language served (ADR 028): a German visitor reads the English page, so English numbers", async () => {
    const html = await (await appFetch("/store", { headers: { "Accept-Language": "de-DE,de;q=0.9" } })).text();
    expect(html).toContain('<html lang="en"');
    expect(prices(html)).toContain("$4.99/mo");
    expect(prices(html)).not.toContain("4,99\u00a0$/mo");
  });

  it("renders what D1 holds, not a copy baked into the bundle", async () => {
    await env.DB.prepare("UPDATE products SET price_cents = 12345 WHERE sku = 'nexa-prime-4k'").run();
    const html = await (await appFetch("/store/nexa-prime-4k")).text();
    expect(prices(html)).toEqual(["$123.45"]);
  });

  it("/store/:sku shows one product; unknown or unlisted SKUs get the friendly 404 page", async () => {
    const ok = await appFetch("/store/aovis-cloud-standard");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Standard");
    for (const path of ["/store/no-such-thing", "/store/aovis-daily-backup-starter-trial", "/store/%3Cscript%3E", "/definitely/not/here"]) {
      const res = await appFetch(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("find that page");
    }
  });

  it("a loader that throws gets the 500 page without the error text or a stack", async () => {
    const res = await appFetch("/dev/boom");
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Something went wrong on our side");
    expect(html).not.toContain("secret-internal-detail");
    expect(html).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it("home renders cameras and cloud plans", async () => {
    const res = await appFetch("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("NEXA Prime 4K");
    expect(html).toContain("Premium");
  });
});

describe("security headers and request ids", () => {
  it("every response carries CSP with frame-ancestors 'none', HSTS, nosniff, a referrer policy and a request id", async () => {
    for (const path of ["/", "/store", "/nope"]) {
      const res = await appFetch(path);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9]+'/);
      expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("X-Request-Id")).toBeTruthy();
    }
  });

  it("inline scripts carry the per-request nonce", async () => {
    const res = await appFetch("/store");
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(res.headers.get("Content-Security-Policy")!)![1];
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
  });
});
