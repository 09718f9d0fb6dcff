import { defineRefusals } from "./spec";

/** Refusal codes of the identity area (see ../refusals.ts). */
export const IDENTITY_REFUSALS = defineRefusals({});
