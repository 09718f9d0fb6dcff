// The store and the checkout return in Simplified Chinese (issue #16 §7, ADR 028): every string a
// visitor reads on /, /store, each product page and /checkout/success, with product names as they are.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { allCatalogProducts, HARDWARE } from "~/domain/plans";
import { zhCN } from "~/i18n/zh-CN";
import { appFetch, ORIGIN } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";
import { standin, stripeBase, type Json } from "../helpers/stripe";

async function stripePost(path: string, params: Record<string, string>): Promise<Json> {
  const res = await fetch(`${stripeBase()}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

const ZH = { "Accept-Language": "zh-CN,zh;q=0.9" };

async function zhPage(path: string, cookie?: string) {
  const res = await appFetch(path, { headers: { ...ZH, ...(cookie ? { Cookie: cookie } : {}) } });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  expect(html, path).toContain('<html lang="zh-CN"');
  return html;
}

/** The page's own content (inside <main>), as text and alt/aria words, with product names taken out. */
function ownWords(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  const names = allCatalogProducts().map((p) => p.name);
  const attrs = [...main.matchAll(/\b(?:alt|aria-label)="([^"]*)"/g)].map((m) => m[1]).join(" ");
  let text = `${main.replace(/<[^>]+>/g, " ")} ${attrs}`;
  for (const n of names.sort((a, b) => b.length - a.length)) text = text.replaceAll(n, " ");
  return text;
}

/** Two English words in a row: a sentence left untranslated (units and codes such as "4K HDR" aside). */
const ENGLISH =
  /\b(?!(?:HDR|LTE|SIM|GB|GHz|AI|USB|PoE|IP66|microSD|Wi|Fi|Nano|fps|AOVIS|Edge|NEXA|Stripe|DC|US)\b)[A-Za-z]{2,}\s+(?!(?:HDR|LTE|SIM|GB|GHz|AI|USB|PoE|microSD|Nano|AOVIS|Edge)\b)[A-Za-z]{2,}\b/;

describe("the store in Simplified Chinese", () => {
  it("/ and /store: headings, blurbs, cards, calls to action, alt text and prices in Chinese", async () => {
    for (const path of ["/", "/store"]) {
      const html = await zhPage(path);
      for (const p of HARDWARE) {
        const card = new RegExp(`<article[^>]*data-sku="${p.sku}"[^>]*>([\\s\\S]*?)</article>`).exec(html)![1];
        expect(card).toMatch(new RegExp(`alt="${p.name}：[^"]{10,}"`));
        expect(card).toContain(`>购买 ${p.name}</a>`);
      }
      expect(html).toContain("免费 30 天，含 24 小时云端录像回看");
    }
    const store = await zhPage("/store");
    expect(store).toContain("<title>商店 — AOVIS Edge</title>");
    expect(store).toContain("US$4.99/月");
    expect(store).toContain("为一台摄像头保存一周的云端录像。");
    expect(store).not.toContain("A week of cloud history");
  });

  it("every product page: price, description, features, spec sheet, box, shipping and actions in Chinese", async () => {
    for (const p of allCatalogProducts().filter((x) => x.listed)) {
      const html = await zhPage(`/store/${p.sku}`);
      // Brand names stay; a name that is an ordinary word is translated (store.products.<sku>.name).
      const words = zhCN.store.products[p.sku as keyof typeof zhCN.store.products] as { name?: string } | undefined;
      expect(html, p.sku).toContain(`<title>${words?.name ?? p.name} — AOVIS Edge</title>`);
      expect(html, p.sku).not.toContain(p.description);
      // The comparison table is the services page's component: its words are checked there.
      const own = ownWords(html.replace(/<table[^>]*data-testid="plan-comparison"[\s\S]*?<\/table>/, ""));
      expect(ENGLISH.exec(own)?.[0] ?? null, p.sku).toBeNull();
    }
    const camera = await zhPage("/store/nexa-prime-4k");
    expect(camera).toContain('<th scope="row">视角</th><td>对角 130°</td>');
    expect(camera).toContain("<li>防水线缆护套</li>");
    expect(camera).toContain("30 天退货");
    expect(camera).toContain("免费试用：免费 30 天，含 24 小时云端录像回看，自摄像头首次激活起计算。");
    expect(camera).toContain("登录后购买");
  });

  it("an unknown product gets the 404 page in Chinese", async () => {
    const res = await appFetch("/store/no-such-thing", { headers: ZH });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain("找不到该页面");
  });
});

describe("/checkout/success in Simplified Chinese", () => {
  it("a paid order thanks the buyer in Chinese", async () => {
    const cookie = await signIn(`zh-order-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const res = await appFetch("/api/checkout/product", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ sku: "nexa-mini-2k", quantity: "1" }).toString(),
    });
    const sessionId = /(cs_test_[A-Za-z0-9]+)/.exec(res.headers.get("Location") ?? "")![1];
    await standin(`/__standin/checkout/${sessionId}/complete`);
    const html = await zhPage(`/checkout/success?session_id=${sessionId}`, cookie);
    expect(html).toContain("<title>感谢购买 — AOVIS Edge</title>");
    expect(html).toContain("感谢您的订单");
    expect(html).toMatch(/您的 NEXA Mini 2K 订单已提交|我们已收到您购买 NEXA Mini 2K 的付款/);
    expect(ENGLISH.exec(ownWords(html))?.[0] ?? null).toBeNull();
  });

  it("a cloud plan bought: active, what it keeps and when it renews, with a Chinese date", async () => {
    const cookie = await signIn(`zh-plan-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const d = await provisionTestDevice();
    expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
    const res = await appFetch("/api/checkout/cloud-storage", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ deviceId: d.id, planCode: "premium" }).toString(),
    });
    const sessionId = /(cs_test_[A-Za-z0-9]+)/.exec(res.headers.get("Location") ?? "")![1];
    await standin(`/__standin/checkout/${sessionId}/complete`);
    const html = await zhPage(`/checkout/success?session_id=${sessionId}`, cookie);
    expect(html).toContain("感谢购买：Premium 已生效");
    expect(html).toMatch(/您的摄像头现在可保存 30 天的云端录像。将于 \d{4}年\d{1,2}月\d{1,2}日 续订。/);
    expect(ENGLISH.exec(ownWords(html))?.[0] ?? null).toBeNull();
  });

  it("a payment it can't confirm says so in Chinese, the refusal sentence too", async () => {
    const cookie = await signIn(`zh-return-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const session = await stripePost("/v1/checkout/sessions", {
      mode: "payment",
      "line_items[0][price]": env.STRIPE_PRICE_NEXA_MINI_2K,
      "line_items[0][quantity]": "1",
      "metadata[checkoutType]": "product_purchase",
      "metadata[userId]": userId, // and no sku
      success_url: `${ORIGIN}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    });
    await standin(`/__standin/checkout/${session.id}/complete`);
    const html = await zhPage(`/checkout/success?session_id=${session.id}`, cookie);
    expect(html).toContain("我们暂时无法确认您的付款");
    expect(html).toContain("您不会被重复扣款");
    expect(ENGLISH.exec(ownWords(html))?.[0] ?? null).toBeNull();
  });
});
