/** One zod schema per identity use case. */
import { z } from "zod";

/** POST /auth/session {id_token, nonce?}: what the callback page hands over after Auth0. */
export const SignInInput = z.object({
  id_token: z.string().min(20).max(8192),
  nonce: z.string().min(1).max(512).optional(),
});

/** GET /api/auth/login?returnTo: where to go once signed in (checked by safeReturnTo; a bad one falls back). */
export const SignInStartQuery = z.object({
  returnTo: z.string().max(2048).optional(),
});

/** GET /api/auth/callback?code&state (or ?error&state): what Auth0 brings back. */
export const SignInCallbackQuery = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(2048).optional(),
  error: z.string().min(1).max(256).optional(),
});
