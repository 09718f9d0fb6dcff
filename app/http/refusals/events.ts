import { defineRefusals } from "./spec";

const FEATURE_NAMES = { ai_summary: "AI summaries", smart_search: "Smart search" } as const;

/** Refusal codes of camera events: the IoT rule's deliveries, search and summaries (see ../refusals.ts). */
export const EVENT_REFUSALS = defineRefusals({
  rule_unauthenticated: {
    status: 401,
    message: (r: { reason: "missing" | "invalid" }) =>
      r.reason === "missing" ? "This endpoint only takes messages from the AOVIS IoT rule, which sends its token." : "The IoT rule's token was not accepted.",
    expose: ["reason"],
  },
  invalid_topic: { status: 400, message: "The message does not name a camera events topic (aovis/<thing>/events)." },
  message_stale: { status: 400, message: "The message was received too long ago (or in the future) to be taken." },
  device_mismatch: { status: 403, message: "The message names another camera than the topic it was published on." },
  event_time_out_of_range: { status: 400, message: "The event's time is too far from when it was received." },
  event_duplicate: { status: 409, message: "This event was already recorded." },
  feature_not_in_plan: {
    status: 403,
    message: (r: { feature: keyof typeof FEATURE_NAMES; planName: string; scope?: "camera" | "all" }) => {
      const many = r.feature === "ai_summary";
      const whose = r.scope === "all" ? "none of your cameras' plans include" : "this camera's plan doesn't include";
      return `${FEATURE_NAMES[r.feature]} ${many ? "are" : "is"} part of every paid cloud plan, from ${r.planName} up; ${whose} ${many ? "them" : "it"}.`;
    },
    expose: ["feature", "upgradeUrl"],
  },
  date_not_started: { status: 400, message: "That day hasn't started yet." },
});
