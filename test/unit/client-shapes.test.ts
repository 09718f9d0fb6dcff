// The documented JSON clients' words for our facts (issue 15), decided once in app/domain.
import { describe, expect, it } from "vitest";
import { VOICE_PRESETS } from "~/domain/plans";
import { clientSubscriptionStatus } from "~/domain/subscription-status";
import { clientTierFeatures, UNLIMITED_FOR_CLIENTS } from "~/domain/voice-tiers";

describe("clientSubscriptionStatus", () => {
  it("Stripe's own word when it is one the clients know; its others folded; else from our status", () => {
    expect(clientSubscriptionStatus("ACTIVE", "trialing")).toBe("trialing");
    expect(clientSubscriptionStatus("INACTIVE", "past_due")).toBe("past_due");
    expect(clientSubscriptionStatus("INACTIVE", "unpaid")).toBe("past_due");
    expect(clientSubscriptionStatus("INACTIVE", "incomplete")).toBe("past_due");
    expect(clientSubscriptionStatus("EXPIRED", "incomplete_expired")).toBe("canceled");
    expect(clientSubscriptionStatus("CANCELLED", "paused")).toBe("canceled");
    expect(clientSubscriptionStatus("ACTIVE", null)).toBe("active");
    expect(clientSubscriptionStatus("INACTIVE", null)).toBe("past_due");
    expect(clientSubscriptionStatus("CANCELLED", null)).toBe("canceled");
    expect(clientSubscriptionStatus("EXPIRED", null)).toBe("canceled");
    // Never subscribed: the free tier is in force.
    expect(clientSubscriptionStatus("NONE", null)).toBe("active");
  });
});

describe("clientTierFeatures", () => {
  it("derives from the tier catalogue; -1 is unlimited", () => {
    expect(clientTierFeatures("FREE")).toEqual({
      maxRecordingsPerMonth: 10,
      allowAdvancedAudioControls: false,
      allowCustomPresets: false,
      availablePresets: ["natural", "calm", "bright", "announcer"],
    });
    expect(clientTierFeatures("BASIC")).toMatchObject({ maxRecordingsPerMonth: 100, allowAdvancedAudioControls: false, allowCustomPresets: false });
    expect(clientTierFeatures("PREMIUM")).toEqual({
      maxRecordingsPerMonth: UNLIMITED_FOR_CLIENTS,
      allowAdvancedAudioControls: true,
      allowCustomPresets: true,
      availablePresets: VOICE_PRESETS.map((p) => p.id),
    });
    expect(UNLIMITED_FOR_CLIENTS).toBe(-1);
  });
});
