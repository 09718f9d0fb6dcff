import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { formatDate } from "~/lib/format";
import { TIME_ZONE_COOKIE } from "~/lib/time-zone.server";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";
import { deliverAll, standin, type EventRecord, type Json } from "../helpers/stripe";

// Issue #14 §3: on the device list and the device page a camera shows exactly one effective plan
// and what happens next, with dates in the viewer's time zone (app/domain/plan-outlook).

const ZONE = "Pacific/Auckland";
const day = (ms: number) => formatDate(ms, "en-US", ZONE);

async function trialCamera(tag: string) {
  const cookie = await signIn(`outlook-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const d = await provisionTestDevice();
  expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
  const trial = await env.DB.prepare("SELECT expires_at FROM entitlements WHERE device_id = ?1 AND source = 'trial' AND key = 'cloud_playback'")
    .bind(d.id)
    .first<{ expires_at: number }>();
  return { cookie: `${cookie}; ${TIME_ZONE_COOKIE}=${encodeURIComponent(ZONE)}`, deviceId: d.id, serial: d.serial, trialEndsAt: trial!.expires_at };
}

async function buy(cookie: string, deviceId: string) {
  const res = await appFetch("/account/services", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "cloud-checkout", deviceId, planCode: "standard" }).toString(),
  });
  expect(res.status).toBe(303);
  const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
  const done = await standin<{ session: Json; events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  expect(await deliverAll(done.events)).toEqual(done.events.map(() => 200));
  return done.session.subscription as string;
}

async function advance(subscriptionId: string, action: string) {
  const r = await standin<{ events: EventRecord[] }>(`/__standin/subscriptions/${subscriptionId}/advance`, { action });
  expect(await deliverAll(r.events)).toEqual(r.events.map(() => 200));
}

const text = (html: string) =>
  html
    .replaceAll("<!-- -->", "")
    .replace(/<[^>]+>/g, "")
    .replaceAll("&#x27;", "'")
    .replaceAll("&amp;", "&");
const get = async (cookie: string, path: string) => (await appFetch(path, { headers: { Cookie: cookie, "Accept-Language": "en-US" } })).text();

/** The plan line(s) of one camera on the device list and on its own page. */
async function planLines(c: { cookie: string; deviceId: string; serial: string }) {
  const list = await get(c.cookie, "/account/devices");
  const card = list.slice(list.indexOf(`data-serial="${c.serial}"`));
  const cardEnd = card.indexOf("</article>");
  const inCard = card.slice(0, cardEnd);
  const page = await get(c.cookie, `/account/devices/${c.deviceId}`);
  const lines = (html: string) => [...html.matchAll(/<p[^>]*data-testid="plan-outlook"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => text(m[1]).trim());
  return { list: lines(inCard), page: lines(page), card: text(inCard) };
}

const subRow = (id: string) =>
  env.DB.prepare("SELECT current_period_start, current_period_end FROM subscriptions WHERE external_id = ?1")
    .bind(id)
    .first<{ current_period_start: number; current_period_end: number }>();

describe("a camera's one plan and what happens next (device list and device page)", () => {
  it("trial → bought during the trial → renewed → payment failed (grace)", async () => {
    const c = await trialCamera("path");
    const trialLine = `Free trial — 30 days left, until ${day(c.trialEndsAt)}; then no cloud history unless you choose a plan.`;
    expect(await planLines(c)).toMatchObject({ list: [trialLine], page: [trialLine] });

    const subId = await buy(c.cookie, c.deviceId);
    const bought = await subRow(subId);
    const boughtLine = `Standard — free until ${day(bought!.current_period_end)}, billing starts then.`;
    const afterBuy = await planLines(c);
    expect(afterBuy).toMatchObject({ list: [boughtLine], page: [boughtLine] });
    // Exactly one plan: the trial is not shown next to it.
    expect(afterBuy.card).not.toContain("Trial active");
    expect(afterBuy.card).not.toContain("Free trial");

    await advance(subId, "renew");
    const renewed = await subRow(subId);
    const renewLine = `Standard — renews on ${day(renewed!.current_period_end)}.`;
    expect(await planLines(c)).toMatchObject({ list: [renewLine], page: [renewLine] });

    await advance(subId, "fail_payment");
    const failed = await subRow(subId);
    const graceEnd = Math.min(failed!.current_period_start + 14 * 86_400_000, failed!.current_period_end);
    const failLine = `Standard — payment failed; Stripe is retrying and the plan stays on until ${day(graceEnd)}. Update your card to keep it. Update your card`;
    expect(await planLines(c)).toMatchObject({ list: [failLine], page: [failLine] });
    const page = await get(c.cookie, `/account/devices/${c.deviceId}`);
    expect(page).toMatch(/data-testid="plan-outlook"[\s\S]*?<a[^>]*href="\/account\/services"[^>]*>Update your card<\/a>/);
  });

  it("bought during the trial, then cancelling before the first charge, then cancelled: the trial's own days again", async () => {
    const c = await trialCamera("cancel");
    const subId = await buy(c.cookie, c.deviceId);
    const bought = await subRow(subId);
    await advance(subId, "cancel_at_period_end");
    const endsLine = `Standard — ends on ${day(bought!.current_period_end)} before its first charge, then back to Local: no cloud history.`;
    expect(await planLines(c)).toMatchObject({ list: [endsLine], page: [endsLine] });

    await advance(subId, "cancel");
    const trialLine = `Free trial — Standard was cancelled, the trial goes on: 30 days left, until ${day(c.trialEndsAt)}; then no cloud history unless you choose a plan.`;
    expect(await planLines(c)).toMatchObject({ list: [trialLine], page: [trialLine] });
  });
});
