import { describe, expect, it } from "vitest";
import { ACTIVATION_CODE_ALPHABET, ACTIVATION_CODE_BITS, ACTIVATION_CODE_LENGTH, generateActivationCode } from "~/domain/activation-code";
import {
  ACTIVATION_ACCOUNT_FAILURE_LIMIT,
  ACTIVATION_ACCOUNT_WINDOW_MS,
  ACTIVATION_CLIENT_FAILURE_LIMIT,
  ACTIVATION_CLIENT_WINDOW_MS,
  ACTIVATION_FAILURE_LIMIT,
  ACTIVATION_FAILURE_WINDOW_MS,
  canReceiveTransfers,
  daysLeft,
  decideActivation,
  decideTransferAccept,
  decideTransferCancel,
  decideTransferOffer,
  decideUnbind,
  isLivePaidPlan,
  normalizeEmail,
  TRANSFER_OFFER_TTL_MS,
  trialWindow,
} from "~/domain/device-ownership";
import { refusalMessage, refusalStatus } from "~/http/refusals";

/** A decision as the API answers it: its refusal code's HTTP status and sentence (app/http/refusals). */
const asHttp = <D extends { ok: boolean }>(d: D) => (d.ok ? d : { ...d, status: refusalStatus(d as never), message: refusalMessage(d as never) });

const base = { actorUserId: "a", codeValid: true, activeOwnerUserId: null as string | null, trialUsed: false, actorTrialActive: false };

describe("decideActivation", () => {
  it("a wrong code is refused before ownership is considered (unknown serial looks the same)", () => {
    for (const owner of [null, "a", "b"]) {
      const d = decideActivation({ ...base, codeValid: false, activeOwnerUserId: owner });
      expect(asHttp(d)).toMatchObject({ ok: false, error: "invalid_activation_code", status: 403 });
    }
  });
  it("first activation of a never-trialled device grants the trial", () => {
    expect(decideActivation(base)).toEqual({ ok: true, outcome: "activate", grantTrial: true, trial: "granted" });
  });
  it("activation of a device whose trial was used grants nothing", () => {
    expect(decideActivation({ ...base, trialUsed: true })).toEqual({ ok: true, outcome: "activate", grantTrial: false, trial: "already_used" });
  });
  it("the owner activating again is a repeat, reporting the trial as active or used", () => {
    expect(decideActivation({ ...base, activeOwnerUserId: "a", trialUsed: true, actorTrialActive: true })).toEqual({
      ok: true,
      outcome: "repeat",
      trial: "active",
    });
    expect(decideActivation({ ...base, activeOwnerUserId: "a", trialUsed: true, actorTrialActive: false })).toEqual({
      ok: true,
      outcome: "repeat",
      trial: "already_used",
    });
  });
  it("another owner → 409 device_already_owned", () => {
    expect(asHttp(decideActivation({ ...base, activeOwnerUserId: "b" }))).toMatchObject({ ok: false, error: "device_already_owned", status: 409 });
  });
  it("never grants a trial when the device's trial is used, whatever else is true", () => {
    for (const owner of [null, "a", "b"])
      for (const active of [true, false]) {
        const d = decideActivation({ ...base, trialUsed: true, activeOwnerUserId: owner, actorTrialActive: active });
        expect(d.ok && d.outcome === "activate" && d.grantTrial).toBeFalsy();
      }
  });
});

describe("decideUnbind", () => {
  it("owner without a paid plan may unbind", () => {
    expect(decideUnbind({ actorUserId: "a", activeOwnerUserId: "a", livePaidPlan: false })).toEqual({ ok: true });
  });
  it("non-owner (or nobody owns it) → 403 forbidden, even with a paid plan", () => {
    for (const owner of ["b", null])
      for (const paid of [true, false]) {
        expect(asHttp(decideUnbind({ actorUserId: "a", activeOwnerUserId: owner, livePaidPlan: paid }))).toMatchObject({
          ok: false,
          error: "forbidden",
          status: 403,
        });
      }
  });
  it("a live paid plan sends the owner to the billing portal", () => {
    expect(asHttp(decideUnbind({ actorUserId: "a", activeOwnerUserId: "a", livePaidPlan: true }))).toMatchObject({
      ok: false,
      error: "active_subscription_requires_billing_portal",
      status: 409,
    });
  });
});

