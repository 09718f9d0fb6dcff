import { defineRefusals } from "./spec";

/** Refusal codes of the billing area (see ../refusals.ts). */
export const BILLING_REFUSALS = defineRefusals({});
