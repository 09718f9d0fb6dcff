/**
 * The product catalogue: the single source of truth for what AOVIS sells, at what price and with
 * what it grants. The store pages read the D1 `products` table, which is seeded from this module;
 * billing and gates read this module. Stripe price ids are NOT here: they are deployment config
 * (see `app/lib/config.server.ts`), keyed by `stripePriceKey`.
 *
 * Pure module: no I/O, no imports, so Node scripts can import it directly.
 */

export type Currency = "usd";
export type BillingInterval = "month" | null;
export type EntitlementKey = "cloud_playback" | "ai_summary" | "smart_search" | "voice_tier";

export interface EntitlementGrant {
  key: EntitlementKey;
  /** For cloud_playback the quota is the number of days of history. */
  quota: number | null;
}

export type CloudPlanCode = "local" | "starter" | "standard" | "premium";
export type VoiceTierCode = "FREE" | "BASIC" | "PREMIUM";
export type ProductKind = "hardware" | "sim_plan" | "cloud_plan" | "voice_tier" | "trial";

export interface CatalogProduct {
  sku: string;
  kind: ProductKind;
  name: string;
  description: string;
  /** Minor units (cents). */
  priceCents: number;
  currency: Currency;
  interval: BillingInterval;
  /** Config key holding this product's Stripe price id, or null when it is never sold via Stripe. */
  stripePriceKey: string | null;
  /** Shown in the store (the trial is granted, never sold). */
  listed: boolean;
  sortOrder: number;
  features: string[];
}

export interface CloudPlan extends CatalogProduct {
  kind: "cloud_plan";
  code: CloudPlanCode;
  historyDays: number;
  purchasable: boolean;
  grants: EntitlementGrant[];
}

export interface VoicePreset {
  id: string;
  name: string;
  stability: number;
  similarityBoost: number;
  style: number;
  speed: number;
}

export interface VoiceTier extends CatalogProduct {
  kind: "voice_tier";
  code: VoiceTierCode;
  /** Generations per calendar month (UTC); null = unlimited. */
  monthlyGenerations: number | null;
  presetIds: readonly string[];
  slidersUnlocked: boolean;
  advancedControls: boolean;
  customPresets: boolean;
  voiceCloning: boolean;
}

const PAID_CLOUD_GRANTS = (days: number): EntitlementGrant[] => [
  { key: "cloud_playback", quota: days },
  { key: "ai_summary", quota: null },
  { key: "smart_search", quota: null },
];

export const CLOUD_PLANS: readonly CloudPlan[] = [
  {
    sku: "aovis-cloud-local",
    kind: "cloud_plan",
    code: "local",
    name: "Local",
    description: "Record to the camera's own microSD card. No cloud history.",
    priceCents: 0,
    currency: "usd",
    interval: null,
    historyDays: 0,
    purchasable: false,
    stripePriceKey: null,
    listed: true,
    sortOrder: 100,
    grants: [],
    features: ["Live view", "microSD recording", "No cloud history"],
  },
  {
    sku: "aovis-cloud-storage-starter",
    kind: "cloud_plan",
    code: "starter",
    name: "Starter",
    description: "A day of cloud history for one camera.",
    priceCents: 199,
    currency: "usd",
    interval: "month",
    historyDays: 1,
    purchasable: true,
    stripePriceKey: "STRIPE_PRICE_CLOUD_STARTER",
    listed: true,
    sortOrder: 110,
    grants: PAID_CLOUD_GRANTS(1),
    features: ["24 hours of cloud history", "AI summaries", "Smart search"],
  },
  {
    sku: "aovis-cloud-storage-standard",
    kind: "cloud_plan",
    code: "standard",
    name: "Standard",
    description: "A week of cloud history for one camera.",
    priceCents: 499,
    currency: "usd",
    interval: "month",
    historyDays: 7,
    purchasable: true,
    stripePriceKey: "STRIPE_PRICE_CLOUD_STANDARD",
    listed: true,
    sortOrder: 120,
    grants: PAID_CLOUD_GRANTS(7),
    features: ["7 days of cloud history", "AI summaries", "Smart search"],
  },
  {
    sku: "aovis-cloud-storage-premium",
    kind: "cloud_plan",
    code: "premium",
    name: "Premium",
    description: "A month of cloud history for one camera.",
    priceCents: 999,
    currency: "usd",
    interval: "month",
    historyDays: 30,
    purchasable: true,
    stripePriceKey: "STRIPE_PRICE_CLOUD_PREMIUM",
    listed: true,
    sortOrder: 130,
    grants: PAID_CLOUD_GRANTS(30),
    features: ["30 days of cloud history", "AI summaries", "Smart search"],
  },
];

