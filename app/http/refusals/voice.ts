import { defineRefusals } from "./spec";

/** Refusal codes of the voice area (see ../refusals.ts). */
export const VOICE_REFUSALS = defineRefusals({});
