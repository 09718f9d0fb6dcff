/**
 * Ownership rules for physical devices (docs/decisions/007-device-transfer.md). Pure: callers read
 * the facts, call a decision function, then write what it says in one D1 batch. The database's
 * unique indexes (one active ownership per device, one trial row per device) back every rule
 * here against races.
 */

export const TRIAL_DAYS = 30;
export const TRANSFER_OFFER_TTL_MS = 72 * 60 * 60 * 1000;
/**
 * Activation code attempts per (serial, signed-in user) per window: each attempt is reserved before
 * the code is compared and given back when the code was right, so only wrong codes use it up.
 */
export const ACTIVATION_FAILURE_LIMIT = 5;
/**
 * Wrong codes per serial per window from all users together. Higher than the per-user limit, so one
 * person can't lock a (sequential, guessable) serial out for its real owner on their own.
 */
export const ACTIVATION_SERIAL_FAILURE_LIMIT = 20;
export const ACTIVATION_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export type Refusal<E extends string> = { ok: false; error: E; status: number; message: string };

const refuse = <E extends string>(error: E, status: number, message: string): Refusal<E> => ({ ok: false, error, status, message });

// ---------------------------------------------------------------------------------------------
// Activation

export interface ActivationFacts {
  actorUserId: string;
  /** False when the serial is unknown or the code's keyed hash doesn't match. */
  codeValid: boolean;
  activeOwnerUserId: string | null;
  /** The device has had its trial (device_trials row / devices.trial_used_at). */
  trialUsed: boolean;
  /** The actor currently holds an ACTIVE, unexpired trial entitlement on this device. */
  actorTrialActive: boolean;
}

export type ActivationDecision =
  | Refusal<"invalid_activation_code" | "device_already_owned">
  | { ok: true; outcome: "repeat"; trial: "active" | "already_used" }
  | { ok: true; outcome: "activate"; grantTrial: boolean; trial: "granted" | "already_used" };

export function decideActivation(f: ActivationFacts): ActivationDecision {
  // The code is checked before anything about ownership is revealed; an unknown serial looks the
  // same as a wrong code, so the endpoint can't be used to find which serials exist.
  if (!f.codeValid) return refuse("invalid_activation_code", 403, "That serial number and activation code don't match a camera.");
  if (f.activeOwnerUserId === f.actorUserId) {
    // Idempotent repeat: nothing new, no extended trial, no reset of any paid period.
    return { ok: true, outcome: "repeat", trial: f.actorTrialActive ? "active" : "already_used" };
  }
  if (f.activeOwnerUserId !== null) {
    return refuse("device_already_owned", 409, "This camera belongs to another account. Its owner must unbind it or transfer it to you.");
  }
  return f.trialUsed
    ? { ok: true, outcome: "activate", grantTrial: false, trial: "already_used" }
    : { ok: true, outcome: "activate", grantTrial: true, trial: "granted" };
}

// ---------------------------------------------------------------------------------------------
// Unbind and transfer offers

export interface OwnerActionFacts {
  actorUserId: string;
  activeOwnerUserId: string | null;
  /** A Stripe cloud subscription on this device that has not ended (see hasLivePaidPlan). */
  livePaidPlan: boolean;
}

export type OwnerActionDecision = { ok: true } | Refusal<"forbidden" | "active_subscription_requires_billing_portal">;

function ownerAction(f: OwnerActionFacts, verb: string): OwnerActionDecision {
  if (f.activeOwnerUserId !== f.actorUserId) return refuse("forbidden", 403, `Only the camera's owner can ${verb} it.`);
  if (f.livePaidPlan) {
    return refuse(
      "active_subscription_requires_billing_portal",
      409,
      `This camera has a paid cloud plan. Cancel it in the billing portal first, then ${verb} the camera.`,
    );
  }
  return { ok: true };
}

export function decideUnbind(f: OwnerActionFacts): OwnerActionDecision {
  return ownerAction(f, "unbind");
}

export interface TransferOfferFacts extends OwnerActionFacts {
  actorEmail: string;
  toEmail: string;
  openOfferExists: boolean;
}

export type TransferOfferDecision = { ok: true } | Refusal<"forbidden" | "active_subscription_requires_billing_portal" | "cannot_transfer_to_self" | "transfer_already_pending">;

