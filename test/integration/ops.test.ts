// The staff support view /ops behind Cloudflare Access (ADR 025): no valid assertion, no answer
// (pages, actions, .data); with one, the lookup shows a customer and a camera; every action writes
// its audit row naming the staff member, in the same batch as its change.
import { env } from "cloudflare:test";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { accessToken, opsFetch, opsPost } from "../helpers/access";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";
import { deliverAll, standin, type EventRecord, type Json } from "../helpers/stripe";

const STAFF = "ana.support@aovis.example";

async function auditRows(event: string, subjectId: string) {
  return (
    await env.DB.prepare("SELECT * FROM audit_log WHERE event = ?1 AND subject_id = ?2")
      .bind(event, subjectId)
      .all<{ detail_json: string; actor_user_id: string | null }>()
  ).results;
}

/** The page's text as people read it (React separates adjacent text with <!-- -->). */
const text = (html: string) => html.replace(/<!-- -->/g, "");

const staffIn = (row: { detail_json: string }) => (JSON.parse(row.detail_json) as { staff?: { email: string; sub: string } }).staff;

async function ownerWithDevice(tag: string) {
  const email = `ops-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const cookie = await signIn(email);
  const device = await provisionTestDevice();
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  return { email, cookie, userId: await userIdOf(cookie), device };
}

describe("/ops refuses anything Access did not sign", () => {
  const paths = ["/ops", "/ops/lookup?q=demo@example.com", "/ops.data", "/ops/lookup.data?q=demo@example.com", "/ops/anything"];

  it("no assertion → 403 on every page and .data path, even with a customer's session cookie or a CF_Authorization cookie", async () => {
    const cookie = await signIn(`ops-cust-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const valid = await accessToken({ email: STAFF });
    for (const p of paths) {
      for (const c of [undefined, cookie, `CF_Authorization=${valid}`]) {
        const res = await opsFetch(p, null, c ? { headers: { Cookie: c } } : {});
        expect(res.status, `${p} ${c ?? ""}`).toBe(403);
        expect(((await res.json()) as Json).error).toBe("access_required");
      }
    }
  });

  it("forged signature, expired, wrong audience, wrong issuer, not yet valid, alg none → 403", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const standinKid = JSON.parse(atob((await accessToken()).split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))).kid as string;
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ email: STAFF, sub: "x", type: "app" })
      .setProtectedHeader({ alg: "RS256", kid: standinKid })
      .setIssuer(env.ACCESS_TEAM_DOMAIN)
      .setAudience([env.ACCESS_AUD])
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    void exportJWK(publicKey);
    const unsigned = `${btoa(JSON.stringify({ alg: "none" })).replace(/=/g, "")}.${btoa(JSON.stringify({ email: STAFF, sub: "x", aud: [env.ACCESS_AUD], iss: env.ACCESS_TEAM_DOMAIN, exp: now + 300, iat: now })).replace(/=/g, "")}.`;
    const bad = {
      forged,
      expired: await accessToken({ email: STAFF, iat: now - 3600, exp: now - 60 }),
      wrongAudience: await accessToken({ email: STAFF, aud: ["some-other-application"] }),
      wrongIssuer: await accessToken({ email: STAFF, iss: "https://other-team.cloudflareaccess.com" }),
      notYetValid: await accessToken({ email: STAFF, nbf: now + 3600 }),
      unsigned,
      garbage: "not-a-jwt",
    };
    for (const [what, token] of Object.entries(bad)) {
      for (const p of ["/ops/lookup?q=demo@example.com", "/ops/lookup.data?q=demo@example.com"]) {
        const res = await opsFetch(p, token);
        expect(res.status, `${what} ${p}`).toBe(403);
      }
      const post = await opsPost(token, { intent: "resend_mail", mailId: crypto.randomUUID() });
      expect(post.status, `${what} POST`).toBe(403);
    }
  });

  it("a valid assertion opens the home page, with the dead-letter section", async () => {
    const res = await opsFetch("/ops", await accessToken({ email: STAFF }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Support view");
    expect(html).toContain(STAFF);
    expect(html).toContain("Dead-letter sweeps");
  });

  it("a post from another origin is still refused (CSRF), with a valid assertion", async () => {
    const res = await opsPost(await accessToken({ email: STAFF }), { intent: "resend_mail", mailId: crypto.randomUUID() }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Json).error).toBe("csrf_rejected");
  });
});

