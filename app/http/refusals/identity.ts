import type { InvalidTokenProblem } from "~/lib/id-token.server";
import { defineRefusals } from "./spec";

const INVALID_TOKEN: Record<Exclude<InvalidTokenProblem, "claim">, string> = {
  unverifiable: "The sign-in token could not be verified.",
  issued_in_future: "The sign-in token was issued in the future.",
  no_subject: "The sign-in token has no subject.",
  nonce_mismatch: "The sign-in token does not match this sign-in attempt.",
  no_email: "The sign-in token has no email address.",
};

/**
 * Refusal codes of the identity area: an ID token that doesn't start a session (see ../refusals.ts).
 * `unauthenticated`, `csrf_rejected` and sign-in's `rate_limited` are common codes.
 */
export const IDENTITY_REFUSALS = defineRefusals({
  invalid_token: {
    status: 401,
    message: (r: { problem: InvalidTokenProblem; claim?: string }) =>
      r.problem === "claim" ? `The sign-in token is invalid (${r.claim}).` : INVALID_TOKEN[r.problem],
  },
  token_expired: { status: 401, message: "The sign-in token has expired. Please sign in again." },
  wrong_audience: { status: 401, message: "The sign-in token was issued for another application." },
  wrong_issuer: { status: 401, message: "The sign-in token was issued by an unknown identity provider." },
});
