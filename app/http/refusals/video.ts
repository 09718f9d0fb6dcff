import { defineRefusals } from "./spec";

/** Refusal codes of the video area (see ../refusals.ts). */
export const VIDEO_REFUSALS = defineRefusals({});