/** The free trial every physical device gets once, ever (see docs/decisions/…-device-transfer.md). */
export const CLOUD_TRIAL = {
  sku: "aovis-daily-backup-starter-trial",
  kind: "trial" as const,
  // One name everywhere (store, services, device list). The sku keeps the existing deployment's name (ADR 021).
  name: "Free trial",
  description: "30 days free with 24 hours of cloud history, once per camera, from its first activation.",
  priceCents: 0,
  currency: "usd" as const,
  interval: null,
  stripePriceKey: null,
  listed: false,
  sortOrder: 900,
  durationDays: 30,
  grants: [{ key: "cloud_playback", quota: 1 }] as EntitlementGrant[],
  features: ["24 hours of cloud history", "30 days, once per camera"],
} satisfies CatalogProduct & { durationDays: number; grants: EntitlementGrant[] };

/** The plan a camera is on without any cloud plan (the first row of CLOUD_PLANS). */
export const LOCAL_PLAN: CloudPlan = CLOUD_PLANS.find((p) => p.code === "local")!;

/** The plan the store suggests to a new customer: a week of history covers a holiday or a missed alert. */
export const RECOMMENDED_CLOUD_PLAN: CloudPlanCode = "standard";

export const VOICE_PRESETS: readonly VoicePreset[] = [
  { id: "natural", name: "Natural", stability: 0.5, similarityBoost: 0.75, style: 0, speed: 1 },
  { id: "calm", name: "Calm", stability: 0.8, similarityBoost: 0.75, style: 0, speed: 0.9 },
  { id: "bright", name: "Bright", stability: 0.4, similarityBoost: 0.8, style: 0.2, speed: 1.05 },
  { id: "announcer", name: "Announcer", stability: 0.6, similarityBoost: 0.9, style: 0.4, speed: 1 },
  { id: "storyteller", name: "Storyteller", stability: 0.45, similarityBoost: 0.7, style: 0.5, speed: 0.95 },
  { id: "newsreader", name: "Newsreader", stability: 0.85, similarityBoost: 0.8, style: 0.1, speed: 1 },
  { id: "whisper", name: "Soft", stability: 0.9, similarityBoost: 0.6, style: 0, speed: 0.85 },
  { id: "energetic", name: "Energetic", stability: 0.3, similarityBoost: 0.8, style: 0.6, speed: 1.15 },
  { id: "podcast", name: "Podcast", stability: 0.55, similarityBoost: 0.75, style: 0.3, speed: 1 },
  { id: "assistant", name: "Assistant", stability: 0.7, similarityBoost: 0.75, style: 0.1, speed: 1.05 },
  { id: "documentary", name: "Documentary", stability: 0.75, similarityBoost: 0.85, style: 0.2, speed: 0.9 },
  { id: "dramatic", name: "Dramatic", stability: 0.25, similarityBoost: 0.85, style: 0.8, speed: 0.95 },
  { id: "fast-talk", name: "Fast talk", stability: 0.5, similarityBoost: 0.75, style: 0.2, speed: 1.2 },
  { id: "slow-clear", name: "Slow & clear", stability: 0.9, similarityBoost: 0.8, style: 0, speed: 0.75 },
];

const ALL_PRESET_IDS = VOICE_PRESETS.map((p) => p.id);