describe("/ops lookup", () => {
  it("finds a customer by e-mail and a camera by serial, with ownership, trial, SIM and the audit timeline", async () => {
    const o = await ownerWithDevice("lookup");
    const token = await accessToken({ email: STAFF });
    const byEmail = await opsFetch(`/ops/lookup?q=${encodeURIComponent(o.email.toUpperCase())}`, token);
    expect(byEmail.status).toBe(200);
    const html = text(await byEmail.text());
    expect(html).toContain(`Customer ${o.email}`);
    expect(html).toContain(`Camera ${o.device.serial}`);
    expect(html).toContain("current owner");
    expect(html).toContain("device activated");
    expect(html).toContain("once per camera, ever");
    expect(html).toContain(o.device.iccid!);

    const bySerial = await opsFetch(`/ops/lookup?q=${o.device.serial.toLowerCase()}`, token);
    const html2 = text(await bySerial.text());
    expect(html2).toContain(`Camera ${o.device.serial}`);
    expect(html2).not.toContain(`id="customer-`);

    const data = await opsFetch(`/ops/lookup.data?q=${o.device.serial}`, token);
    expect(data.status).toBe(200);

    const none = text(await (await opsFetch("/ops/lookup?q=nobody-here@example.com", token)).text());
    expect(none).toContain("Nothing found");
    const invalid = await opsFetch("/ops/lookup?q=%3Cscript%3E", token);
    expect(invalid.status).toBe(200);
    expect(await invalid.text()).toContain("Enter a customer");
  });
});

