import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PRICE_VARIABLE_ALIASES } from "~/domain/plans";
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

  // ADR 021: the existing deployment's price variable names, ours as aliases, one name per price.
  describe("price variable names", () => {
    const withoutOurs = () => {
      const e = base();
      for (const ours of Object.keys(PRICE_VARIABLE_ALIASES)) delete e[ours];
      return e;
    };
    const theirs = {
      STRIPE_CLOUD_STORAGE_STARTER_PRICE_ID: "price_new_starter",
      STRIPE_CLOUD_STORAGE_STANDARD_PRICE_ID: "price_new_standard",
      STRIPE_CLOUD_STORAGE_PREMIUM_PRICE_ID: "price_new_premium",
      STRIPE_BASIC_PRICE_ID: "price_new_basic",
      STRIPE_PREMIUM_PRICE_ID: "price_new_voice_premium",
    };

    it("accepts today's names (STRIPE_PRICE_*)", () => {
      const c = parseConfig(base());
      expect(c.stripePrices.STRIPE_PRICE_CLOUD_STARTER).toBe(env.STRIPE_PRICE_CLOUD_STARTER);
      expect(c.stripePrices.STRIPE_PRICE_VOICE_PREMIUM).toBe(env.STRIPE_PRICE_VOICE_PREMIUM);
    });

    it("accepts the existing deployment's names for the same prices", () => {
      const c = parseConfig({ ...withoutOurs(), ...theirs });
      expect(c.stripePrices).toMatchObject({
        STRIPE_PRICE_CLOUD_STARTER: "price_new_starter",
        STRIPE_PRICE_CLOUD_STANDARD: "price_new_standard",
        STRIPE_PRICE_CLOUD_PREMIUM: "price_new_premium",
        STRIPE_PRICE_VOICE_BASIC: "price_new_basic",
        STRIPE_PRICE_VOICE_PREMIUM: "price_new_voice_premium",
      });
      // Prices without a second name are unaffected.
      expect(c.stripePrices.STRIPE_PRICE_NEXA_PRIME_4K).toBe(env.STRIPE_PRICE_NEXA_PRIME_4K);
    });

    it("a mix is fine as long as each price has one name", () => {
      const e: Record<string, unknown> = { ...base(), STRIPE_BASIC_PRICE_ID: "price_new_basic" };
      delete e.STRIPE_PRICE_VOICE_BASIC;
      const c = parseConfig(e);
      expect(c.stripePrices.STRIPE_PRICE_VOICE_BASIC).toBe("price_new_basic");
      expect(c.stripePrices.STRIPE_PRICE_CLOUD_STANDARD).toBe(env.STRIPE_PRICE_CLOUD_STANDARD);
    });

    it("both names for one price: one config error naming both, whatever the values", () => {
      for (const value of ["price_other", env.STRIPE_PRICE_CLOUD_STANDARD]) {
        const e = { ...base(), STRIPE_CLOUD_STORAGE_STANDARD_PRICE_ID: value };
        try {
          parseConfig(e);
          expect.unreachable();
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).issues).toEqual([
            { variable: "STRIPE_PRICE_CLOUD_STANDARD and STRIPE_CLOUD_STORAGE_STANDARD_PRICE_ID", problem: expect.stringMatching(/both set/) },
          ]);
          expect((err as Error).message).toMatch(/STRIPE_PRICE_CLOUD_STANDARD and STRIPE_CLOUD_STORAGE_STANDARD_PRICE_ID are both set/);
        }
      }
    });

    it("a malformed value is reported under the name it was set with; a missing one names both", () => {
      const e = { ...withoutOurs(), ...theirs, STRIPE_PREMIUM_PRICE_ID: "prod_123" };
      delete (e as Record<string, unknown>).STRIPE_CLOUD_STORAGE_STARTER_PRICE_ID;
      try {
        parseConfig(e);
        expect.unreachable();
      } catch (err) {
        const issues = (err as ConfigError).issues;
        expect(issues).toContainEqual({ variable: "STRIPE_PREMIUM_PRICE_ID", problem: expect.stringMatching(/is malformed/) });
        expect(issues).toContainEqual({ variable: "STRIPE_PRICE_CLOUD_STARTER", problem: "is missing (or set STRIPE_CLOUD_STORAGE_STARTER_PRICE_ID)" });
      }
    });
  });

  it("STRIPE_PORTAL_CONFIGURATION_ID is optional and must look like bpc_…", () => {
    const e = base();
    delete e.STRIPE_PORTAL_CONFIGURATION_ID;
    expect(parseConfig(e).STRIPE_PORTAL_CONFIGURATION_ID).toBeUndefined();
    expect(parseConfig({ ...e, STRIPE_PORTAL_CONFIGURATION_ID: "bpc_1Abc" }).STRIPE_PORTAL_CONFIGURATION_ID).toBe("bpc_1Abc");
    expect(() => parseConfig({ ...e, STRIPE_PORTAL_CONFIGURATION_ID: "pc_1Abc" })).toThrowError(/STRIPE_PORTAL_CONFIGURATION_ID is malformed/);
  });
});