export const VOICE_TIERS: readonly VoiceTier[] = [
  {
    sku: "aovis-voice-free",
    kind: "voice_tier",
    code: "FREE",
    name: "Voice Free",
    description: "Try the voice studio.",
    priceCents: 0,
    currency: "usd",
    interval: null,
    stripePriceKey: null,
    listed: true,
    sortOrder: 200,
    monthlyGenerations: 10,
    presetIds: ALL_PRESET_IDS.slice(0, 4),
    slidersUnlocked: false,
    advancedControls: false,
    customPresets: false,
    voiceCloning: false,
    features: ["10 generations a month", "4 voice presets"],
  },
  {
    sku: "aovis-voice-basic",
    kind: "voice_tier",
    code: "BASIC",
    name: "Voice Basic",
    description: "For regular announcements and clips.",
    priceCents: 999,
    currency: "usd",
    interval: "month",
    stripePriceKey: "STRIPE_PRICE_VOICE_BASIC",
    listed: true,
    sortOrder: 210,
    monthlyGenerations: 100,
    presetIds: ALL_PRESET_IDS.slice(0, 10),
    slidersUnlocked: false,
    advancedControls: false,
    customPresets: false,
    voiceCloning: true,
    features: ["100 generations a month", "10 voice presets", "Instant voice cloning"],
  },
  {
    sku: "aovis-voice-premium",
    kind: "voice_tier",
    code: "PREMIUM",
    name: "Voice Premium",
    description: "Unlimited studio with full control.",
    priceCents: 2999,
    currency: "usd",
    interval: "month",
    stripePriceKey: "STRIPE_PRICE_VOICE_PREMIUM",
    listed: true,
    sortOrder: 220,
    monthlyGenerations: null,
    presetIds: ALL_PRESET_IDS,
    slidersUnlocked: true,
    advancedControls: true,
    customPresets: true,
    voiceCloning: true,
    features: [
      "Unlimited generations",
      `All ${ALL_PRESET_IDS.length} voice presets`,
      "Stability, similarity, style and speed sliders",
      "Speaker boost on or off",
      "Custom presets",
      "Instant voice cloning",
    ],
  },
];

export const HARDWARE: readonly CatalogProduct[] = [
  {
    sku: "nexa-prime-4k",
    kind: "hardware",
    name: "NEXA Prime 4K",
    description: "4K indoor/outdoor camera with colour night vision, two-way audio and LTE backup.",
    priceCents: 14999,
    currency: "usd",
    interval: null,
    stripePriceKey: "STRIPE_PRICE_NEXA_PRIME_4K",
    listed: true,
    sortOrder: 10,
    features: ["4K HDR video", "Colour night vision", "Two-way audio", "LTE SIM slot", "30-day free trial included"],
  },
  {
    sku: "nexa-mini-2k",
    kind: "hardware",
    name: "NEXA Mini 2K",
    description: "Compact 2K indoor camera for every room.",
    priceCents: 5999,
    currency: "usd",
    interval: null,
    stripePriceKey: "STRIPE_PRICE_NEXA_MINI_2K",
    listed: true,
    sortOrder: 20,
    features: ["2K video", "Privacy shutter", "Two-way audio", "30-day free trial included"],
  },
];

export const SIM_PLANS: readonly CatalogProduct[] = [
  {
    sku: "aovis-sim-data-5gb",
    kind: "sim_plan",
    name: "AOVIS SIM Data 5 GB",
    description: "Prepaid LTE data for NEXA cameras away from Wi-Fi: 5 GB, valid 30 days.",
    priceCents: 999,
    currency: "usd",
    interval: null,
    stripePriceKey: "STRIPE_PRICE_SIM_DATA_5GB",
    listed: true,
    sortOrder: 50,
    features: ["5 GB LTE data", "Valid 30 days", "Nano SIM, ships in 2 days"],
  },
];

