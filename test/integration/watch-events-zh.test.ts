import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AI_SUMMARIES_PER_CAMERA_PER_DAY, budgetDay } from "~/domain/event-features";
import { MAX_QUERY_CHARS } from "~/domain/event-search";
import { appFetch } from "../helpers/app";
import { DAY, HOUR, insertEvent, ownedCamera } from "../helpers/events";

// Issue #16 §7 for the watch panels, the events sections and /account/search: a Chinese reader
// gets Chinese words (refusals included), and a Chinese owner's day sentence is Chinese (ADR 028).

const zh = (cookie: string) => ({ Cookie: `${cookie}; aovis_lang=zh-CN` });
const html = async (cookie: string, path: string) => (await appFetch(path, { headers: zh(cookie) })).text();

describe("in Simplified Chinese", () => {
  it("the search page: form, suggestions, the plan refusal, an empty page and a bad query", async () => {
    const trial = await ownedCamera("zh-search-trial@example.com", { ownedForDays: 1 });
    const refused = await html(trial.cookie, "/account/search?q=package");
    expect(refused).toContain('<html lang="zh-CN"');
    expect(refused).toContain("<title>搜索您的摄像头 — AOVIS Edge</title>");
    expect(refused).toContain("所有付费云存储套餐都包含智能搜索");
    expect(refused).toContain('data-testid="search-refused"');
    expect(refused).not.toContain("Smart search is part of every paid cloud plan");
    expect(refused).toContain(`q=${encodeURIComponent("昨天晚上")}`);

    const { cookie, device } = await ownedCamera("zh-search@example.com", { ownedForDays: 30, plan: "starter" });
    await insertEvent(device.id, { at: Date.now() - HOUR });
    const empty = await html(cookie, `/account/search?q=${"unicorn"}`);
    expect(empty).toContain('data-reason="no_match"');
    expect(empty).toContain("没有找到匹配的内容");
    const long = await html(cookie, `/account/search?q=${"x".repeat(MAX_QUERY_CHARS + 1)}`);
    expect(long).toContain(`最多 ${MAX_QUERY_CHARS} 个字符。`);
    const found = await html(cookie, `/account/search?q=${encodeURIComponent("包裹")}`);
    expect(found).toContain("搜索结果");
    expect(found).toContain("播放这一刻");
  });

  it("the device page: live, the day's section, history notes and the clip form, a refused clip", async () => {
    const { cookie, device } = await ownedCamera("zh-device@example.com", { ownedForDays: 3, plan: "standard" });
    const page = await html(cookie, `/account/devices/${device.id}`);
    for (const words of ["实时画面", "这台摄像头今天的动态", "今天（UTC）还没有检测到任何动静。", "下载片段", "每次最多下载 24 小时"])
      expect(page).toContain(words);
    for (const words of ["Download a clip", "Live view is part of owning", "Today on this camera"]) expect(page).not.toContain(words);

    const refused = await html(cookie, `/account/devices/${device.id}?clip_error=clip_error&start=2026-12-01T10:00&end=2026-12-01T10:05`);
    expect(refused).toContain("视频服务无法生成该片段。请稍后再试。");
  });

  it("a Chinese owner's day sentence is Chinese (our own, over budget); an English owner's stays English", async () => {
    const { cookie, device, userId } = await ownedCamera("zh-summary@example.com", { ownedForDays: 30, plan: "standard" });
    await env.DB.prepare("UPDATE users SET locale = 'zh-CN' WHERE id = ?1").bind(userId).run();
    const d = new Date(Date.now() - DAY);
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9, 0);
    await insertEvent(device.id, { at });
    await env.DB.prepare("INSERT INTO ai_usage (device_id, day, kind, used, updated_at) VALUES (?1, ?2, 'summary', ?3, 0)")
      .bind(device.id, budgetDay(Date.now()), AI_SUMMARIES_PER_CAMERA_PER_DAY)
      .run();
    const date = new Date(at).toISOString().slice(0, 10);
    const r = await appFetch(`/api/devices/${device.id}/summary?date=${date}`, { headers: { Cookie: cookie } });
    expect(await r.json()).toMatchObject({ summary: "昨天：09:00 有包裹。", source: "facts" });

    await env.DB.prepare("UPDATE users SET locale = 'en' WHERE id = ?1").bind(userId).run();
    const en = await appFetch(`/api/devices/${device.id}/summary?date=${date}`, { headers: { Cookie: cookie } });
    expect(await en.json()).toMatchObject({ summary: "Yesterday: a parcel at 09:00.", source: "facts" });
  });
  it("an English sentence naming a Chinese-named camera is not taken for Chinese: a Chinese owner gets it asked again", async () => {
    const { cookie, device, userId } = await ownedCamera("zh-named@example.com", { ownedForDays: 30, plan: "standard" });
    const ownership = await env.DB.prepare("SELECT id FROM device_ownerships WHERE device_id = ?1 AND status = 'active'")
      .bind(device.id)
      .first<{ id: string }>();
    await env.DB.prepare("UPDATE device_ownerships SET name = '前门' WHERE id = ?1").bind(ownership!.id).run();
    const d = new Date(Date.now() - DAY);
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9, 0);
    await insertEvent(device.id, { at });
    const seq = await env.DB.prepare("SELECT max(seq) AS s FROM camera_events WHERE device_id = ?1").bind(device.id).first<{ s: number }>();
    const date = new Date(at).toISOString().slice(0, 10);
    // What an English-reading owner's visit stored: the model's English sentence, with the camera's name in it.
    await env.DB.prepare(
      "INSERT INTO event_summaries (device_id, ownership_id, date, time_zone, summary, event_count, through_seq, from_at, source, computed_at) VALUES (?1, ?2, ?3, 'UTC', ?4, 1, ?5, 0, 'ai', 0)",
    )
      .bind(device.id, ownership!.id, date, "Yesterday: a parcel at 09:00 at 前门.", seq!.s)
      .run();
    await env.DB.prepare("UPDATE users SET locale = 'zh-CN' WHERE id = ?1").bind(userId).run();
    await env.DB.prepare("INSERT INTO ai_usage (device_id, day, kind, used, updated_at) VALUES (?1, ?2, 'summary', ?3, 0)")
      .bind(device.id, budgetDay(Date.now()), AI_SUMMARIES_PER_CAMERA_PER_DAY)
      .run();
    const r = await appFetch(`/api/devices/${device.id}/summary?date=${date}`, { headers: { Cookie: cookie } });
    expect(await r.json()).toMatchObject({ summary: "昨天：09:00 有包裹。", source: "facts" });
  });
});
