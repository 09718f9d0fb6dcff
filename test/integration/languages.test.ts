// Languages (ADR 028, issue #16 §7) through the real Worker: the served language names <html lang>,
// the text is in it, refusal sentences follow it (codes don't), and the switcher's cookie wins and
// becomes a signed-in user's mail language.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { cookieFrom, idTokenFor, postSession, userIdOf } from "../helpers/auth";

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe("languages", () => {
  it("serves zh-CN for Accept-Language zh-CN: <html lang>, Chinese text", async () => {
    const res = await appFetch("/login", { headers: { "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(htmlLang(html)).toBe("zh-CN");
    expect(html).toContain("跳到主要内容");
    expect(html).toContain("价格以美元计");
    expect(html).not.toContain("Skip to content");
  });

  it("serves English with lang=en for a language we don't write (de-DE)", async () => {
    const html = await (await appFetch("/login", { headers: { "Accept-Language": "de-DE,de;q=0.9" } })).text();
    expect(htmlLang(html)).toBe("en");
    expect(html).toContain("Skip to content");
  });

  it("answers a refusal's message in the served language; the error code stays", async () => {
    const zh = await appFetch("/api/devices", { headers: { "Accept-Language": "zh-CN", Accept: "application/json" } });
    expect(zh.status).toBe(401);
    expect(await zh.json()).toMatchObject({ error: "unauthenticated", message: "请先登录再继续。" });
    const en = await appFetch("/api/devices", { headers: { "Accept-Language": "de-DE", Accept: "application/json" } });
    expect(await en.json()).toMatchObject({ error: "unauthenticated", message: "Please sign in to continue." });
  });

  it("the switcher (a plain form post) sets a cookie that wins over Accept-Language, and returns to the page", async () => {
    const res = await appFetch("/language", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en-US" },
      body: new URLSearchParams({ lang: "zh-CN", returnTo: "/store?x=1" }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/store?x=1");
    const cookie = res.headers.get("Set-Cookie")!.split(";")[0];
    expect(cookie).toBe("aovis_lang=zh-CN");
    const html = await (await appFetch("/login", { headers: { Cookie: cookie, "Accept-Language": "en-US,en;q=0.9" } })).text();
    expect(htmlLang(html)).toBe("zh-CN");
  });

  it("refuses an unknown language or a foreign return address without setting anything", async () => {
    const bad = await appFetch("/language", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ lang: "fr" }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("invalid_request");
    expect(bad.headers.get("Set-Cookie")).toBeNull();
    const away = await appFetch("/language", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ lang: "en", returnTo: "//evil.example/x" }).toString(),
    });
    expect(away.headers.get("Location")).toBe("/");
  });

  it("a signed-in user's choice becomes their mail language", async () => {
    const email = `lang-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const session = cookieFrom(await postSession(await idTokenFor(email), { "Accept-Language": "en-US" }));
    const id = await userIdOf(session);
    const before = await env.DB.prepare("SELECT locale FROM users WHERE id = ?").bind(id).first<{ locale: string }>();
    expect(before?.locale).toBe("en");
    const res = await appFetch("/language", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: session },
      body: new URLSearchParams({ lang: "zh-CN", returnTo: "/account" }).toString(),
    });
    expect(res.status).toBe(303);
    const after = await env.DB.prepare("SELECT locale FROM users WHERE id = ?").bind(id).first<{ locale: string }>();
    expect(after?.locale).toBe("zh-CN");
  });
});