export function allCatalogProducts(): CatalogProduct[] {
  return [...HARDWARE, ...SIM_PLANS, ...CLOUD_PLANS, ...VOICE_TIERS, CLOUD_TRIAL].sort((a, b) => a.sortOrder - b.sortOrder);
}

export function cloudPlanByCode(code: string): CloudPlan | undefined {
  return CLOUD_PLANS.find((p) => p.code === code);
}

/**
 * Skus this app used before it took the existing AOVIS deployment's names (ADR 021). Migration
 * 0011 renames them in D1; a sku from outside (Stripe metadata, an old link, a row written by an
 * instance still running the old code during a deploy) still resolves to its product.
 */
export const LEGACY_SKU_ALIASES: Readonly<Record<string, string>> = {
  "aovis-cloud-starter": "aovis-cloud-storage-starter",
  "aovis-cloud-standard": "aovis-cloud-storage-standard",
  "aovis-cloud-premium": "aovis-cloud-storage-premium",
};

/** The catalogue's sku for `sku`, resolving a legacy alias; unknown skus are returned as they are. */
export function canonicalSku(sku: string): string {
  return Object.hasOwn(LEGACY_SKU_ALIASES, sku) ? LEGACY_SKU_ALIASES[sku] : sku;
}

/** `skus` plus every legacy alias of them, for queries that must also match rows not yet renamed. */
export function withLegacySkus(skus: readonly string[]): string[] {
  return [...skus, ...Object.keys(LEGACY_SKU_ALIASES).filter((old) => skus.includes(LEGACY_SKU_ALIASES[old]))];
}

export function cloudPlanBySku(sku: string): CloudPlan | undefined {
  const canonical = canonicalSku(sku);
  return CLOUD_PLANS.find((p) => p.sku === canonical);
}

export function voiceTierByCode(code: string): VoiceTier | undefined {
  return VOICE_TIERS.find((t) => t.code === code);
}

export function voiceTierBySku(sku: string): VoiceTier | undefined {
  return VOICE_TIERS.find((t) => t.sku === sku);
}

export function productBySku(sku: string): CatalogProduct | undefined {
  const canonical = canonicalSku(sku);
  return allCatalogProducts().find((p) => p.sku === canonical);
}

/**
 * The existing AOVIS deployment's names for the Stripe price variables (ADR 021), accepted as well
 * as ours (the catalogue's stripePriceKey, which stays the config key; app/lib/config.server.ts). One name per
 * price: setting both is a config error naming both, even with equal values, so nobody edits one
 * and wonders why nothing changed.
 */
export const PRICE_VARIABLE_ALIASES: Readonly<Record<string, string>> = {
  STRIPE_PRICE_CLOUD_STARTER: "STRIPE_CLOUD_STORAGE_STARTER_PRICE_ID",
  STRIPE_PRICE_CLOUD_STANDARD: "STRIPE_CLOUD_STORAGE_STANDARD_PRICE_ID",
  STRIPE_PRICE_CLOUD_PREMIUM: "STRIPE_CLOUD_STORAGE_PREMIUM_PRICE_ID",
  STRIPE_PRICE_VOICE_BASIC: "STRIPE_BASIC_PRICE_ID",
  STRIPE_PRICE_VOICE_PREMIUM: "STRIPE_PREMIUM_PRICE_ID",
};

/** Every config key that must hold a Stripe price id. */
export function stripePriceKeys(): string[] {
  return allCatalogProducts()
    .map((p) => p.stripePriceKey)
    .filter((k): k is string => k !== null);
}

/** What a voice tier promises, as facts a page words (app/lib/billing-copy.ts voiceTierFeatures). */
export function voiceTierFacts(tier: VoiceTier) {
  return {
    monthlyGenerations: tier.monthlyGenerations,
    presetCount: tier.presetIds.length,
    allPresets: tier.presetIds.length === VOICE_PRESETS.length,
    slidersUnlocked: tier.slidersUnlocked,
    advancedControls: tier.advancedControls,
    customPresets: tier.customPresets,
    voiceCloning: tier.voiceCloning,
  };
}
