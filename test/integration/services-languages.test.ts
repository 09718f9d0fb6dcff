// /account/services in Simplified Chinese (ADR 028, issue #16 §7): every sentence on the page, the
// plan comparison's markers, the statuses and the form's replies in the served language; plan,
// product and camera names stay names.
import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, addPaidSubscription, provisionTestDevice } from "../helpers/devices";

const ZH = { "Accept-Language": "zh-CN,zh;q=0.9" };
/** What a person reads on this page (the account layout's body: its menu is the account page's): no scripts (the served catalogue rides along there), no tags. */
const mainText = (html: string) =>
  (/<div class="account-body">[\s\S]*?<\/main>/.exec(html)?.[0] ?? "")
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replaceAll("&amp;", "&");
/** Names and codes that may stay as they are; what is left must not be an English word. */
const NAMES = /NEXA (?:Prime 4K|Mini 2K)|T4K-[A-Z0-9]+|Starter|Standard|Premium|Voice (?:Free|Basic|Premium)|Stripe|AOVIS Edge|AI|SIM|microSD|US\$[\d.,]+/g;

function post(cookie: string, fields: Record<string, string>) {
  return appFetch("/account/services", {
    method: "POST",
    headers: { ...ZH, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("/account/services in zh-CN", () => {
  it("says everything in Chinese, with Chinese dates, and <html lang> says so", async () => {
    const cookie = await signIn(`services-zh-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const onTrial = await provisionTestDevice({ iccid: null });
    const paid = await provisionTestDevice({ iccid: null });
    for (const d of [onTrial, paid]) expect((await activate(cookie, d.serial, d.code)).status).toBe(200);
    await addPaidSubscription(paid.id, userId, "standard");

    const res = await appFetch("/account/services", { headers: { ...ZH, Cookie: cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(/<html lang="([^"]+)"/.exec(html)?.[1]).toBe("zh-CN");
    expect(html).toContain("<title>服务与账单 — AOVIS Edge</title>");
    const text = mainText(html);
    for (const words of [
      "服务与账单",
      "套餐对比",
      "试用中",
      "有效",
      "当前套餐：",
      "推荐",
      "选择云套餐",
      "7 天云端历史录像",
      "/月",
      "语音工作室",
      "订单",
      "年",
    ]) {
      expect(text).toContain(words);
    }
    const english = text.replace(NAMES, " ").match(/[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})*/g) ?? [];
    expect(english).toEqual([]);
  });

  it("answers the form in Chinese: its own sentence and a refusal's (the code stays)", async () => {
    const cookie = await signIn(`services-zh-form-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const invalid = await post(cookie, { intent: "cloud-checkout", planCode: "standard" });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("请选择一台摄像头和一个套餐。");
    const refused = await post(cookie, { intent: "cloud-checkout", planCode: "standard", deviceId: crypto.randomUUID() });
    expect(await refused.text()).toMatch(/role="alert">找不到该摄像头。</);
  });
});
