import type { OwnerVerb, TransferStatus } from "~/domain/device-ownership";
import { defineRefusals } from "./spec";

export const EMAIL_NOT_VERIFIED_MESSAGE =
  "Your email address is not verified yet. Please verify it with your sign-in provider (follow the link in the verification email it sent you), then sign in again to see and accept camera transfers.";

/** Refusal codes of devices: activation, unbind, transfers (see ../refusals.ts). */
export const DEVICE_REFUSALS = defineRefusals({
  invalid_activation_code: { status: 403, message: "That serial number and activation code don't match a camera." },
  device_already_owned: { status: 409, message: "This camera belongs to another account. Its owner must unbind it or transfer it to you." },
  active_subscription_requires_billing_portal: {
    status: 409,
    message: (r: { verb: OwnerVerb | "accept" }) =>
      r.verb === "accept"
        ? "The camera has a paid cloud plan; its owner must cancel it before the transfer can complete."
        : `This camera has a paid cloud plan. Cancel it in the billing portal first, then ${r.verb} the camera.`,
    expose: ["billingPortalUrl"],
  },
  ownership_changed: {
    status: 409,
    message:
      "This camera's ownership changed while it was being removed (it was already removed or transferred, or a paid plan started). Reload the page to see where it stands.",
  },
  cannot_transfer_to_self: { status: 400, message: "You already own this camera." },
  transfer_already_pending: {
    status: 409,
    message: (r: { raced?: boolean }) =>
      r.raced ? "There is already an open transfer offer for this camera." : "There is already an open transfer offer for this camera. Cancel it first.",
  },
  transfer_not_found: {
    status: 404,
    message: (r: { asked?: "cancel" }) => (r.asked === "cancel" ? "No such transfer offer." : "This transfer link is not valid."),
  },
  wrong_recipient: { status: 403, message: "This transfer was offered to a different email address. Sign in with that address to accept it." },
  email_not_verified: { status: 403, message: EMAIL_NOT_VERIFIED_MESSAGE },
  transfer_expired: { status: 410, message: "This transfer offer has expired. Ask the owner to send a new one." },
  transfer_not_open: {
    status: 409,
    message: (r: { offerStatus?: TransferStatus; changedSinceRead?: boolean; raced?: boolean }) =>
      r.changedSinceRead
        ? "This transfer offer changed while you were accepting it (it was cancelled or has expired, or the camera's owner or plan changed). Reload the page to see where it stands."
        : r.raced
          ? "This transfer offer was already accepted."
          : r.offerStatus
            ? `This transfer offer was already ${r.offerStatus}.`
            : "This transfer offer was already accepted, cancelled or expired.",
  },
  owner_changed: { status: 409, message: "The camera is no longer owned by the person who offered it." },
});
