import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/domain/cloud-access-window";
import {
  afterFailedAttempt,
  MAIL_KINDS,
  MAIL_LOCALES,
  MAIL_MAX_ATTEMPTS,
  mailLocaleFromAcceptLanguage,
  mailRetryDelayMs,
  paymentFailedMailDue,
  trialEndingNoticeDue,
} from "~/domain/mail-policy";
import { MAIL_CATALOGUES, renderMail } from "~/mail/render";
import type { MailPayloads } from "~/mail/types";

const samples: MailPayloads = {
  payment_failed: { planName: "Standard", retryAt: Date.UTC(2026, 11, 9), manageUrl: "https://a.example/account/services" },
  transfer_offered: {
    cameraName: "Porch <b>",
    fromEmail: "a@example.com",
    acceptUrl: "https://a.example/account/devices?transfer=t&x=1",
    expiresAt: Date.UTC(2026, 11, 5),
  },
  transfer_accepted: { cameraName: "Porch", toEmail: "b@example.com", devicesUrl: "https://a.example/account/devices" },
  trial_ending: { cameraName: "Porch", endsAt: Date.UTC(2026, 11, 5), plansUrl: "https://a.example/account/devices/d1" },
  subscription_cancelled: { planName: "Premium", servicesUrl: "https://a.example/account/services" },
};

describe("mail catalogues", () => {
  it("every language has exactly the same keys, and a text for every mail kind", () => {
    const keys = (l: string) => Object.keys(MAIL_CATALOGUES[l as keyof typeof MAIL_CATALOGUES]).sort();
    for (const locale of MAIL_LOCALES) {
      expect(keys(locale), locale).toEqual(keys("en"));
      for (const kind of MAIL_KINDS) expect(typeof MAIL_CATALOGUES[locale][kind], `${locale}.${kind}`).toBe("function");
    }
  });

  it("renders every kind in every language with its link, facts escaped in HTML", () => {
    for (const locale of MAIL_LOCALES) {
      for (const kind of MAIL_KINDS) {
        const m = renderMail(kind, samples[kind] as never, { locale, timeZone: "UTC" });
        expect(m.subject.length, `${locale}.${kind}`).toBeGreaterThan(0);
        const url = Object.entries(samples[kind]).find(([k]) => k.endsWith("Url"))![1] as string;
        expect(m.text).toContain(url);
        expect(m.html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
        expect(m.html).not.toContain("<b>");
      }
    }
    expect(renderMail("trial_ending", samples.trial_ending, { locale: "zh-CN" }).subject).toContain("2026年12月5日");
    expect(renderMail("trial_ending", samples.trial_ending, { locale: "en" }).subject).toContain("Dec 5, 2026");
  });
});

describe("mail policy", () => {
  it("picks the mail language from Accept-Language by q, Simplified Chinese as zh-CN", () => {
    expect(mailLocaleFromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(mailLocaleFromAcceptLanguage("zh-Hans-CN")).toBe("zh-CN");
    expect(mailLocaleFromAcceptLanguage("en;q=0.5, zh;q=0.9")).toBe("zh-CN");
    expect(mailLocaleFromAcceptLanguage("zh-TW, en-GB;q=0.7")).toBe("en");
    expect(mailLocaleFromAcceptLanguage("de-DE")).toBeNull();
    expect(mailLocaleFromAcceptLanguage(null)).toBeNull();
  });

  it("retries back off and give up after MAIL_MAX_ATTEMPTS", () => {
    expect(mailRetryDelayMs(1)).toBe(10 * 60 * 1000);
    expect(mailRetryDelayMs(2)).toBe(20 * 60 * 1000);
    expect(mailRetryDelayMs(30)).toBe(12 * 60 * 60 * 1000);
    expect(afterFailedAttempt(1, 0)).toEqual({ status: "pending", nextAttemptAt: 10 * 60 * 1000 });
    expect(afterFailedAttempt(MAIL_MAX_ATTEMPTS, 0)).toEqual({ status: "failed" });
  });

  it("a trial's notice is due in its last 3 days, not with a paid plan; a payment-failed mail not once collected", () => {
    const end = 100 * DAY_MS;
    expect(trialEndingNoticeDue({ trialEndsAt: end, livePaidPlan: false }, end - 3 * DAY_MS - 1)).toBe(false);
    expect(trialEndingNoticeDue({ trialEndsAt: end, livePaidPlan: false }, end - 3 * DAY_MS)).toBe(true);
    expect(trialEndingNoticeDue({ trialEndsAt: end, livePaidPlan: true }, end - DAY_MS)).toBe(false);
    expect(trialEndingNoticeDue({ trialEndsAt: end, livePaidPlan: false }, end)).toBe(false);
    expect(paymentFailedMailDue("invoice.payment_failed", "past_due")).toBe(true);
    expect(paymentFailedMailDue("invoice.payment_failed", "active")).toBe(false);
    expect(paymentFailedMailDue("invoice.paid", "past_due")).toBe(false);
  });
});
