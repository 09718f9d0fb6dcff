import { z } from "zod";

/** The support view's inputs (ADR 025), one schema per action. */
export const LookupQuery = z.object({ q: z.string().trim().min(1).max(254) });
export const EndTransferInput = z.object({
  transferId: z.uuid(),
  reason: z.string().trim().min(1).max(200).default("stuck offer ended by support"),
});
export const ResendMailInput = z.object({ mailId: z.uuid() });
export const ResyncInput = z.object({ subscriptionId: z.string().regex(/^sub_[A-Za-z0-9_]{1,250}$/) });
/** A dead letter is named by its queue message id (hex or uuid). */
export const DeadLetterInput = z.object({ deadLetterId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });
