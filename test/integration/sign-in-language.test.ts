// The mail language a sign-in stores (users.locale, ADR 019/028): the switcher's cookie wins over
// Accept-Language, as on the pages, through both sign-ins (the hand-over and the server flow); a
// sign-in that names no language we write keeps the stored one.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callback, cookieFrom, idTokenFor, loginAtAuth0, postSession, startServerSignIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";
import { standinControl } from "../helpers/standins";

const unique = (tag: string) => `lang-${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const localeOf = async (cookie: string) =>
  (
    await env.DB.prepare("SELECT locale FROM users WHERE id = ?")
      .bind(await userIdOf(cookie))
      .first<{ locale: string | null }>()
  )?.locale;

async function handOver(email: string, headers: Record<string, string>) {
  const res = await postSession(await idTokenFor(email), headers);
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

describe("sign-in language", () => {
  it("a sign-in with aovis_lang=zh-CN and Accept-Language en stores zh-CN, and the user's mail comes in Chinese", async () => {
    const to = unique("zh");
    const b = await handOver(to, { Cookie: "aovis_lang=zh-CN", "Accept-Language": "en-US,en;q=0.9" });
    expect(await localeOf(b)).toBe("zh-CN");

    // A transfer offer to them: the mail is in the language the sign-in stored.
    const from = unique("from");
    const a = await handOver(from, { "Accept-Language": "en-US" });
    const device = await provisionTestDevice();
    expect((await activate(a, device.serial, device.code)).status).toBe(200);
    expect((await postJson(a, `/api/devices/${device.id}/transfers`, { toEmail: to, includeSim: false })).status).toBe(201);
    const { messages } = (await standinControl(env.TEST_STANDIN_URLS.mail, `messages?to=${encodeURIComponent(to)}`)) as {
      messages: { subject: string; html: string }[];
    };
    expect(messages).toHaveLength(1);
    expect(messages[0].subject).toContain("想将摄像头");
    expect(messages[0].html).toContain('<html lang="zh-CN">');
  });

  it("the cookie's English wins over a Chinese browser; with neither cookie nor a language we write, the stored one stays", async () => {
    const email = unique("en");
    expect(await localeOf(await handOver(email, { Cookie: "aovis_lang=en", "Accept-Language": "zh-CN,zh;q=0.9" }))).toBe("en");
    expect(await localeOf(await handOver(email, { "Accept-Language": "zh-CN" }))).toBe("zh-CN");
    expect(await localeOf(await handOver(email, { Cookie: "aovis_lang=xx", "Accept-Language": "de-DE" }))).toBe("zh-CN");
  });

  it("the server flow (/api/auth/callback) prefers the cookie too", async () => {
    const email = unique("flow");
    const started = await startServerSignIn("/account");
    const back = await loginAtAuth0(started.authorize, email);
    const res = await callback(back, `${started.browser}; aovis_lang=zh-CN`, { "Accept-Language": "en-US,en;q=0.9" });
    expect(res.status).toBe(302);
    expect(await localeOf(cookieFrom(res))).toBe("zh-CN");
  });
});
