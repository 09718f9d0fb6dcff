/** One zod schema per identity use case. */
import { z } from "zod";

/** POST /auth/session {id_token, nonce?}: what the callback page hands over after Auth0. */
export const SignInInput = z.object({
  id_token: z.string().min(20).max(8192),
  nonce: z.string().min(1).max(512).optional(),
});
