import type { InvalidTokenProblem } from "~/lib/id-token.server";
import { defineRefusals } from "./spec";

const INVALID_TOKEN: Record<Exclude<InvalidTokenProblem, "claim">, string> = {
  unverifiable: "The sign-in token could not be verified.",
  issued_in_future: "The sign-in token was issued in the future.",
  no_subject: "The sign-in token has no subject.",
  nonce_mismatch: "The sign-in token does not match this sign-in attempt.",
  no_email: "The sign-in token has no email address.",
  no_nonce: "The sign-in token is not bound to a sign-in attempt. Please sign in again.",
};

/**
 * Refusal codes of the identity area: an ID token or a sign-in that doesn't start a session (see ../refusals.ts).
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
  // ADR 012: a verified token signs in once, while fresh, and never from before "sign out everywhere".
  token_too_old: {
    status: 401,
    message: (r: { maxAgeMinutes: number }) => `The sign-in token is more than ${r.maxAgeMinutes} minutes old. Please sign in again.`,
  },
  token_already_used: { status: 401, message: "This sign-in token has already been used. Please sign in again." },
  token_revoked: { status: 401, message: "This sign-in token was issued before you signed out everywhere. Please sign in again." },
  // The server-side flow's callback (ADR 012): a state that isn't a live sign-in of this browser,
  // or a code Auth0 won't exchange for us, never starts a session.
  sign_in_state_invalid: {
    status: 400,
    message: "This sign-in can't be finished here: it was already used, or started in another browser. Please sign in again.",
  },
  sign_in_expired: {
    status: 400,
    message: (r: { ttlMinutes: number }) => `This sign-in took longer than ${r.ttlMinutes} minutes. Please sign in again.`,
  },
  sign_in_code_rejected: { status: 400, message: "The identity provider did not accept this sign-in. Please sign in again." },
  sign_in_unavailable: { status: 503, message: "The sign-in service could not be reached. Please try again in a moment." },
});