export function decideTransferOffer(f: TransferOfferFacts): TransferOfferDecision {
  const base = ownerAction(f, "transfer");
  if (!base.ok) return base;
  if (normalizeEmail(f.toEmail) === normalizeEmail(f.actorEmail)) return refuse("cannot_transfer_to_self", 400, "You already own this camera.");
  if (f.openOfferExists) return refuse("transfer_already_pending", 409, "There is already an open transfer offer for this camera. Cancel it first.");
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Accepting and cancelling offers

export type TransferStatus = "offered" | "accepted" | "cancelled" | "expired";

export interface TransferFacts {
  status: TransferStatus;
  expiresAt: number;
  toEmail: string;
  fromUserId: string;
}

export const EMAIL_NOT_VERIFIED_MESSAGE =
  "Your email address is not verified yet. Please verify it with your sign-in provider (follow the link in the verification email it sent you), then sign in again to see and accept camera transfers.";

export type TransferAcceptDecision =
  | { ok: true }
  | { ok: false; error: "transfer_expired"; status: 410; message: string; markExpired: boolean }
  | Refusal<"transfer_not_found" | "transfer_not_open" | "wrong_recipient" | "email_not_verified" | "owner_changed" | "active_subscription_requires_billing_portal">;

export function decideTransferAccept(f: {
  transfer: TransferFacts | null;
  actorUserId: string;
  actorEmail: string;
  /** The identity provider's email_verified at the actor's last sign-in. */
  actorEmailVerified: boolean;
  activeOwnerUserId: string | null;
  livePaidPlan: boolean;
  now: number;
}): TransferAcceptDecision {
  const t = f.transfer;
  if (!t) return refuse("transfer_not_found", 404, "This transfer link is not valid.");
  // A recipient who isn't the addressee learns nothing about the offer's state.
  if (normalizeEmail(t.toEmail) !== normalizeEmail(f.actorEmail)) {
    return refuse("wrong_recipient", 403, "This transfer was offered to a different email address. Sign in with that address to accept it.");
  }
  // Offers are addressed by email, so the address is the credential: anyone can sign up at the
  // provider with someone else's address, only its owner can verify it. Checked before the offer's
  // state, so an unverified account learns nothing about it either.
  if (!canReceiveTransfers({ emailVerified: f.actorEmailVerified })) return refuse("email_not_verified", 403, EMAIL_NOT_VERIFIED_MESSAGE);
  if (t.status === "expired" || (t.status === "offered" && f.now >= t.expiresAt)) {
    return { ok: false, error: "transfer_expired", status: 410, message: "This transfer offer has expired. Ask the owner to send a new one.", markExpired: t.status === "offered" };
  }
  if (t.status !== "offered") return refuse("transfer_not_open", 409, `This transfer offer was already ${t.status}.`);
  if (f.activeOwnerUserId !== t.fromUserId) return refuse("owner_changed", 409, "The camera is no longer owned by the person who offered it.");
  if (f.livePaidPlan) {
    return refuse("active_subscription_requires_billing_portal", 409, "The camera has a paid cloud plan; its owner must cancel it before the transfer can complete.");
  }
  return { ok: true };
}

export type TransferCancelDecision = { ok: true } | Refusal<"forbidden" | "transfer_not_open" | "transfer_not_found">;

export function decideTransferCancel(f: { transfer: TransferFacts | null; actorUserId: string }): TransferCancelDecision {
  if (!f.transfer || f.transfer.fromUserId !== f.actorUserId) return refuse("transfer_not_found", 404, "No such transfer offer.");
  if (f.transfer.status !== "offered") return refuse("transfer_not_open", 409, `This transfer offer was already ${f.transfer.status}.`);
  return { ok: true };
}

/** Offers addressed to a user's email are shown to, and accepted by, a verified address only. */
export function canReceiveTransfers(user: { emailVerified: boolean }): boolean {
  return user.emailVerified === true;
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A Stripe subscription blocks ownership changes until Stripe says it has ended. */
export function isLivePaidPlan(sub: { source: string; status: string }): boolean {
  return sub.source === "stripe" && (sub.status === "ACTIVE" || sub.status === "INACTIVE");
}

/** Whole days left, rounded up, never negative. */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / (24 * 60 * 60 * 1000)));
}

export function trialWindow(now: number): { startsAt: number; expiresAt: number } {
  return { startsAt: now, expiresAt: now + TRIAL_DAYS * 24 * 60 * 60 * 1000 };
}
