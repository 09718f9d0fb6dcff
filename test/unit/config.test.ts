import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/lib/config.server";

const base = () => ({ ...(env as unknown as Record<string, unknown>) });

describe("config", () => {
  it("parses the test environment and maps every Stripe price key", () => {
    const c = parseConfig(base());
    expect(c.APP_ENV).toBe("test");
    expect(c.stripePrices.STRIPE_PRICE_CLOUD_STANDARD).toBe("price_local_cloud_standard");
    expect(c.KVS_DATA_RETENTION_HOURS).toBe(720);
  });

  it("names a missing variable", () => {
    const e = base();
    delete e.STRIPE_WEBHOOK_SECRET;
    expect(() => parseConfig(e)).toThrowError(ConfigError);
    expect(() => parseConfig(e)).toThrowError(/STRIPE_WEBHOOK_SECRET is missing/);
  });

  it("names a malformed variable and says why", () => {
    const e = { ...base(), AWS_REGION: "moon-base", STRIPE_PRICE_CLOUD_PREMIUM: "prod_123" };
    try {
      parseConfig(e);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).issues.map((i) => i.variable).sort();
      expect(vars).toEqual(["AWS_REGION", "STRIPE_PRICE_CLOUD_PREMIUM"]);
      expect((err as Error).message).toMatch(/AWS_REGION is malformed/);
    }
  });

  it("falls back to the real service endpoints when no base URL is configured", () => {
    const e = base();
    delete e.STRIPE_API_BASE;
    delete e.KVS_ENDPOINT;
    delete e.ELEVENLABS_API_BASE;
    const c = parseConfig(e);
    expect(c.STRIPE_API_BASE).toBe("https://api.stripe.com");
    expect(c.kvsEndpoint).toBe("https://kinesisvideo.us-east-1.amazonaws.com");
    expect(c.ELEVENLABS_API_BASE).toBe("https://api.elevenlabs.io");
  });
});
