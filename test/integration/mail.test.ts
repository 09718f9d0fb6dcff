// Transactional mail (ADR 019, issue #14 §2), end to end: real routes and webhooks write the
// outbox in their own batches, the Worker sends through the Resend stand-in, the cron retries.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/domain/cloud-access-window";
import { TRIAL_DAYS } from "~/domain/device-ownership";
import { mailRetryDelayMs } from "~/domain/mail-policy";
import { runScheduled } from "~/jobs/cron.server";
import { mailOutboxSweep } from "~/jobs/sweeps.server";
import { appFetch, ORIGIN } from "../helpers/app";
import { cookieFrom, idTokenFor, postSession, signedToken, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";
import { standinControl } from "../helpers/standins";
import { deliverAll, standin, type EventRecord, type Json } from "../helpers/stripe";

const mailBase = () => env.TEST_STANDIN_URLS.mail;
const unique = (tag: string) => `mail-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`;

interface InboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

async function inbox(to: string): Promise<InboxMessage[]> {
  return (await standinControl(mailBase(), `messages?to=${encodeURIComponent(to)}`)).messages as InboxMessage[];
}

/** Signs in through the stand-in's password grant, as a browser with this Accept-Language would. */
async function signInAs(email: string, acceptLanguage = "en-US,en;q=0.9"): Promise<string> {
  const res = await postSession(await idTokenFor(email), { "Accept-Language": acceptLanguage });
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

async function signInUnverified(email: string): Promise<string> {
  const res = await postSession(await signedToken({ sub: `auth0|${email}`, email, email_verified: false }));
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

async function ownerWithDevice(email: string, acceptLanguage?: string) {
  const cookie = await signInAs(email, acceptLanguage);
  const device = await provisionTestDevice();
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  return { cookie, device, userId: await userIdOf(cookie) };
}

async function buyAndFail(cookie: string, deviceId: string) {
  const res = await appFetch("/api/checkout/cloud-storage", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ deviceId, planCode: "standard" }).toString(),
  });
  expect(res.status).toBe(303);
  const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
  const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  expect(await deliverAll(done.events)).toEqual(done.events.map(() => 200));
  const subscriptionId = done.session.subscription as string;
  const failed = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action: "fail_payment" });
  expect(failed.events.map((e) => e.type)).toContain("invoice.payment_failed");
  return { subscriptionId, failedEvents: failed.events };
}

async function outbox(kind: string, toUserId: string) {
  const rows = await env.DB.prepare("SELECT status, attempts, payload FROM mail_outbox WHERE kind = ?1 AND to_user_id = ?2").bind(kind, toUserId).all();
  return rows.results as { status: string; attempts: number; payload: string | null }[];
}

const mailCron = (now: number) => runScheduled(env, "0 * * * *", now, [mailOutboxSweep]);

