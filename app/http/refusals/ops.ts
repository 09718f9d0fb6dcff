import { defineRefusals } from "./spec";

/** Refusal codes of the staff support view /ops (ADR 025; see ../refusals.ts). */
export const OPS_REFUSALS = defineRefusals({
  access_required: { status: 403, message: "The support view needs a valid Cloudflare Access sign-in." },
  mail_not_resendable: {
    status: 409,
    message:
      "Only a mail still waiting to be sent can be sent now. A sent or given-up mail no longer holds its content; ask the customer to repeat what caused it.",
  },
  dead_letter_resolved: { status: 409, message: "This dead letter was already requeued or discarded; nothing changed." },
  resync_failed: {
    status: 502,
    message: (r: { reason?: string }) => `Stripe's copy could not be applied${r.reason ? ` (${r.reason})` : ""}. Nothing changed.`,
    expose: ["reason"],
  },
});
