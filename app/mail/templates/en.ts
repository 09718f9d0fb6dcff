/** English mail texts (ADR 019). Same keys as ./zh-CN.ts (test/unit/mail-templates.test.ts checks). */
import type { MailCatalogue } from "../types";

export const en: MailCatalogue = {
  payment_failed: (p, f) => ({
    subject: `Payment failed for your ${p.planName} plan`,
    paragraphs: [
      `We couldn't collect the payment for your AOVIS ${p.planName} plan.`,
      p.retryAt ? `We'll try again on ${f.date(p.retryAt)}. Update your card before then to keep your plan.` : "Update your card to keep your plan.",
    ],
    action: { label: "Update your card", url: p.manageUrl },
  }),
  transfer_offered: (p, f) => ({
    subject: `${p.fromEmail} is offering you the camera “${p.cameraName}”`,
    paragraphs: [
      `${p.fromEmail} wants to hand the AOVIS camera “${p.cameraName}” over to you.`,
      `The offer is open until ${f.date(p.expiresAt)}. Sign in with this address to accept it.`,
    ],
    action: { label: "Accept the camera", url: p.acceptUrl },
  }),
  transfer_accepted: (p) => ({
    subject: `Your camera “${p.cameraName}” was handed over`,
    paragraphs: [`${p.toEmail} accepted your offer: the camera “${p.cameraName}” is now theirs and no longer in your account.`],
    action: { label: "Your cameras", url: p.devicesUrl },
  }),
  trial_ending: (p, f) => ({
    subject: `The free trial of “${p.cameraName}” ends on ${f.date(p.endsAt)}`,
    paragraphs: [
      `The free cloud trial of your camera “${p.cameraName}” ends on ${f.date(p.endsAt)}.`,
      "Choose a plan to keep its cloud history; without one the camera keeps recording locally.",
    ],
    action: { label: "Choose a plan", url: p.plansUrl },
  }),
  subscription_cancelled: (p) => ({
    subject: `Your ${p.planName} plan has ended`,
    paragraphs: [`Your AOVIS ${p.planName} plan is cancelled and has ended. You can subscribe again at any time.`],
    action: { label: "Your services", url: p.servicesUrl },
  }),
  footer: "You get this mail because of your AOVIS Edge account.",
};
