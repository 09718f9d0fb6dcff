import { defineRefusals } from "./spec";

/** Refusal codes of account deletion (ADR 026; see ../refusals.ts). */
export const PRIVACY_REFUSALS = defineRefusals({
  confirmation_mismatch: {
    status: 400,
    message: "The e-mail address you typed is not the one on this account. Nothing was deleted.",
  },
  active_plan_blocks_deletion: {
    status: 409,
    message: "You have a paid plan that renews. Cancel it in the billing portal first; you can delete the account once it is set to cancel.",
    expose: ["plans", "billingPortalUrl"],
  },
  account_changed: { status: 409, message: "Your account changed while we were deleting it. Nothing was deleted; please try again." },
});