describe("decideTransferOffer", () => {
  const f = { actorUserId: "a", actorEmail: "a@example.com", activeOwnerUserId: "a", livePaidPlan: false, toEmail: "b@example.com", openOfferExists: false };
  it("ok for the owner", () => expect(decideTransferOffer(f)).toEqual({ ok: true }));
  it("refuses non-owners, paid plans, self-transfer (case-insensitive) and a second open offer", () => {
    expect(decideTransferOffer({ ...f, activeOwnerUserId: "b" })).toMatchObject({ error: "forbidden" });
    expect(decideTransferOffer({ ...f, livePaidPlan: true })).toMatchObject({ error: "active_subscription_requires_billing_portal" });
    expect(asHttp(decideTransferOffer({ ...f, toEmail: " A@Example.com " }))).toMatchObject({ error: "cannot_transfer_to_self", status: 400 });
    expect(asHttp(decideTransferOffer({ ...f, openOfferExists: true }))).toMatchObject({ error: "transfer_already_pending", status: 409 });
  });
});

describe("decideTransferAccept", () => {
  const now = 1_800_000_000_000;
  const t = { status: "offered" as const, expiresAt: now + 1000, toEmail: "b@example.com", fromUserId: "a" };
  const f = { transfer: t, actorUserId: "b", actorEmail: "B@example.com", actorEmailVerified: true, activeOwnerUserId: "a", livePaidPlan: false, now };
  it("ok for the addressee while open", () => expect(decideTransferAccept(f)).toEqual({ ok: true }));
  it("unknown token → 404", () => expect(asHttp(decideTransferAccept({ ...f, transfer: null }))).toMatchObject({ error: "transfer_not_found", status: 404 }));
  it("someone else → 403 wrong_recipient, whatever the offer's state", () => {
    for (const status of ["offered", "accepted", "cancelled", "expired"] as const) {
      expect(asHttp(decideTransferAccept({ ...f, actorEmail: "c@example.com", transfer: { ...t, status } }))).toMatchObject({
        error: "wrong_recipient",
        status: 403,
      });
    }
  });
  it("past its expiry → 410, and asks to mark it expired once", () => {
    expect(asHttp(decideTransferAccept({ ...f, now: t.expiresAt }))).toMatchObject({ error: "transfer_expired", status: 410, markExpired: true });
    expect(decideTransferAccept({ ...f, transfer: { ...t, status: "expired" } })).toMatchObject({ error: "transfer_expired", markExpired: false });
  });
  it("accepted or cancelled → 409 transfer_not_open", () => {
    for (const status of ["accepted", "cancelled"] as const)
      expect(asHttp(decideTransferAccept({ ...f, transfer: { ...t, status } }))).toMatchObject({ error: "transfer_not_open", status: 409 });
  });
  it("the sender no longer owns it → 409 owner_changed", () => {
    for (const owner of [null, "c"]) expect(decideTransferAccept({ ...f, activeOwnerUserId: owner })).toMatchObject({ error: "owner_changed" });
  });
  it("a paid plan appeared meanwhile → 409 billing portal", () => {
    expect(decideTransferAccept({ ...f, livePaidPlan: true })).toMatchObject({ error: "active_subscription_requires_billing_portal" });
  });
  it("the addressee with an unverified email → 403 email_not_verified, whatever the offer's state (learns nothing about it)", () => {
    for (const status of ["offered", "accepted", "cancelled", "expired"] as const) {
      for (const extra of [{}, { now: t.expiresAt + 1 }, { activeOwnerUserId: "c" }, { livePaidPlan: true }]) {
        const d = decideTransferAccept({ ...f, ...extra, actorEmailVerified: false, transfer: { ...t, status } });
        expect(asHttp(d)).toMatchObject({ ok: false, error: "email_not_verified", status: 403 });
        expect(!d.ok && refusalMessage(d)).toMatch(/verify it with your sign-in provider/);
      }
    }
  });
  it("someone else with an unverified email is still just the wrong recipient", () => {
    expect(decideTransferAccept({ ...f, actorEmail: "c@example.com", actorEmailVerified: false })).toMatchObject({ error: "wrong_recipient" });
  });
});

describe("canReceiveTransfers", () => {
  it("only a verified address sees and accepts offers made to it", () => {
    expect(canReceiveTransfers({ emailVerified: true })).toBe(true);
    expect(canReceiveTransfers({ emailVerified: false })).toBe(false);
  });
});

