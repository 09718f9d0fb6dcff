import { describe, expect, it } from "vitest";
import { mailResendable, parseOpsQuery, stripeDashboardUrl, transferEndable } from "~/domain/ops-view";

describe("support view rules (ADR 025)", () => {
  it("reads a search as a customer e-mail or a camera serial", () => {
    expect(parseOpsQuery(" Demo@Example.com ")).toEqual({ kind: "email", email: "demo@example.com" });
    expect(parseOpsQuery("n4k-000099")).toEqual({ kind: "serial", serial: "N4K-000099" });
    expect(parseOpsQuery("")).toBeNull();
    expect(parseOpsQuery("not an@email")).toBeNull();
    expect(parseOpsQuery("<script>")).toBeNull();
    expect(parseOpsQuery("a".repeat(300))).toBeNull();
  });

  it("links the Stripe Dashboard in the key's mode", () => {
    expect(stripeDashboardUrl("customer", "cus_1", "sk_test_x")).toBe("https://dashboard.stripe.com/test/customers/cus_1");
    expect(stripeDashboardUrl("subscription", "sub_1", "sk_live_x")).toBe("https://dashboard.stripe.com/subscriptions/sub_1");
    expect(stripeDashboardUrl("subscription", "sub_1", "rk_test_x")).toBe("https://dashboard.stripe.com/test/subscriptions/sub_1");
  });

  it("sends again only a mail still pending with its content; ends only open offers", () => {
    expect(mailResendable({ status: "pending", payload: "{}" })).toBe(true);
    expect(mailResendable({ status: "sent", payload: null })).toBe(false);
    expect(mailResendable({ status: "failed", payload: null })).toBe(false);
    expect(mailResendable({ status: "pending", payload: null })).toBe(false);
    expect(transferEndable({ status: "offered" })).toBe(true);
    for (const s of ["accepted", "cancelled", "expired"]) expect(transferEndable({ status: s })).toBe(false);
  });
});
