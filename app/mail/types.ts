/**
 * What each mail says, as data (ADR 019): the outbox row's payload per kind, and the shape every
 * language's catalogue (./templates/<locale>.ts) fills in. Rendering to text and HTML is ./render.ts.
 */
import type { MailKind } from "~/domain/mail-policy";

export interface MailPayloads {
  payment_failed: { planName: string; retryAt: number | null; manageUrl: string };
  transfer_offered: { cameraName: string; fromEmail: string; acceptUrl: string; expiresAt: number };
  transfer_accepted: { cameraName: string; toEmail: string; devicesUrl: string };
  trial_ending: { cameraName: string; endsAt: number; plansUrl: string };
  subscription_cancelled: { planName: string; servicesUrl: string };
}

/** One mail before layout: its subject, its paragraphs and at most one button (a link in text). */
export interface MailContent {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}

/** Locale-bound formatting the templates use (dates in the recipient's time zone). */
export interface MailFormat {
  date(ms: number): string;
}

export type MailCatalogue = {
  [K in MailKind]: (p: MailPayloads[K], f: MailFormat) => MailContent;
} & {
  /** The line under every mail: why they got it. */
  footer: string;
};
