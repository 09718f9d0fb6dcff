// The account, sign-in and deletion pages in Simplified Chinese (issue #16 §7, ADR 028), and the
// shared helpers' sentences (form replies, API messages, field problems, sign-in refusals) in the
// request's language while the `error` code stays English.
import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { signIn } from "../helpers/auth";

const ZH = { Cookie: "aovis_lang=zh-CN" };
const text = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
/** The page's visible text (scripts, which carry both the data and the served catalogue, left out). */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'");

let ip = 0;
const nextIp = () => `10.40.${Math.floor(++ip / 250)}.${ip % 250}`;
const withCookie = (session: string) => ({ Cookie: `${session}; aovis_lang=zh-CN`, "CF-Connecting-IP": nextIp() });

describe("account pages in zh-CN", () => {
  it("/login: Chinese text and title, lang=zh-CN", async () => {
    const html = await text(await appFetch("/login?error=cancelled", { headers: ZH }));
    expect(htmlLang(html)).toBe("zh-CN");
    expect(title(html)).toBe("登录 — AOVIS Edge");
    for (const s of ["使用您的 AOVIS ID 登录", "继续登录", "登录已取消。"]) expect(html).toContain(s);
    for (const s of ["Continue to sign in", "Sign-in was cancelled", "manage your cameras"]) expect(visible(html)).not.toContain(s);
  });

  it("/account: overview, time zone, sessions and data in Chinese; the saved zone's sentence too", async () => {
    const session = await signIn(`lang-account-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const html = await text(await appFetch("/account", { headers: withCookie(session) }));
    expect(htmlLang(html)).toBe("zh-CN");
    expect(title(html)).toBe("我的账户 — AOVIS Edge");
    for (const s of ["我的账户", "注册时间", "保存时区", "在所有设备上退出…", "下载我的数据", "删除账户…", "概览"]) expect(html).toContain(s);
    for (const s of ["Your account", "Member since", "Save time zone", "Sign out everywhere", "Download my data", "Overview", "Time zone"])
      expect(visible(html), s).not.toContain(s);

    const saved = await appFetch("/account?index", {
      method: "POST",
      headers: { ...withCookie(session), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "time-zone", timeZone: "Asia/Shanghai" }),
    });
    expect(await text(saved)).toContain("日期现在按 Asia/Shanghai 显示。");
    const refused = await text(
      await appFetch("/account?index", {
        method: "POST",
        headers: { ...withCookie(session), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "time-zone", timeZone: "Mars/Olympus" }),
      }),
    );
    expect(refused).toContain("请从列表中选择一个时区。");
    expect(refused).toContain("请检查表单：部分字段缺失或无效。");
  });

  it("/account/delete: the preview and its refusals in Chinese; /account-deleted too", async () => {
    const session = await signIn(`lang-delete-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const html = await text(await appFetch("/account/delete", { headers: withCookie(session) }));
    expect(title(html)).toBe("删除账户 — AOVIS Edge");
    for (const s of ["将被删除的内容", "您的语音工作室：0 条录音", "您名下没有摄像头。", "我了解此操作无法撤销。", "删除我的账户"]) expect(html).toContain(s);
    for (const s of ["What is deleted", "Your voice studio", "cannot be undone", "Keep my account"]) expect(visible(html)).not.toContain(s);

    const post = (fields: Record<string, string>) =>
      appFetch("/account/delete", {
        method: "POST",
        headers: { ...withCookie(session), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "delete", ...fields }),
      });
    const wrong = await text(await post({ confirmEmail: "someone-else@example.com", confirm: "yes" }));
    expect(wrong).toContain('data-error="confirmation_mismatch"');
    expect(wrong).toContain("您输入的电子邮件地址与此账户的不一致。");
    const unticked = await text(await post({ confirmEmail: "x@example.com" }));
    expect(unticked).toContain("请勾选此框，确认您已了解。");

    const gone = await text(await appFetch("/account-deleted", { headers: ZH }));
    expect(gone).toContain("您的账户已删除");
    expect(title(gone)).toBe("账户已删除 — AOVIS Edge");
  });

  it("a URL no route matches is the Chinese 404 page", async () => {
    const res = await appFetch("/no-such-page-here", { headers: ZH });
    expect(res.status).toBe(404);
    const html = await text(res);
    expect(htmlLang(html)).toBe("zh-CN");
    expect(visible(html)).not.toContain("We couldn’t find that page");
  });
});

describe("the shared helpers' sentences follow the request's language", () => {
  it("a form body that can't be read, and a form without a known intent", async () => {
    const session = await signIn(`lang-form-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const unreadable = await appFetch("/account?index", {
      method: "POST",
      headers: { ...withCookie(session), "Content-Type": "application/json" },
      body: JSON.stringify({ intent: "time-zone" }),
    });
    expect(unreadable.status).toBe(400);
    expect(await text(unreadable)).toContain("无法读取该请求，请使用本页上的表单。");
    const unknown = await appFetch("/account?index", {
      method: "POST",
      headers: { ...withCookie(session), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "nope" }),
    });
    expect(unknown.status).toBe(400);
    expect(await text(unknown)).toContain("请检查表单：部分字段缺失或无效。");
  });

  it("API answers: 401, 405, a field problem without a schema sentence; the code stays English", async () => {
    const unauth = await appFetch("/api/user/usage", { headers: { "Accept-Language": "zh-CN" } });
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toMatchObject({ error: "unauthenticated", message: "请先登录再继续。" });

    const session = await signIn(`lang-api-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const wrongMethod = await appFetch("/api/user/usage", { method: "POST", headers: withCookie(session) });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: "method_not_allowed", message: "此接口不接受该请求方法。" });

    // /auth/session's body has a required id_token: its problem in plain Chinese words.
    const noToken = await appFetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": "zh-CN", "CF-Connecting-IP": nextIp() },
      body: JSON.stringify({}),
    });
    expect(noToken.status).toBe(400);
    const body = (await noToken.json()) as { error: string; message: string; issues: { field: string; problem: string }[] };
    expect(body.error).toBe("invalid_request");
    expect(body.message).toBe("部分字段缺失或无效。");
    expect(body.issues).toContainEqual({ field: "id_token", problem: "此项为必填项。" });
  });

  it("a sign-in callback refusal is the Chinese page; its reference code stays", async () => {
    const res = await appFetch("/api/auth/callback?code=abc&state=not-a-state-of-ours", { headers: { ...ZH, "CF-Connecting-IP": nextIp() } });
    expect(res.status).toBe(400);
    const html = await text(res);
    expect(html).toContain("登录未完成");
    expect(html).toContain("无法在此完成登录");
    expect(html).toContain('data-testid="sign-in-error">sign_in_state_invalid<');
  });
});
