import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HARDWARE } from "~/domain/plans";
import { HARDWARE_DETAILS } from "~/domain/product-details";
import { en } from "~/i18n/en";
import { appFetch, shownMarkup } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, addPaidSubscription, provisionTestDevice } from "../helpers/devices";
import { deliverAll, standin, type EventRecord } from "../helpers/stripe";

const page = async (path: string, cookie?: string) => {
  const res = await appFetch(path, { headers: { "Accept-Language": "en-US", ...(cookie ? { Cookie: cookie } : {}) } });
  expect(res.status, path).toBe(200);
  return res.text();
};
/** The comparison table's row for a plan code. */
const row = (html: string, code: string) => {
  const m = new RegExp(`<tr[^>]*data-plan="${code}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  expect(m, `row ${code}`).not.toBeNull();
  return m![1];
};
const currentRows = (html: string) =>
  [...html.matchAll(/<tr[^>]*data-plan="([a-z]+)"[^>]*>(?:(?!<\/tr>)[\s\S])*?data-testid="current-plan"/g)].map((m) => m[1]);

function form(cookie: string, path: string, fields: Record<string, string>) {
  return appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

async function ownerOnStandard(tag: string) {
  const cookie = await signIn(`store-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const userId = await userIdOf(cookie);
  const device = await provisionTestDevice({ iccid: null });
  expect((await activate(cookie, device.serial, device.code)).status).toBe(200);
  await addPaidSubscription(device.id, userId, "standard");
  return { cookie, userId, device };
}

describe("store imagery and product pages (issue #16 §1)", () => {
  it("/store and / show a picture with alt text and a call to action on every camera card, in a grid that fits any count", async () => {
    for (const path of ["/store", "/"]) {
      const html = await page(path);
      for (const p of HARDWARE) {
        const card = new RegExp(`<article[^>]*data-sku="${p.sku}"[^>]*>([\\s\\S]*?)</article>`).exec(html)![1];
        expect(card).toMatch(new RegExp(`<img[^>]*src="/images/products/${p.sku}\\.svg"[^>]*alt="${p.name}: [^"]{20,}"`));
        expect(card).toContain(`>Buy ${p.name}</a>`);
      }
      expect(html).toContain('class="product-grid"');
    }
  });

  it("each camera page: its image, the spec table, what is in the box, shipping and returns, and the plans that go with it", async () => {
    for (const p of HARDWARE) {
      const html = await page(`/store/${p.sku}`);
      expect(html).toMatch(new RegExp(`<img[^>]*alt="${p.name}: [^"]+"[^>]*data-testid="product-image"`));
      const specs = /data-testid="spec-table"[\s\S]*?<\/table>/.exec(html)![0];
      // The spec sheet's words are the store catalogue's, in the rows' order (ADR 028).
      const words = en.store.products[p.sku as keyof typeof en.store.products] as { specs: Record<string, string>; box: Record<string, string> };
      const rows = [...specs.matchAll(/<th scope="row">([^<]*)<\/th><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
      expect(rows).toEqual(HARDWARE_DETAILS[p.sku].specs.map((code) => [en.store.specLabel[code], words.specs[code].replaceAll("&", "&amp;")]));
      for (const code of HARDWARE_DETAILS[p.sku].inTheBox) expect(html).toContain(`<li>${words.box[code]}</li>`);
      expect(html).toContain("30-day returns");
      expect(html).toContain("Free trial: 30 days free, 24 hours of cloud history");
      expect(html).toContain('data-testid="plan-comparison"');
    }
  });
});

describe("plans compared (issue #16 §2)", () => {
  it("a visitor sees the comparison with the trial told honestly, Standard recommended, and no current plan", async () => {
    const html = await page("/store");
    expect(row(html, "trial")).toContain("Free trial");
    expect(row(html, "trial")).toContain("24 hours");
    expect(row(html, "trial")).toContain("Free for 30 days");
    expect(row(html, "standard")).toContain('data-testid="recommended-plan"');
    expect(row(html, "premium")).toContain("30 days");
    expect(row(html, "premium")).toContain("$9.99");
    expect(row(html, "local")).toContain("None (microSD only)");
    expect(html).not.toContain('data-testid="current-plan"');
    // One name for the trial: none of the old ones anywhere on the page.
    expect(html).not.toMatch(/Daily Backup|Starter Trial/);
  });

  it("a customer with Standard sees it marked as the current plan on /store, a camera page and /account/services", async () => {
    const { cookie } = await ownerOnStandard("current");
    for (const path of ["/store", "/store/nexa-prime-4k", "/account/services"]) {
      const html = await page(path, cookie);
      expect(currentRows(html), path).toEqual(["standard"]);
    }
    // Another customer (trial only) has their own marker, never this one's.
    const other = await signIn(`store-trial-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const d = await provisionTestDevice({ iccid: null });
    expect((await activate(other, d.serial, d.code)).status).toBe(200);
    expect(currentRows(await page("/store", other))).toEqual(["trial"]);
  });

  it("after buying Standard the device list and API show Standard, not the trial's days left beside it", async () => {
    const { cookie, device } = await ownerOnStandard("supersede");
    const list = await page("/account/devices", cookie);
    expect(list).toContain("Standard");
    // What the page shows, not the served catalogue the root loader sends along in a <script> (ADR 028).
    expect(shownMarkup(list)).not.toMatch(/Trial active|30 days left|Free trial —/);
    const api = (await (await appFetch(`/api/devices/${device.id}`, { headers: { Cookie: cookie } })).json()) as { device?: unknown } & Record<string, unknown>;
    expect(JSON.stringify(api)).toContain('"state":"superseded"');
    expect(JSON.stringify(api)).not.toContain('"daysLeft"');
  });
});

describe("orders on /account/services (issue #16 §6)", () => {
  it("a hardware purchase through the Stripe stand-in is listed with its status and Stripe's receipt; only to its owner", async () => {
    const cookie = await signIn(`store-order-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const before = await page("/account/services", cookie);
    expect(before).toContain('data-testid="no-orders"');

    const res = await form(cookie, "/api/checkout/product", { sku: "nexa-prime-4k", quantity: "1" });
    expect(res.status).toBe(303);
    const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(res.headers.get("Location") ?? "")![1];
    const done = await standin<{ events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
    await deliverAll(done.events);

    const [order] = (await env.DB.prepare("SELECT status, receipt_url FROM orders WHERE checkout_session_id = ?1").bind(sessionId).all()).results as {
      status: string;
      receipt_url: string | null;
    }[];
    expect(order.status).toBe("PAID");
    expect(order.receipt_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/receipts\/payment\/ch_/);
    // The link is the stand-in's receipt page for this charge.
    expect((await fetch(order.receipt_url!)).status).toBe(200);

    const html = await page("/account/services", cookie);
    const orders = /data-testid="orders"[\s\S]*?<\/table>/.exec(html)![0];
    expect(orders).toContain("NEXA Prime 4K");
    expect(orders).toContain("$149.99");
    expect(orders).toContain(">Paid<");
    expect(orders).toContain(`href="${order.receipt_url}"`);

    // The success page re-reads the same session: the receipt stays (never erased by a re-read).
    await appFetch(`/checkout/success?session_id=${sessionId}`, { headers: { Cookie: cookie } });
    const again = (await env.DB.prepare("SELECT receipt_url FROM orders WHERE checkout_session_id = ?1").bind(sessionId).first()) as { receipt_url: string };
    expect(again.receipt_url).toBe(order.receipt_url);

    // Someone else sees none of it: not the order, not the receipt.
    const stranger = await signIn(`store-stranger-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const theirs = await page("/account/services", stranger);
    expect(theirs).toContain('data-testid="no-orders"');
    expect(theirs).not.toContain(order.receipt_url!);
  });

  it("signed out, /account/services sends you to sign in (no orders to anyone)", async () => {
    const res = await appFetch("/account/services", { redirect: "manual" });
    expect([302, 303]).toContain(res.status);
  });
});