describe("/ops actions are audited with the staff member", () => {
  it("end a stuck transfer offer: offer cancelled, its pending mail dropped, audit row names the staff member (same batch)", async () => {
    const o = await ownerWithDevice("xfer");
    const offered = await postJson(o.cookie, `/api/devices/${o.device.id}/transfers`, { toEmail: `ops-to-${crypto.randomUUID().slice(0, 6)}@example.com` });
    expect(offered.status).toBe(201);
    const t = (await env.DB.prepare("SELECT id FROM device_transfers WHERE device_id = ?1 AND status = 'offered'").bind(o.device.id).first<{ id: string }>())!;
    const token = await accessToken({ email: STAFF, sub: "staff-sub-1" });

    const res = await opsPost(token, { intent: "end_transfer", transferId: t.id, reason: "customer asked support" });
    expect(res.status).toBe(200);
    expect((await env.DB.prepare("SELECT status FROM device_transfers WHERE id = ?1").bind(t.id).first<{ status: string }>())!.status).toBe("cancelled");
    const [row] = await auditRows("transfer_ended_by_staff", t.id);
    expect(staffIn(row)).toEqual({ email: STAFF, sub: "staff-sub-1" });
    // The camera did not move: its owner is still the offering customer.
    const owner = await env.DB.prepare("SELECT user_id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'")
      .bind(o.device.id)
      .first<{ user_id: string }>();
    expect(owner!.user_id).toBe(o.userId);

    // Again: nothing open, nothing written.
    const again = await opsPost(token, { intent: "end_transfer", transferId: t.id });
    expect(await again.text()).toContain("transfer_not_open");
    expect(await auditRows("transfer_ended_by_staff", t.id)).toHaveLength(1);
  });

  it("send a pending mail now: sent, audit row names the staff member; a sent one is refused and writes nothing", async () => {
    const o = await ownerWithDevice("mail");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO mail_outbox (id, kind, cause_id, to_user_id, to_email, locale, payload, status, attempts, next_attempt_at, last_error, created_at)
       VALUES (?1, 'subscription_cancelled', ?2, ?3, ?4, 'en', ?5, 'pending', 2, ?6, '500 application_error: boom', ?7)`,
    )
      .bind(
        id,
        `sub_ops_${id}`,
        o.userId,
        o.email,
        JSON.stringify({ planName: "Cloud Standard", servicesUrl: "http://localhost:8787/account/services" }),
        now + 3600_000,
        now,
      )
      .run();
    const token = await accessToken({ email: STAFF, sub: "staff-sub-2" });
    const res = await opsPost(token, { intent: "resend_mail", mailId: id });
    expect(res.status).toBe(200);
    const m = (await env.DB.prepare("SELECT status FROM mail_outbox WHERE id = ?1").bind(id).first<{ status: string }>())!;
    expect(m.status).toBe("sent");
    const [row] = await auditRows("mail_resent_by_staff", id);
    expect(staffIn(row)).toEqual({ email: STAFF, sub: "staff-sub-2" });

    const again = await opsPost(token, { intent: "resend_mail", mailId: id });
    expect(await again.text()).toContain("mail_not_resendable");
    expect(await auditRows("mail_resent_by_staff", id)).toHaveLength(1);

    const invalid = await opsPost(token, { intent: "resend_mail", mailId: "not-a-uuid" });
    expect(invalid.status).toBe(400);
  });

  it("re-sync a subscription from Stripe: applied through applySubscription, whose audit row names the staff member", async () => {
    const o = await ownerWithDevice("sync");
    const res = await appFetch("/api/checkout/cloud-storage", {
      method: "POST",
      headers: { Cookie: o.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ deviceId: o.device.id, planCode: "standard" }).toString(),
    });
    expect(res.status).toBe(303);
    const url = res.headers.get("Location") ?? "";
    const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(url)![1];
    const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
    await deliverAll(done.events);
    const subId = done.session.subscription as string;
    const token = await accessToken({ email: STAFF, sub: "staff-sub-3" });

    const synced = await opsPost(token, { intent: "resync", subscriptionId: subId });
    expect(synced.status).toBe(200);
    expect(await synced.text()).toContain("Re-synced from Stripe");
    const rows = (await auditRows("subscription_synced", subId)).filter((r) => staffIn(r));
    expect(rows).toHaveLength(1);
    expect(staffIn(rows[0])).toEqual({ email: STAFF, sub: "staff-sub-3" });

    const unknown = await opsPost(token, { intent: "resync", subscriptionId: "sub_not_ours_at_all" });
    expect(await unknown.text()).toContain("not_found");
  });
});

describe("dead-letter sweeps on the ops home (ADR 027)", () => {
  async function deadLetter() {
    const id = crypto.randomUUID();
    const body = JSON.stringify({ kind: "retention", from: "a", to: "b", run: id });
    await env.DB.prepare(
      "INSERT INTO sweep_dead_letters (id, body, kind, attempts, sent_at, recorded_at, status) VALUES (?1, ?2, 'retention', 4, ?3, ?3, 'dead')",
    )
      .bind(id, body, Date.now())
      .run();
    return id;
  }
  const post = (token: string | null, fields: Record<string, string>) =>
    opsFetch("/ops?index", token, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  const statusOf = async (id: string) =>
    (await env.DB.prepare("SELECT status FROM sweep_dead_letters WHERE id = ?").bind(id).first<{ status: string }>())?.status;

  it("lists each dead letter; requeue and discard are audited with the staff member, once each; without Access nothing changes", async () => {
    const token = await accessToken({ email: STAFF });
    const [a, b] = [await deadLetter(), await deadLetter()];
    const home = text(await (await opsFetch("/ops", token)).text());
    expect(home).toContain(a);
    expect(home).toContain(b);

    expect((await post(null, { intent: "discard_dead_letter", deadLetterId: a })).status).toBe(403);
    expect(await statusOf(a)).toBe("dead");

    expect((await post(token, { intent: "requeue_dead_letter", deadLetterId: a })).status).toBe(200);
    expect(await statusOf(a)).toBe("requeued");
    const [requeued] = await auditRows("dead_letter_requeued_by_staff", a);
    expect(staffIn(requeued)?.email).toBe(STAFF);

    expect((await post(token, { intent: "discard_dead_letter", deadLetterId: b })).status).toBe(200);
    expect(await statusOf(b)).toBe("discarded");
    expect(staffIn((await auditRows("dead_letter_discarded_by_staff", b))[0])?.email).toBe(STAFF);

    // A second decision on the same letter: refused, no second audit row.
    // (A page form answers its refusal in the page, as every form of the app does.)
    const again = await post(token, { intent: "discard_dead_letter", deadLetterId: a });
    expect(text(await again.text())).toContain("already requeued or discarded");
    expect(await statusOf(a)).toBe("requeued");
    expect(await auditRows("dead_letter_discarded_by_staff", a)).toHaveLength(0);
    // Bad ids: 400 or 404, nothing written.
    expect((await post(token, { intent: "discard_dead_letter", deadLetterId: "x'; DROP" })).status).toBe(400);
    expect(text(await (await post(token, { intent: "discard_dead_letter", deadLetterId: "no-such-letter" })).text())).toContain("No such page.");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE subject_id = 'no-such-letter'").first<{ n: number }>()).toEqual({ n: 0 });
  });
});
