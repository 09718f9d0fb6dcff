import { describe, expect, it } from "vitest";
import {
  ID_TOKEN_MAX_AGE_MS,
  issuedBeforeSignOutEverywhere,
  judgeSignInToken,
  nonceRecordExpiresAt,
  revokingValidAfter,
  signInTimeS,
} from "~/domain/sign-in-policy";
import { refusalStatus } from "~/http/refusals";

const t0 = 1_800_000_000_000;
const iat = t0 / 1000;

describe("judgeSignInToken", () => {
  it("accepts a fresh token with a nonce, up to the maximum age", () => {
    expect(judgeSignInToken({ iat, authTime: null, nonce: "n" }, t0)).toEqual({ ok: true });
    expect(judgeSignInToken({ iat, authTime: null, nonce: "n" }, t0 + ID_TOKEN_MAX_AGE_MS)).toEqual({ ok: true });
  });
  it("refuses an older token and one without a nonce (401 each)", () => {
    const old = judgeSignInToken({ iat, authTime: null, nonce: "n" }, t0 + ID_TOKEN_MAX_AGE_MS + 1);
    expect(old).toEqual({ ok: false, error: "token_too_old", maxAgeMinutes: ID_TOKEN_MAX_AGE_MS / 60_000 });
    const bare = judgeSignInToken({ iat, authTime: null, nonce: null }, t0);
    expect(bare).toEqual({ ok: false, error: "invalid_token", problem: "no_nonce" });
    expect(refusalStatus(old as { error: string })).toBe(401);
    expect(refusalStatus(bare as { error: string })).toBe(401);
  });
});

describe("the authentication behind a token (auth_time)", () => {
  it("a fresh token from an Auth0 session older than the maximum age is refused as too old", () => {
    const oldAuth = iat - ID_TOKEN_MAX_AGE_MS / 1000 - 1;
    expect(judgeSignInToken({ iat, authTime: oldAuth, nonce: "n" }, t0)).toMatchObject({ ok: false, error: "token_too_old" });
    expect(judgeSignInToken({ iat, authTime: iat - 60, nonce: "n" }, t0)).toEqual({ ok: true });
  });
  it("is judged by the earlier of iat and auth_time", () => {
    expect(signInTimeS({ iat, authTime: iat - 30 })).toBe(iat - 30);
    expect(signInTimeS({ iat, authTime: null })).toBe(iat);
    expect(signInTimeS({ iat, authTime: iat + 5 })).toBe(iat);
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