describe("activation limits", () => {
  // Was "5 attempts per (serial, user), 20 wrong codes per serial": the per-serial limit let four
  // throwaway accounts lock a camera out for its owner (issue #11); there is no per-serial limit now.
  it("5 wrong codes per (serial, account) per 15 min, 20 per account and 50 per client network per hour", () => {
    expect([ACTIVATION_FAILURE_LIMIT, ACTIVATION_FAILURE_WINDOW_MS]).toEqual([5, 15 * 60_000]);
    expect([ACTIVATION_ACCOUNT_FAILURE_LIMIT, ACTIVATION_ACCOUNT_WINDOW_MS]).toEqual([20, 60 * 60_000]);
    expect([ACTIVATION_CLIENT_FAILURE_LIMIT, ACTIVATION_CLIENT_WINDOW_MS]).toEqual([50, 60 * 60_000]);
  });

  it("codes are 80 random bits, uniformly drawn", () => {
    expect(ACTIVATION_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(ACTIVATION_CODE_ALPHABET).size).toBe(32);
    expect(256 % ACTIVATION_CODE_ALPHABET.length).toBe(0); // byte % 32 has no modulo bias
    expect(ACTIVATION_CODE_BITS).toBe(80);
    const codes = Array.from({ length: 200 }, generateActivationCode);
    for (const c of codes) expect(c).toMatch(new RegExp(`^([${ACTIVATION_CODE_ALPHABET}]{4}-){3}[${ACTIVATION_CODE_ALPHABET}]{4}$`));
    expect(codes.every((c) => c.replace(/-/g, "").length === ACTIVATION_CODE_LENGTH)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("ADR 013's arithmetic: a million accounts on a million networks expect a hit after more than 10^12 years", () => {
    const perHour = (accounts: number, networks: number) =>
      Math.min(
        accounts * ACTIVATION_ACCOUNT_FAILURE_LIMIT * (3_600_000 / ACTIVATION_ACCOUNT_WINDOW_MS),
        networks * ACTIVATION_CLIENT_FAILURE_LIMIT * (3_600_000 / ACTIVATION_CLIENT_WINDOW_MS),
      );
    const yearsToHit = (accounts: number, networks: number) => 2 ** ACTIVATION_CODE_BITS / 2 / perHour(accounts, networks) / (24 * 365.25);
    expect(perHour(4, 1)).toBe(50); // the four throwaway accounts on one address
    expect(yearsToHit(4, 1)).toBeGreaterThan(1e18);
    expect(perHour(1e6, 1e6)).toBe(2e7);
    expect(yearsToHit(1e6, 1e6)).toBeGreaterThan(1e12);
  });
});

describe("decideTransferCancel", () => {
  const t = { status: "offered" as const, expiresAt: 0, toEmail: "b@example.com", fromUserId: "a" };
  it("only the sender, only while open", () => {
    expect(decideTransferCancel({ transfer: t, actorUserId: "a" })).toEqual({ ok: true });
    expect(asHttp(decideTransferCancel({ transfer: t, actorUserId: "b" }))).toMatchObject({ error: "transfer_not_found", status: 404 });
    expect(decideTransferCancel({ transfer: null, actorUserId: "a" })).toMatchObject({ error: "transfer_not_found" });
    expect(decideTransferCancel({ transfer: { ...t, status: "accepted" }, actorUserId: "a" })).toMatchObject({ error: "transfer_not_open" });
  });
});

describe("helpers", () => {
  it("live paid plans are Stripe subscriptions not yet ended", () => {
    expect(isLivePaidPlan({ source: "stripe", status: "ACTIVE" })).toBe(true);
    expect(isLivePaidPlan({ source: "stripe", status: "INACTIVE" })).toBe(true);
    expect(isLivePaidPlan({ source: "stripe", status: "CANCELLED" })).toBe(false);
    expect(isLivePaidPlan({ source: "trial", status: "ACTIVE" })).toBe(false);
  });
  it("days left round up and never go negative; the trial is 30 days; offers last 72 h", () => {
    const day = 86_400_000;
    expect(daysLeft(30 * day, 0)).toBe(30);
    expect(daysLeft(29 * day + 1, 0)).toBe(30);
    expect(daysLeft(0, 5)).toBe(0);
    expect(trialWindow(1000)).toEqual({ startsAt: 1000, expiresAt: 1000 + 30 * day });
    expect(TRANSFER_OFFER_TTL_MS).toBe(72 * 3600_000);
    expect(normalizeEmail("  Bob@Example.COM ")).toBe("bob@example.com");
  });
});
