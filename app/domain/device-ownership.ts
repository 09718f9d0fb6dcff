/**
 * Ownership rules for physical devices (docs/decisions/007-device-transfer.md). Pure: callers read
 * the facts, call a decision function, then write what it says in one D1 batch. The database's
 * unique indexes (one active ownership per device, one trial row per device) back every rule
 * here against races.
 */
import { CLOUD_TRIAL } from "./plans";
import { refuse, type Refusal } from "./result";
import { isLivePaidPlan } from "./subscription-status";

export { isLivePaidPlan };

/** The once-per-camera free trial's length (the catalogue's trial product says it). */
export const TRIAL_DAYS = CLOUD_TRIAL.durationDays;
export const TRANSFER_OFFER_TTL_HOURS = 72;
export const TRANSFER_OFFER_TTL_MS = TRANSFER_OFFER_TTL_HOURS * 60 * 60 * 1000;
/**
 * Activation code attempts (ADR 013: the arithmetic). Each attempt is reserved from every limit
 * before the code is compared and given back when the code was right, so only wrong codes use them
 * up, and a right code is never refused because of what other accounts or addresses did.
 * - per (serial, signed-in user) per 15 minutes;
 */
export const ACTIVATION_FAILURE_LIMIT = 5;
export const ACTIVATION_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** - per account, across all serials, per hour (guessing spread over sequential serials); */
export const ACTIVATION_ACCOUNT_FAILURE_LIMIT = 20;
export const ACTIVATION_ACCOUNT_WINDOW_MS = 60 * 60 * 1000;
/** - per client network (an IPv4 address, an IPv6 /64), across accounts, per hour (many throwaway accounts). */
export const ACTIVATION_CLIENT_FAILURE_LIMIT = 50;
export const ACTIVATION_CLIENT_WINDOW_MS = 60 * 60 * 1000;
/**
 * Wrong codes per serial from everyone in ACTIVATION_FAILURE_WINDOW_MS after which the serial is
 * logged as being guessed at. Never a limit: a per-serial lock let four throwaway accounts keep a
 * camera's real owner out (issue #11).
 */
export const ACTIVATION_SERIAL_ALERT_AFTER = 20;

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
  if (!f.codeValid) return refuse("invalid_activation_code");
  if (f.activeOwnerUserId === f.actorUserId) {
    // Idempotent repeat: nothing new, no extended trial, no reset of any paid period.
    return { ok: true, outcome: "repeat", trial: f.actorTrialActive ? "active" : "already_used" };
  }
  if (f.activeOwnerUserId !== null) {
    return refuse("device_already_owned");
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

export type OwnerVerb = "unbind" | "transfer";

export type OwnerActionDecision =
  { ok: true } | Refusal<"forbidden", { verb: OwnerVerb }> | Refusal<"active_subscription_requires_billing_portal", { verb: OwnerVerb }>;

function ownerAction(f: OwnerActionFacts, verb: OwnerVerb): OwnerActionDecision {
  if (f.activeOwnerUserId !== f.actorUserId) return refuse("forbidden", { verb });
  if (f.livePaidPlan) return refuse("active_subscription_requires_billing_portal", { verb });
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

export type TransferOfferDecision = OwnerActionDecision | Refusal<"cannot_transfer_to_self" | "transfer_already_pending">;

export function decideTransferOffer(f: TransferOfferFacts): TransferOfferDecision {
  const base = ownerAction(f, "transfer");
  if (!base.ok) return base;
  if (normalizeEmail(f.toEmail) === normalizeEmail(f.actorEmail)) return refuse("cannot_transfer_to_self");
  if (f.openOfferExists) return refuse("transfer_already_pending");
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

export type TransferAcceptDecision =
  | { ok: true }
  | Refusal<"transfer_expired", { markExpired: boolean }>
  | Refusal<"transfer_not_open", { offerStatus: TransferStatus }>
  | Refusal<"transfer_not_found" | "wrong_recipient" | "email_not_verified" | "owner_changed">
  | Refusal<"active_subscription_requires_billing_portal", { verb: "accept" }>;

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
  if (!t) return refuse("transfer_not_found");
  // A recipient who isn't the addressee learns nothing about the offer's state.
  if (normalizeEmail(t.toEmail) !== normalizeEmail(f.actorEmail)) {
    return refuse("wrong_recipient");
  }
  // Offers are addressed by email, so the address is the credential: anyone can sign up at the
  // provider with someone else's address, only its owner can verify it. Checked before the offer's
  // state, so an unverified account learns nothing about it either.
  if (!canReceiveTransfers({ emailVerified: f.actorEmailVerified })) return refuse("email_not_verified");
  if (t.status === "expired" || (t.status === "offered" && f.now >= t.expiresAt)) {
    return refuse("transfer_expired", { markExpired: t.status === "offered" });
  }
  if (t.status !== "offered") return refuse("transfer_not_open", { offerStatus: t.status });
  if (f.activeOwnerUserId !== t.fromUserId) return refuse("owner_changed");
  if (f.livePaidPlan) return refuse("active_subscription_requires_billing_portal", { verb: "accept" as const });
  return { ok: true };
}

export type TransferCancelDecision =
  { ok: true } | Refusal<"transfer_not_found", { asked: "cancel" }> | Refusal<"transfer_not_open", { offerStatus: TransferStatus }>;

export function decideTransferCancel(f: { transfer: TransferFacts | null; actorUserId: string }): TransferCancelDecision {
  // Someone else's offer and no offer look the same.
  if (!f.transfer || f.transfer.fromUserId !== f.actorUserId) return refuse("transfer_not_found", { asked: "cancel" as const });
  if (f.transfer.status !== "offered") return refuse("transfer_not_open", { offerStatus: f.transfer.status });
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

/** Whole days left, rounded up, never negative. */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / (24 * 60 * 60 * 1000)));
}

export function trialWindow(now: number): { startsAt: number; expiresAt: number } {
  return { startsAt: now, expiresAt: now + TRIAL_DAYS * 24 * 60 * 60 * 1000 };
}

/**
 * A camera has had its once-ever trial when the trial ledger (device_trials) has its row, or the
 * device row was marked when it was granted (devices.trial_used_at, kept for imported devices).
 */
export function trialUsed(f: { ledgerRow: boolean; trialUsedAt: number | null | undefined }): boolean {
  return f.ledgerRow || (f.trialUsedAt !== null && f.trialUsedAt !== undefined);
}
