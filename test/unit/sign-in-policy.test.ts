import { describe, expect, it } from "vitest";
import { ID_TOKEN_MAX_AGE_MS, issuedBeforeSignOutEverywhere, judgeSignInToken, nonceRecordExpiresAt, revokingValidAfter } from "~/domain/sign-in-policy";
import { refusalStatus } from "~/http/refusals";

const t0 = 1_800_000_000_000;
const iat = t0 / 1000;

describe("judgeSignInToken", () => {
  it("accepts a fresh token with a nonce, up to the maximum age", () => {
    expect(judgeSignInToken({ iat, nonce: "n" }, t0)).toEqual({ ok: true });
    expect(judgeSignInToken({ iat, nonce: "n" }, t0 + ID_TOKEN_MAX_AGE_MS)).toEqual({ ok: true });
  });
  it("refuses an older token and one without a nonce (401 each)", () => {
    const old = judgeSignInToken({ iat, nonce: "n" }, t0 + ID_TOKEN_MAX_AGE_MS + 1);
    expect(old).toEqual({ ok: false, error: "token_too_old", maxAgeMinutes: ID_TOKEN_MAX_AGE_MS / 60_000 });
    const bare = judgeSignInToken({ iat, nonce: null }, t0);
    expect(bare).toEqual({ ok: false, error: "invalid_token", problem: "no_nonce" });
    expect(refusalStatus(old as { error: string })).toBe(401);
    expect(refusalStatus(bare as { error: string })).toBe(401);
  });
});

describe("sign out everywhere and token issue times (second resolution)", () => {
  it("revokes tokens issued in an earlier second, not one issued in the same second or later", () => {
    const signedOutAt = t0 + 300; // 0.3 s into second `iat`
    expect(issuedBeforeSignOutEverywhere(iat - 1, signedOutAt)).toBe(true);
    expect(issuedBeforeSignOutEverywhere(iat, signedOutAt)).toBe(false);
    expect(issuedBeforeSignOutEverywhere(iat + 1, signedOutAt)).toBe(false);
    expect(issuedBeforeSignOutEverywhere(iat, 0)).toBe(false);
    expect(revokingValidAfter(iat - 1)).toBe(t0);
  });
  it("keeps a used nonce until its token would be refused as too old anyway", () => {
    expect(nonceRecordExpiresAt(iat)).toBeGreaterThan(t0 + ID_TOKEN_MAX_AGE_MS);
  });
});
