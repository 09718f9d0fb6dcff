/**
 * When a transactional mail is due, in which language, and how sending is retried (ADR 019). Pure:
 * models read the facts, ask here, and write the outbox row in the batch of the change itself.
 */
import { DAY_MS } from "./cloud-access-window";
import { LANGUAGES, languageFromAcceptLanguage, type Language } from "./language";

export const MAIL_KINDS = ["payment_failed", "transfer_offered", "transfer_accepted", "trial_ending", "subscription_cancelled"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** The languages mails are written in: the pages' languages (ADR 028). */
export const MAIL_LOCALES = LANGUAGES;
export type MailLocale = Language;
export const DEFAULT_MAIL_LOCALE: MailLocale = "en";

/** The trial-ending notice goes out this many days before the trial's end. */
export const TRIAL_ENDING_NOTICE_DAYS = 3;
export const TRIAL_ENDING_NOTICE_MS = TRIAL_ENDING_NOTICE_DAYS * DAY_MS;

/** Sends per outbox row before it is given up (status failed, logged as an error for an operator). */
export const MAIL_MAX_ATTEMPTS = 8;
/** The first retry's delay; each later one doubles it, up to MAIL_RETRY_MAX_DELAY_MS. */
export const MAIL_RETRY_BASE_DELAY_MS = 10 * 60 * 1000;
export const MAIL_RETRY_MAX_DELAY_MS = 12 * 60 * 60 * 1000;

/**
 * How long after its `attempts`-th attempt (1-based) a row may be tried again. Also the lease a
 * claim takes: a sender that dies mid-send leaves the row for the next cron after this delay.
 * 10 min, 20, 40, 80… capped at 12 h: eight attempts span about a day and a half, inside which
 * the provider's 24 h idempotency window covers any two attempts close enough to both deliver.
 */
export function mailRetryDelayMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(MAIL_RETRY_BASE_DELAY_MS * 2 ** (n - 1), MAIL_RETRY_MAX_DELAY_MS);
}

/** After a failed attempt: try again later, or give up. */
export function afterFailedAttempt(attempts: number, now: number): { status: "pending"; nextAttemptAt: number } | { status: "failed" } {
  return attempts >= MAIL_MAX_ATTEMPTS ? { status: "failed" } : { status: "pending", nextAttemptAt: now + mailRetryDelayMs(attempts) };
}

/**
 * The mail language for an Accept-Language header: the same rule as the pages' (./language.ts,
 * ADR 028). null when no tag names a language we write (the stored locale, if any, stays).
 */
export function mailLocaleFromAcceptLanguage(header: string | null | undefined): MailLocale | null {
  return languageFromAcceptLanguage(header)?.language ?? null;
}

export function asMailLocale(stored: string | null | undefined): MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(stored ?? "") ? (stored as MailLocale) : DEFAULT_MAIL_LOCALE;
}

/**
 * A payment-failed mail for an `invoice.payment_failed` event, unless the subscription as just
 * re-read from Stripe is already collected again (a late event must not ask to fix a fixed card).
 */
export function paymentFailedMailDue(eventType: string, stripeStatus: string | null): boolean {
  return eventType === "invoice.payment_failed" && stripeStatus !== "active" && stripeStatus !== "trialing" && stripeStatus !== "canceled";
}

/** A cancellation mail once the subscription has ended (local status CANCELLED), whichever event said so. */
export function cancellationMailDue(localStatus: string): boolean {
  return localStatus === "CANCELLED";
}

/**
 * The trial-ending notice is due from TRIAL_ENDING_NOTICE_DAYS before the trial's end until it ends,
 * while no paid plan is live on the camera (whoever bought one already knows what happens next).
 * The hourly cron asks this of every live trial; the outbox's unique index sends it once per trial.
 */
export function trialEndingNoticeDue(f: { trialEndsAt: number; livePaidPlan: boolean }, now: number): boolean {
  return !f.livePaidPlan && f.trialEndsAt > now && f.trialEndsAt - now <= TRIAL_ENDING_NOTICE_MS;
}
