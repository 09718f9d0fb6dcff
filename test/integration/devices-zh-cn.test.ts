// /account/devices and the device page in Simplified Chinese (issue #16 §7, ADR 028): the served
// language's words in the markup, form replies, field problems and refusals included.
import { describe, expect, it } from "vitest";
import { appFetch, shownMarkup } from "../helpers/app";
import { signIn } from "../helpers/auth";
import { activate, provisionTestDevice } from "../helpers/devices";

const ZH = { "Accept-Language": "zh-CN,zh;q=0.9" };
// The markup only: the scripts carry the served catalogue and the loader data.
const shown = shownMarkup;

let ip = 0;
function pageForm(cookie: string, fields: Record<string, string>, path = "/account/devices?index") {
  return appFetch(path, {
    method: "POST",
    headers: { ...ZH, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `10.31.${Math.floor(++ip / 250)}.${ip % 250}` },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("the devices pages in zh-CN", () => {
  it("the list, its forms and its replies are in Chinese", async () => {
    const a = await signIn("zh-devices@example.com");
    const d = await provisionTestDevice();
    const empty = shown(await (await appFetch("/account/devices", { headers: { ...ZH, Cookie: a } })).text());
    expect(empty).toContain('<html lang="zh-CN">');
    expect(empty).toContain("<title>我的设备 — AOVIS Edge</title>");
    expect(empty).toContain("还没有摄像头。");
    expect(empty).not.toContain("Activate a camera");

    // A field problem from the schema and the form's own sentence, in Chinese.
    const bad = shown(await (await pageForm(a, { intent: "activate", serial: "x", activationCode: d.code })).text());
    expect(bad).toContain("请输入标签上的序列号，例如 N4K-000001。");
    expect(bad).toContain("请检查表单：部分字段缺失或无效。");

    const activated = shown(await (await pageForm(a, { intent: "activate", serial: d.serial, activationCode: d.code })).text());
    expect(activated).toContain("NEXA Prime 4K 已激活。30 天免费云存储试用已开始。");

    const ask = shown(await (await pageForm(a, { intent: "unbind", deviceId: d.id })).text());
    expect(ask).toContain(`确定移除 ${d.serial}`);
    expect(ask).toContain(`<strong>确定永久移除 ${d.serial}？</strong>`);
  });

  it("a refusal is the code's Chinese sentence", async () => {
    const a = await signIn("zh-devices-refused@example.com");
    const d = await provisionTestDevice();
    const refused = shown(await (await pageForm(a, { intent: "activate", serial: d.serial, activationCode: "NOPE-0000" })).text());
    expect(refused).toContain("notice--error");
    expect(refused).not.toContain("don't match a camera");
  });

  it("the device page: story, rename and its problems", async () => {
    const a = await signIn("zh-device-page@example.com");
    const d = await provisionTestDevice();
    await activate(a, d.serial, d.code);
    const page = shown(await (await appFetch(`/account/devices/${d.id}`, { headers: { ...ZH, Cookie: a } })).text());
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain("30 天免费云存储试用已开始");
    expect(page).toContain("为这台摄像头命名");
    expect(page).not.toContain("This camera on your account");

    const tooLong = shown(await (await pageForm(a, { intent: "rename", name: "x".repeat(41) }, `/account/devices/${d.id}`)).text());
    expect(tooLong).toContain("摄像头名称最多 40 个字符。");
    const saved = shown(await (await pageForm(a, { intent: "rename", name: "前门" }, `/account/devices/${d.id}`)).text());
    expect(saved).toContain("已保存：这台摄像头现在叫“前门”。");
  });
});
