/**
 * One zod schema per billing use case, used by the API route and the page form alike (a form
 * sends strings; each schema accepts both). Plan and tier codes come from the catalogue.
 */
import { z } from "zod";
import { CLOUD_PLANS, VOICE_TIERS, type CloudPlanCode, type VoiceTierCode } from "~/domain/plans";

const CLOUD_PLAN_CODES = CLOUD_PLANS.map((p) => p.code) as [CloudPlanCode, ...CloudPlanCode[]];
const VOICE_TIER_CODES = VOICE_TIERS.map((t) => t.code) as [VoiceTierCode, ...VoiceTierCode[]];

/** A form's empty field means "not given". */
const blankAsUndefined = z.literal("").transform(() => undefined);

/** POST /api/checkout/cloud-storage, the services page's plan buttons. Unbuyable codes are the policy's to refuse. */
export const CloudCheckoutInput = z.object({
  deviceId: z.string().trim().min(1).max(64),
  planCode: z.enum(CLOUD_PLAN_CODES),
});

/** POST /api/stripe/checkout, the services page's and the store's voice tier buttons, the studio's Upgrade button. */
// `priceId` (the documented JSON clients send it) only confirms the tier's configured price.
export const VoiceCheckoutInput = z.object({
  tier: z.enum(VOICE_TIER_CODES),
  priceId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]{1,255}$/)
    .optional()
    .or(blankAsUndefined),
});

/** POST /api/checkout/product, the store's buy form. */
export const ProductCheckoutInput = z.object({
  sku: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,64}$/),
  quantity: z.coerce.number().int().min(1).max(10).default(1),
});

/** POST /api/billing/portal (and /api/stripe/portal), the services page's billing buttons. */
export const PortalInput = z.object({
  // Our subscription id (as GET /api/devices/:id returns it) or the Stripe sub_… id.
  subscriptionId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional()
    .or(blankAsUndefined),
  flow: z.enum(["payment_method_update"]).optional().or(blankAsUndefined),
});

/** `session_id` on the success page: anything else is "no such checkout". */
export const CHECKOUT_SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,200}$/;
