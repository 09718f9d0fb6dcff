import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { cookieFrom, postSession, signedToken, signIn, userIdOf } from "../helpers/auth";
import { ACTIVATION_ACCOUNT_FAILURE_LIMIT, ACTIVATION_CLIENT_FAILURE_LIMIT } from "~/domain/device-ownership";
import { activate, addPaidSubscription, postJson, provisionTestDevice, tableCounts } from "../helpers/devices";

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;

/** Signs in with a token whose email_verified claim we choose (the stand-in's flow always says true). */
async function signInWith(email: string, emailVerified: boolean, sub = `auth0|${email}`): Promise<string> {
  const res = await postSession(await signedToken({ sub, email, email_verified: emailVerified }));
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

async function auditEvents(deviceId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT event FROM audit_log WHERE device_id = ?1 ORDER BY at, rowid").bind(deviceId).all<{ event: string }>();
  return rows.results.map((r) => r.event);
}

describe("activation", () => {
  it("first activation grants the 30-day trial; the demo device works with its README code", async () => {
    const alice = await signIn("act-alice@example.com");
    const res = await activate(alice, "N4K-000001", "DEMO-0001");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.trial).toBe("granted");
    expect(body.device).toMatchObject({
      serial: "N4K-000001",
      model: "NEXA Prime 4K",
      trial: { state: "active", daysLeft: 30 },
      plan: { code: "trial" },
      historyDays: 1,
    });
    expect(await auditEvents(body.device.id)).toEqual(expect.arrayContaining(["device_activated", "trial_granted"]));
  });

  it("the same user activating again changes nothing (idempotent, no extended trial)", async () => {
    const u = await signIn("act-repeat@example.com");
    const d = await provisionTestDevice();
    expect((await json(await activate(u, d.serial, d.code))).trial).toBe("granted");
    const before = await env.DB.prepare("SELECT expires_at FROM entitlements WHERE device_id = ?1").bind(d.id).first();
    const counts = await tableCounts();
    const again = await activate(u, d.serial.toLowerCase(), d.code.toLowerCase());
    expect(again.status).toBe(200);
    expect((await json(again)).trial).toBe("active");
    const after = await tableCounts();
    expect({ ...after, audit_log: 0 }).toEqual({ ...counts, audit_log: 0 });
    expect(after.audit_log).toBe(counts.audit_log + 1); // device_activation_repeated
    expect(await env.DB.prepare("SELECT expires_at FROM entitlements WHERE device_id = ?1").bind(d.id).first()).toEqual(before);
  });

  it("a wrong code and an unknown serial get the same 403", async () => {
    const u = await signIn("act-wrong@example.com");
    const d = await provisionTestDevice();
    const wrong = await activate(u, d.serial, "NOPE-0000");
    const unknown = await activate(u, "ZZZ-999999", "NOPE-0000");
    expect(wrong.status).toBe(403);
    expect(unknown.status).toBe(403);
    const [a, b] = [await json(wrong), await json(unknown)];
    expect(a).toEqual(b);
    expect(a.error).toBe("invalid_activation_code");
  });

  it("someone else's device → 409 device_already_owned, ownership unchanged", async () => {
    const [a, b] = [await signIn("own-a@example.com"), await signIn("own-b@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const res = await activate(b, d.serial, d.code);
    expect(res.status).toBe(409);
    expect((await json(res)).error).toBe("device_already_owned");
    const owners = await env.DB.prepare("SELECT user_id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'").bind(d.id).all();
    expect(owners.results).toEqual([{ user_id: await userIdOf(a) }]);
  });

  // Was "more than 5 failures per serial … even with the right code": the lock is the guessing
  // account's own (per serial and account), never the serial's: the owner's right code still works.
  it("more than 5 wrong codes from one account on a serial in 15 minutes → 429 for that account there, even with the right code; the owner and other serials are unaffected", async () => {
    const u = await signIn("act-rl@example.com");
    const d = await provisionTestDevice();
    for (let i = 0; i < 5; i++) expect((await activate(u, d.serial, `BAD-${i}000`)).status).toBe(403);
    const res = await activate(u, d.serial, d.code);
    expect(res.status).toBe(429);
    expect((await json(res)).error).toBe("rate_limited");
    // Another serial is unaffected.
    const other = await provisionTestDevice();
    expect((await activate(u, other.serial, other.code)).status).toBe(200);
    // And so is the camera's owner.
    expect((await activate(await signIn("act-rl-owner@example.com"), d.serial, d.code)).status).toBe(200);
  });

  it("50 concurrent activations of one device by different users → exactly 1 owner and 1 trial", async () => {
    const d = await provisionTestDevice();
    const cookies = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(`race-${i}@example.com`)));
    const results = await Promise.all(cookies.map((c) => activate(c, d.serial, d.code)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const q = (sql: string) => env.DB.prepare(sql).bind(d.id).first<{ n: number }>();
    expect((await q("SELECT COUNT(*) AS n FROM device_ownerships WHERE device_id = ?1"))!.n).toBe(1);
    expect((await q("SELECT COUNT(*) AS n FROM device_trials WHERE device_id = ?1"))!.n).toBe(1);
    expect((await q("SELECT COUNT(*) AS n FROM entitlements WHERE device_id = ?1 AND source = 'trial'"))!.n).toBe(1);
  });

  it("every bad body → 400 with a code, and no row changes", async () => {
    const u = await signIn("act-bad@example.com");
    const d = await provisionTestDevice();
    await activate(u, d.serial, d.code);
    const before = await tableCounts();
    const bad: [string, string, unknown][] = [
      ["/api/devices/activate", "raw", "{not json"],
      ["/api/devices/activate", "json", {}],
      ["/api/devices/activate", "json", { serial: "N4K-000002" }],
      ["/api/devices/activate", "json", { serial: 42, activationCode: true }],
      ["/api/devices/activate", "json", { serial: "x".repeat(500), activationCode: "DEMO-0002" }],
      ["/api/devices/activate", "json", { serial: "N4K'; DROP TABLE devices;--", activationCode: "DEMO-0002" }],
      [`/api/devices/${d.id}/transfers`, "json", { toEmail: "not-an-email" }],
      [`/api/devices/${d.id}/transfers`, "json", { toEmail: "b@example.com", includeSim: "perhaps" }],
      [`/api/devices/${d.id}/transfers`, "json", []],
    ];
    for (const [path, kind, body] of bad) {
      const res = await appFetch(path, {
        method: "POST",
        headers: { Cookie: u, "Content-Type": "application/json" },
        body: kind === "raw" ? String(body) : JSON.stringify(body),
      });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const b = await json(res);
      expect(["invalid_body", "invalid_request"]).toContain(b.error);
      expect(typeof b.message).toBe("string");
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe("owner-only reads", () => {
  it("GET /api/devices lists only mine; GET /api/devices/:id is 404 for anyone else's, an ownership id or junk", async () => {
    const [a, b] = [await signIn("read-a@example.com"), await signIn("read-b@example.com")];
    const d = await provisionTestDevice();
    const act = await json(await activate(a, d.serial, d.code));
    const list = await json(await appFetch("/api/devices", { headers: { Cookie: a } }));
    expect(list.devices.map((x: Json) => x.id)).toEqual([act.device.id]);
    expect((await json(await appFetch("/api/devices", { headers: { Cookie: b } }))).devices).toEqual([]);
    expect((await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(200);
    const ownershipId = (await env.DB.prepare("SELECT id FROM device_ownerships WHERE device_id = ?1").bind(d.id).first<{ id: string }>())!.id;
    for (const id of [d.id, ownershipId, "nope", "../../etc", d.serial]) {
      const res = await appFetch(`/api/devices/${encodeURIComponent(id)}`, { headers: { Cookie: id === d.id ? b : a } });
      expect(res.status, id).toBe(404);
    }
  });
});

describe("unbind", () => {
  it("non-owner → 403 forbidden; owner → ended ownership, AWS fields kept, trial ended not deleted; rebind never re-grants", async () => {
    const [a, b] = [await signIn("unb-a@example.com"), await signIn("unb-b@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const awsBefore = await env.DB.prepare("SELECT iot_thing_name, kvs_stream_name, webrtc_channel_arn, iccid FROM devices WHERE id = ?1").bind(d.id).first();

    const forbidden = await postJson(b, `/api/devices/${d.id}/unbind`);
    expect(forbidden.status).toBe(403);
    expect((await json(forbidden)).error).toBe("forbidden");

    expect((await postJson(a, `/api/devices/${d.id}/unbind`)).status).toBe(200);
    expect(await env.DB.prepare("SELECT iot_thing_name, kvs_stream_name, webrtc_channel_arn, iccid FROM devices WHERE id = ?1").bind(d.id).first()).toEqual(
      awsBefore,
    );
    const ent = await env.DB.prepare("SELECT status, ended_at FROM entitlements WHERE device_id = ?1 AND source = 'trial'")
      .bind(d.id)
      .all<{ status: string; ended_at: number }>();
    expect(ent.results).toHaveLength(1);
    expect(ent.results[0].status).toBe("EXPIRED");
    expect((await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(404);

    // unbind → rebind by the same user: no second trial.
    const again = await json(await activate(a, d.serial, d.code));
    expect(again.trial).toBe("already_used");
    expect(again.device.trial).toEqual({ state: "used" });
    expect(again.device.plan.code).toBe("local");
    // unbind → another user activates: no trial either.
    expect((await postJson(a, `/api/devices/${d.id}/unbind`)).status).toBe(200);
    const other = await json(await activate(b, d.serial, d.code));
    expect(other.trial).toBe("already_used");
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM device_trials WHERE device_id = ?1").bind(d.id).first<{ n: number }>())!.n).toBe(1);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM entitlements WHERE device_id = ?1 AND source = 'trial'").bind(d.id).first<{ n: number }>())!.n,
    ).toBe(1);
    expect(await auditEvents(d.id)).toEqual(expect.arrayContaining(["device_unbound", "trial_denied_already_used", "sim_left_with_previous_owner"]));
  });

  it("an active paid subscription blocks unbind and transfer → 409 with the billing portal", async () => {
    const a = await signIn("paid-a@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    await addPaidSubscription(d.id, await userIdOf(a));
    const unbind = await postJson(a, `/api/devices/${d.id}/unbind`);
    expect(unbind.status).toBe(409);
    const body = await json(unbind);
    expect(body.error).toBe("active_subscription_requires_billing_portal");
    expect(body.billingPortalUrl).toBeTruthy();
    const transfer = await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: "someone@example.com", includeSim: false });
    expect(transfer.status).toBe(409);
    expect((await json(transfer)).error).toBe("active_subscription_requires_billing_portal");
    expect((await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(200);
    expect(await auditEvents(d.id)).toContain("unbind_blocked_active_subscription");
  });
});

describe("transfers", () => {
  async function setup(includeSim: boolean) {
    const [a, b] = [await signIn(`tr-a-${includeSim}@example.com`), await signIn(`tr-b-${includeSim}@example.com`)];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const offer = await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: `TR-B-${includeSim}@example.com`, includeSim });
    expect(offer.status).toBe(201);
    return { a, b, d, offer: await json(offer) };
  }

  it("offer → recipient accepts: ownership moves in one batch, old owner loses access and trial, new owner gets no trial, SIM moves when included", async () => {
    const { a, b, d, offer } = await setup(true);
    expect(offer.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM device_transfers WHERE token_hash = ?1").bind(offer.token).first()).toEqual({ n: 0 });
    const res = await postJson(b, `/api/device-transfers/${offer.token}/accept`);
    expect(res.status).toBe(200);
    expect((await json(res)).simTransferred).toBe(true);
    expect((await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(404);
    const mine = await json(await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: b } }));
    expect(mine.device.trial).toEqual({ state: "used" });
    expect(mine.device.historyDays).toBe(0);
    const sim = await env.DB.prepare("SELECT user_id FROM sim_cards WHERE iccid = ?1").bind(d.iccid).first<{ user_id: string }>();
    expect(sim!.user_id).toBe(await userIdOf(b));
    expect(await auditEvents(d.id)).toEqual(expect.arrayContaining(["transfer_offered", "transfer_accepted", "sim_transferred"]));
    // The token is one-time.
    const reuse = await postJson(b, `/api/device-transfers/${offer.token}/accept`);
    expect(reuse.status).toBe(409);
    expect((await json(reuse)).error).toBe("transfer_not_open");
  });

  it("without 'include SIM' the SIM stays with the previous owner and the audit says it needs a decision", async () => {
    const { a, b, d, offer } = await setup(false);
    expect((await postJson(b, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
    const sim = await env.DB.prepare("SELECT user_id FROM sim_cards WHERE iccid = ?1").bind(d.iccid).first<{ user_id: string }>();
    expect(sim!.user_id).toBe(await userIdOf(a));
    expect(await auditEvents(d.id)).toContain("sim_left_with_previous_owner");
  });

  it("refuses the wrong recipient, cancelled and expired tokens; only the sender may cancel", async () => {
    const { a, b, d, offer } = await setup(true);
    const carol = await signIn("tr-carol@example.com");
    const wrong = await postJson(carol, `/api/device-transfers/${offer.token}/accept`);
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error).toBe("wrong_recipient");
    expect((await postJson(b, `/api/device-transfers/${offer.token}/cancel`)).status).toBe(404);
    expect((await postJson(a, `/api/device-transfers/${offer.token}/cancel`)).status).toBe(200);
    const cancelled = await postJson(b, `/api/device-transfers/${offer.token}/accept`);
    expect(cancelled.status).toBe(409);
    expect((await json(cancelled)).error).toBe("transfer_not_open");

    const offer2 = await json(await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: "tr-b-true@example.com", includeSim: false }));
    await env.DB.prepare("UPDATE device_transfers SET expires_at = ?1 WHERE device_id = ?2 AND status = 'offered'")
      .bind(Date.now() - 1, d.id)
      .run();
    const expired = await postJson(b, `/api/device-transfers/${offer2.token}/accept`);
    expect(expired.status).toBe(410);
    expect((await json(expired)).error).toBe("transfer_expired");
    expect(await auditEvents(d.id)).toEqual(expect.arrayContaining(["transfer_cancelled", "transfer_expired"]));
    expect((await appFetch(`/api/devices/${d.id}`, { headers: { Cookie: a } })).status).toBe(200);
    // A made-up token.
    expect((await postJson(b, `/api/device-transfers/${"x".repeat(43)}/accept`)).status).toBe(404);
  });

  it("a non-owner can't offer a transfer of someone's device", async () => {
    const [a, b] = [await signIn("tr-own-a@example.com"), await signIn("tr-own-b@example.com")];
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const res = await postJson(b, `/api/devices/${d.id}/transfers`, { toEmail: "tr-own-b@example.com", includeSim: true });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe("forbidden");
  });
});

describe("activation limits (per serial and account, per account, per address; reserved before the code is compared)", () => {
  it("20 parallel wrong codes from one account → only 5 are compared (403), the rest 429; the serial stays open for others", async () => {
    const [mallory, owner] = [await signIn("burst-mallory@example.com"), await signIn("burst-owner@example.com")];
    const d = await provisionTestDevice();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => activate(mallory, d.serial, `WRONG-${String(i).padStart(4, "0")}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const limited = await json(results[statuses.indexOf(429)]);
    expect(limited.error).toBe("rate_limited");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // Mallory is out for this serial, even with the right code; the real owner is not.
    expect((await activate(mallory, d.serial, d.code)).status).toBe(429);
    expect((await activate(owner, d.serial, d.code)).status).toBe(200);
  });

  it("a right code gives its attempt back: repeated correct activations are never limited", async () => {
    const u = await signIn("giveback@example.com");
    const d = await provisionTestDevice();
    const ip = "198.51.100.90";
    for (let i = 0; i < 4; i++) expect((await activate(u, d.serial, `MISS-${i}000`, { ip })).status).toBe(403);
    // 4 wrong + 3 right = 7 attempts: without the give-back the 6th would be refused.
    for (let i = 0; i < 3; i++) expect((await activate(u, d.serial, d.code, { ip })).status).toBe(200);
    // Every limit got its attempt back: the account's and the address's count only the wrong codes.
    const count = async (key: string) => (await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?1").bind(key).first<{ count: number }>())?.count;
    expect(await count(`activation:user:${await userIdOf(u)}`)).toBe(4);
    expect(await count(`activation:client:${ip}`)).toBe(4);
  });

  // Was "20 wrong codes per serial from all accounts together lock it for everyone for the window":
  // that lock was the bug (issue #11): four throwaway accounts kept the real owner out, again and
  // again, and serials are sequential. Wrong codes per serial are now only counted.
  it("issue #11: 4 throwaway accounts × 5 wrong codes, then the owner's right code → 200 activated, again and again", async () => {
    const d = await provisionTestDevice();
    const guess = async (round: number) => {
      const guessers = await Promise.all([0, 1, 2, 3].map((i) => signIn(`serial-cap-${round}-${i}@example.com`)));
      await Promise.all(
        guessers.map(async (c, i) => {
          for (let k = 0; k < 5; k++) expect((await activate(c, d.serial, `G${i}X${k}-000${round}`)).status).toBe(403);
        }),
      );
    };
    await guess(1);
    const owner = await signIn("serial-cap-owner@example.com");
    const res = await activate(owner, d.serial, d.code);
    expect(res.status).toBe(200);
    expect((await json(res)).trial).toBe("granted");
    const owners = await env.DB.prepare("SELECT user_id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'").bind(d.id).all();
    expect(owners.results).toEqual([{ user_id: await userIdOf(owner) }]);
    // Another round of guesses changes nothing for the owner; the serial's wrong codes are counted (for the log), not a lock.
    await guess(2);
    expect((await activate(owner, d.serial, d.code)).status).toBe(200);
    const counted = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?1").bind(`activation:serial:${d.serial}`).first<{ count: number }>();
    expect(counted?.count).toBe(40);
  }, 60_000);

  it("the same 20 wrong codes from one shared address don't stop the owner's right code from another", async () => {
    const d = await provisionTestDevice();
    const guessers = await Promise.all([0, 1, 2, 3].map((i) => signIn(`serial-cap-ip-${i}@example.com`)));
    await Promise.all(
      guessers.map(async (c, i) => {
        for (let k = 0; k < 5; k++) expect((await activate(c, d.serial, `G${i}X${k}-0000`, { ip: "198.51.100.77" })).status).toBe(403);
      }),
    );
    expect((await activate(await signIn("serial-cap-ip-owner@example.com"), d.serial, d.code)).status).toBe(200);
  }, 60_000);

  it("a burst of wrong codes from one account, across serials → 20 compared (403), the rest 429; the account's right code too, not another account's", async () => {
    const [mallory, other] = [await signIn("acct-burst-mallory@example.com"), await signIn("acct-burst-other@example.com")];
    // Unknown serials look exactly like wrong codes; each serial gets one guess, so only the per-account limit applies.
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => activate(mallory, `ZZ-${crypto.randomUUID().slice(0, 8)}-${i}`, "WRONG-0000")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(ACTIVATION_ACCOUNT_FAILURE_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - ACTIVATION_ACCOUNT_FAILURE_LIMIT);
    const limited = await json(results[statuses.indexOf(429)]);
    expect(limited).toMatchObject({
      error: "rate_limited",
      message: "Too many wrong activation codes from your account. Please wait up to 60 minutes and try again.",
    });
    expect(limited.retryAfterSeconds).toBeGreaterThan(15 * 60); // the account's hour, not the serial's 15 minutes
    const d = await provisionTestDevice();
    expect((await activate(mallory, d.serial, d.code)).status).toBe(429);
    expect((await activate(other, d.serial, d.code)).status).toBe(200);
  });

  it("a burst of wrong codes from one address, across accounts → compared up to the address's limit (403), the rest 429; a right code from there too, not from elsewhere", async () => {
    const ip = "203.0.113.50";
    // The hour's earlier wrong codes from this address (as if sent already), so the burst needn't send 50.
    const prefill = (key: string, count: number) =>
      env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, ?3)").bind(key, Date.now(), count).run();
    await prefill(`activation:client:${ip}`, ACTIVATION_CLIENT_FAILURE_LIMIT - 5);
    const accounts = await Promise.all([0, 1, 2].map((i) => signIn(`ip-burst-${i}@example.com`)));
    const results = await Promise.all(
      accounts.flatMap((c, a) => Array.from({ length: 5 }, (_, i) => activate(c, `ZZ-${crypto.randomUUID().slice(0, 8)}-${a}-${i}`, "WRONG-0000", { ip }))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const limited = await json(results[statuses.indexOf(429)]);
    expect(limited).toMatchObject({
      error: "rate_limited",
      message: "Too many wrong activation codes from your network. Please wait up to 60 minutes and try again.",
    });
    expect(limited.retryAfterSeconds).toBeGreaterThan(15 * 60);
    const [fresh, d] = [await signIn("ip-burst-fresh@example.com"), await provisionTestDevice()];
    expect((await activate(fresh, d.serial, d.code, { ip })).status).toBe(429);
    expect((await activate(fresh, d.serial, d.code, { ip: "203.0.113.51" })).status).toBe(200);
    // For IPv6 the network is the /64: another address in it is the same network, one outside is not.
    await prefill("activation:client:2001:db8:5:7::/64", ACTIVATION_CLIENT_FAILURE_LIMIT - 1);
    expect((await activate(accounts[0], "ZZ6-NOPE-1", "WRONG-0000", { ip: "2001:db8:5:7:a::1" })).status).toBe(403);
    expect((await activate(accounts[1], "ZZ6-NOPE-2", "WRONG-0000", { ip: "2001:0db8:0005:0007:ffff:1:2:3" })).status).toBe(429);
    expect((await activate(accounts[1], "ZZ6-NOPE-3", "WRONG-0000", { ip: "2001:db8:5:8::1" })).status).toBe(403);
  });
});

describe("transfers need a verified email", () => {
  it("an unverified sign-in with the offered address can neither see nor accept the offer; once verified it can", async () => {
    const a = await signIn("ver-sender@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const offer = await json(await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: "ver-target@example.com", includeSim: false }));
    const before = await tableCounts();

    // Anyone can sign up at the provider with this address; only its owner can verify it.
    const squatter = await signInWith("ver-target@example.com", false, "auth0|ver-squatter");
    const refused = await postJson(squatter, `/api/device-transfers/${offer.token}/accept`);
    expect(refused.status).toBe(403);
    const body = await json(refused);
    expect(body.error).toBe("email_not_verified");
    expect(body.message).toMatch(/verify/i);
    const page = await (await appFetch("/account/devices", { headers: { Cookie: squatter } })).text();
    expect(page).not.toContain('data-testid="incoming-offer"');
    expect(page).toContain('data-testid="email-not-verified"');
    // The page's "Offers for you" form (by transfer id) is refused the same way.
    const viaPage = await appFetch("/account/devices?index", {
      method: "POST",
      headers: { Cookie: squatter, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "accept-transfer", transferId: offer.transfer.id }).toString(),
    });
    const actionResult = (await viaPage.text()).split('data-testid="action-result"')[1]?.split("</div>")[0] ?? "";
    expect(actionResult).toMatch(/not verified yet/);
    expect(await env.DB.prepare("SELECT status FROM device_transfers WHERE id = ?1").bind(offer.transfer.id).first()).toEqual({ status: "offered" });
    expect((await tableCounts()).device_ownerships).toBe(before.device_ownerships);
    expect(await auditEvents(d.id)).not.toContain("transfer_accepted");

    // The same account after verifying its address at the provider (email_verified is re-read at sign-in).
    const verified = await signInWith("ver-target@example.com", true, "auth0|ver-squatter");
    expect(await (await appFetch("/account/devices", { headers: { Cookie: verified } })).text()).toContain('data-testid="incoming-offer"');
    expect((await postJson(verified, `/api/device-transfers/${offer.token}/accept`)).status).toBe(200);
  });
});

describe("ownership batches re-check their facts when they run", () => {
  it("accept racing the sender's cancel: exactly one wins, and the rows agree with the winner", async () => {
    const rounds = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const [a, b] = [await signIn(`race-ac-a${i}@example.com`), await signIn(`race-ac-b${i}@example.com`)];
        const d = await provisionTestDevice();
        await activate(a, d.serial, d.code);
        const offer = await json(await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: `race-ac-b${i}@example.com`, includeSim: true }));
        return { a, b, d, offer };
      }),
    );
    await Promise.all(
      rounds.map(async ({ a, b, d, offer }) => {
        const [accept, cancel] = await Promise.all([
          postJson(b, `/api/device-transfers/${offer.token}/accept`),
          postJson(a, `/api/device-transfers/${offer.token}/cancel`),
        ]);
        const statuses = [accept.status, cancel.status];
        expect(
          statuses.filter((s) => s === 200),
          JSON.stringify(statuses),
        ).toHaveLength(1);
        expect([409, 410]).toContain(statuses.find((s) => s !== 200));
        const accepted = accept.status === 200;
        const t = await env.DB.prepare("SELECT status FROM device_transfers WHERE id = ?1").bind(offer.transfer.id).first<{ status: string }>();
        expect(t!.status).toBe(accepted ? "accepted" : "cancelled");
        const owners = await env.DB.prepare("SELECT user_id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'")
          .bind(d.id)
          .all<{ user_id: string }>();
        expect(owners.results).toEqual([{ user_id: await userIdOf(accepted ? b : a) }]);
        const sim = await env.DB.prepare("SELECT user_id FROM sim_cards WHERE iccid = ?1").bind(d.iccid).first<{ user_id: string }>();
        expect(sim!.user_id).toBe(await userIdOf(accepted ? b : a));
        const events = await auditEvents(d.id);
        expect(events.filter((e) => e === "transfer_accepted")).toHaveLength(accepted ? 1 : 0);
        expect(events.filter((e) => e === "transfer_cancelled")).toHaveLength(accepted ? 0 : 1);
        expect(events.includes("sim_transferred")).toBe(accepted);
      }),
    );
  });

  it("two parallel unbinds: one succeeds, the other is refused; one device_unbound, nothing ended twice", async () => {
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const a = await signIn(`race-unb-${i}@example.com`);
        const d = await provisionTestDevice();
        await activate(a, d.serial, d.code);
        const [r1, r2] = await Promise.all([postJson(a, `/api/devices/${d.id}/unbind`), postJson(a, `/api/devices/${d.id}/unbind`)]);
        const statuses = [r1.status, r2.status].sort();
        expect(statuses[0]).toBe(200);
        expect([403, 409]).toContain(statuses[1]);
        const loser = await json(r1.status === 200 ? r2 : r1);
        expect(["ownership_changed", "forbidden"]).toContain(loser.error);
        expect((await auditEvents(d.id)).filter((e) => e === "device_unbound")).toHaveLength(1);
        expect((await auditEvents(d.id)).filter((e) => e === "sim_left_with_previous_owner")).toHaveLength(1);
      }),
    );
  });

  it("two parallel cancels: one succeeds, the other 409 transfer_not_open; one transfer_cancelled", async () => {
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const a = await signIn(`race-cx-${i}@example.com`);
        const d = await provisionTestDevice();
        await activate(a, d.serial, d.code);
        const offer = await json(await postJson(a, `/api/devices/${d.id}/transfers`, { toEmail: `race-cx-to${i}@example.com`, includeSim: false }));
        const [r1, r2] = await Promise.all([
          postJson(a, `/api/device-transfers/${offer.token}/cancel`),
          postJson(a, `/api/device-transfers/${offer.token}/cancel`),
        ]);
        expect([r1.status, r2.status].sort()).toEqual([200, 409]);
        expect((await json(r1.status === 409 ? r1 : r2)).error).toBe("transfer_not_open");
        expect((await auditEvents(d.id)).filter((e) => e === "transfer_cancelled")).toHaveLength(1);
      }),
    );
  });
});

describe("the devices page action", () => {
  it("a same-origin JSON or text POST is a 400 'Please check the form', not a 500", async () => {
    const u = await signIn("page-json@example.com");
    for (const [type, body] of [
      ["application/json", JSON.stringify({ intent: "unbind", deviceId: "whatever-id" })],
      ["text/plain", "intent=unbind"],
    ]) {
      for (const path of ["/account/devices", "/account/devices?index"]) {
        const res = await appFetch(path, { method: "POST", headers: { Cookie: u, "Content-Type": type }, body });
        expect(res.status, `${type} ${path}`).toBeLessThan(500);
        expect(res.status, `${type} ${path}`).toBe(400);
        expect(await res.text()).toContain("Please check the form");
      }
    }
  });
});
