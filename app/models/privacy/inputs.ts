/** One zod schema per privacy use case (ADR 026). */
import { z } from "zod";

/** POST /account/delete: the account's e-mail, typed again, and the explicit confirmation. */
export const DeleteAccountInput = z.object({
  confirmEmail: z.string().trim().min(3, "Type your e-mail address to confirm.").max(320),
  confirm: z.literal("yes", { message: "Tick the box to confirm you understand." }),
});