describe("mail", () => {
  it("a failed payment leaves exactly one mail with the billing link, a replayed webhook none more; a zh-CN customer reads it in Chinese", async () => {
    const en = unique("pay-en");
    const a = await ownerWithDevice(en);
    const { failedEvents } = await buyAndFail(a.cookie, a.device.id);
    expect(await deliverAll(failedEvents)).toEqual(failedEvents.map(() => 200));
    let mails = await inbox(en);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Payment failed for your Standard plan");
    expect(mails[0].text).toContain(`${ORIGIN}/account/services`);
    expect(mails[0].html).toContain(`href="${ORIGIN}/account/services"`);
    expect(mails[0].text).toMatch(/We'll try again on [A-Z][a-z]{2} \d{1,2}, \d{4}/);

    // Stripe delivers again (same events): recorded as duplicates, nothing more is mailed.
    expect(await deliverAll(failedEvents)).toEqual(failedEvents.map(() => 200));
    expect(await inbox(en)).toHaveLength(1);
    expect(await outbox("payment_failed", a.userId)).toMatchObject([{ status: "sent", attempts: 1, payload: null }]);

    const zh = unique("pay-zh");
    const b = await ownerWithDevice(zh, "zh-CN,zh;q=0.9,en;q=0.8");
    await deliverAll((await buyAndFail(b.cookie, b.device.id)).failedEvents);
    mails = await inbox(zh);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("您的 Standard 套餐付款失败");
    expect(mails[0].text).toContain("请在此之前更新您的银行卡");
    expect(mails[0].html).toContain('<html lang="zh-CN">');
  });

  it("a transfer offer mails the recipient the full accept URL; accepting mails the sender", async () => {
    const from = unique("offer-from");
    const to = unique("offer-to");
    const a = await ownerWithDevice(from);
    const b = await signInAs(to);
    const offer = await postJson(a.cookie, `/api/devices/${a.device.id}/transfers`, { toEmail: to.toUpperCase(), includeSim: false });
    expect(offer.status).toBe(201);
    const { acceptUrl, token } = (await offer.json()) as Json;
    expect(acceptUrl).toBe(`${ORIGIN}/account/devices?transfer=${encodeURIComponent(token)}`);
    const mails = await inbox(to);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain(from);
    expect(mails[0].text).toContain(acceptUrl);
    expect(mails[0].html).toContain(`href="${acceptUrl}"`);
    // Once sent, the outbox no longer holds the link (the token is stored hashed everywhere else).
    expect((await outbox("transfer_offered", await userIdOf(b)))[0]).toMatchObject({ status: "sent", payload: null });

    expect((await postJson(b, `/api/device-transfers/${encodeURIComponent(token)}/accept`)).status).toBe(200);
    const toSender = await inbox(from);
    expect(toSender).toHaveLength(1);
    expect(toSender[0].subject).toMatch(/was handed over$/);
    expect(toSender[0].text).toContain(to);
    // Accepting again is refused and mails nothing more.
    expect((await postJson(b, `/api/device-transfers/${encodeURIComponent(token)}/accept`)).status).not.toBe(200);
    expect(await inbox(from)).toHaveLength(1);
  });

  it("a provider failure is retried by the cron and still sends once", async () => {
    const from = unique("retry-from");
    const to = unique("retry-to");
    const a = await ownerWithDevice(from);
    const b = await signInAs(to);
    const bId = await userIdOf(b);
    await standinControl(mailBase(), "fail", { count: 1, status: 503, to });
    const before = Date.now();
    const offer = await postJson(a.cookie, `/api/devices/${a.device.id}/transfers`, { toEmail: to, includeSim: false });
    expect(offer.status).toBe(201);
    // The offer committed; its mail failed and waits.
    expect(await inbox(to)).toHaveLength(0);
    expect(await outbox("transfer_offered", bId)).toMatchObject([{ status: "pending", attempts: 1 }]);

    // Before its retry time the cron leaves it alone; after it, it is sent.
    await mailCron(before + 1000);
    expect(await inbox(to)).toHaveLength(0);
    await mailCron(Date.now() + mailRetryDelayMs(1) + 1000);
    const mails = await inbox(to);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain(((await offer.json()) as Json).acceptUrl);
    expect(await outbox("transfer_offered", bId)).toMatchObject([{ status: "sent", attempts: 2 }]);

    // Later runs find nothing to send.
    await mailCron(Date.now() + 2 * DAY_MS);
    expect(await inbox(to)).toHaveLength(1);
  });

  it("an address Auth0 has not verified gets nothing: no offer mail to it, nor to an address no user has", async () => {
    const from = unique("unv-from");
    const unverified = unique("unv-to");
    const nobody = unique("nobody");
    const a = await ownerWithDevice(from);
    const u = await signInUnverified(unverified);
    expect((await postJson(a.cookie, `/api/devices/${a.device.id}/transfers`, { toEmail: unverified, includeSim: false })).status).toBe(201);
    expect(await inbox(unverified)).toEqual([]);
    expect(await outbox("transfer_offered", await userIdOf(u))).toEqual([]);

    const other = await ownerWithDevice(unique("unv-from2"));
    expect((await postJson(other.cookie, `/api/devices/${other.device.id}/transfers`, { toEmail: nobody, includeSim: false })).status).toBe(201);
    expect(await inbox(nobody)).toEqual([]);

    // Nor does an owner whose address is unverified get their own trial notice.
    const device = await provisionTestDevice();
    expect((await activate(u, device.serial, device.code)).status).toBe(200);
    await mailCron(Date.now() + (TRIAL_DAYS - 2) * DAY_MS);
    expect(await inbox(unverified)).toEqual([]);
  });

  it("the cron sends the trial-ending notice once, 3 days before the trial ends, in the owner's language", async () => {
    const email = unique("trial");
    const a = await ownerWithDevice(email, "zh-CN");
    await mailCron(Date.now() + (TRIAL_DAYS - 4) * DAY_MS);
    expect(await inbox(email)).toEqual([]);
    await mailCron(Date.now() + (TRIAL_DAYS - 2) * DAY_MS);
    await mailCron(Date.now() + (TRIAL_DAYS - 1) * DAY_MS);
    const mails = await inbox(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain("免费试用");
    expect(mails[0].text).toContain(`${ORIGIN}/account/devices/${a.device.id}`);
  });

  it("a subscription that ends mails its cancellation once", async () => {
    const email = unique("cancel");
    const a = await ownerWithDevice(email);
    const { subscriptionId, failedEvents } = await buyAndFail(a.cookie, a.device.id);
    await deliverAll(failedEvents);
    const cancelled = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action: "cancel" });
    expect(await deliverAll(cancelled.events)).toEqual(cancelled.events.map(() => 200));
    await deliverAll(cancelled.events);
    const ended = (await inbox(email)).filter((m) => m.subject === "Your Standard plan has ended");
    expect(ended).toHaveLength(1);
  });

  it("the stand-in checks what Resend checks", async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${mailBase()}/emails`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
    const auth = { Authorization: `Bearer ${env.RESEND_API_KEY}` };
    const mail = { from: "AOVIS <no-reply@aovis.example>", to: [unique("shape")], subject: "Hi", text: "Hello" };
    expect(await (await post({}, mail)).json()).toEqual({ statusCode: 401, name: "missing_api_key", message: expect.any(String) });
    expect((await post({ Authorization: "Bearer re_wrong" }, mail)).status).toBe(403);
    expect(await (await post(auth, { ...mail, subject: undefined })).json()).toMatchObject({ statusCode: 422, name: "missing_required_field" });
    expect(await (await post(auth, { ...mail, to: ["not an address"] })).json()).toMatchObject({ statusCode: 422, name: "validation_error" });
    const first = (await (await post({ ...auth, "Idempotency-Key": `k-${mail.to[0]}` }, mail)).json()) as Json;
    const again = (await (await post({ ...auth, "Idempotency-Key": `k-${mail.to[0]}` }, mail)).json()) as Json;
    expect(again.id).toBe(first.id);
    expect((await post({ ...auth, "Idempotency-Key": `k-${mail.to[0]}` }, { ...mail, text: "Other" })).status).toBe(409);
    expect(await inbox(mail.to[0])).toHaveLength(1);
    const page = await fetch(`${mailBase()}/`);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(await page.text()).toContain(mail.to[0]);
  });
});
