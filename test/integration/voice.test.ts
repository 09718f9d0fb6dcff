import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { runScheduled } from "~/jobs/cron.server";
import { UNDO_DELETE_MS } from "~/domain/voice-recordings";
import { ALL_SWEEPS } from "~/jobs/sweeps.server";
import { putStream } from "~/lib/audio-store.server";
import { depsFor } from "~/models/deps.server";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { GEORGE, injectFault, marker, RACHEL, setUsage, settled, setVoiceTier, tts, ttsStats, usageOf, wavFile } from "../helpers/voice";

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;
/** What a person is told when the provider cut a generation off after its first bytes. */
const CUT_OFF = "The generation was cut off by the voice service. It was not counted; please try again.";

let n = 0;
async function user(tier: "FREE" | "BASIC" | "PREMIUM" = "FREE") {
  const cookie = await signIn(`voice-${tier.toLowerCase()}-${++n}-${Date.now().toString(36)}@example.com`);
  const id = await userIdOf(cookie);
  if (tier !== "FREE") await setVoiceTier(id, tier);
  return { cookie, id };
}

/** Generates, drains the streamed body and waits for the R2 write; returns the id and the bytes. */
async function generate(cookie: string, body: Record<string, unknown>) {
  const res = await tts(cookie, { voiceId: RACHEL, ...body });
  // The body is only worth reading as text (an error's JSON) when the status is wrong: audio read
  // with .text() makes workerd warn about a corrupted result on every call.
  expect(
    res.status,
    res.status === 200
      ? ""
      : await res
          .clone()
          .text()
          .catch(() => ""),
  ).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const id = res.headers.get("X-Recording-Id")!;
  const row = await settled(id);
  return { res, id, bytes, row };
}

// React separates adjacent text nodes with <!-- --> in server HTML.
const html = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const get = (cookie: string, path: string, headers: Record<string, string> = {}) => appFetch(path, { headers: { Cookie: cookie, ...headers } });
const send = (cookie: string, method: string, path: string, body?: unknown) =>
  appFetch(path, { method, headers: { Cookie: cookie, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("quota", () => {
  it("a Free user's 11th generation this month → 403 LIMIT_REACHED with an upgradeUrl; usage stays 10", async () => {
    const u = await user();
    const m = marker("free11");
    for (let i = 1; i <= 10; i++) await generate(u.cookie, { text: `${m} number ${i}` });
    expect(await usageOf(u.id)).toBe(10);
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} number 11` });
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body).toMatchObject({ error: "LIMIT_REACHED", upgradeUrl: "/store/aovis-voice-basic", limit: 10 });
    expect(typeof body.message).toBe("string");
    expect(await usageOf(u.id)).toBe(10);
    expect((await ttsStats(m)).ttsCalls).toBe(10);
  });

  it("20 concurrent generations with 3 left → exactly 3 succeed, usage ends at the limit", async () => {
    const u = await user();
    await setUsage(u.id, 7);
    const m = marker("race");
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} concurrent ${i}` });
        const body = res.status === 200 ? await res.arrayBuffer() : await res.json();
        return { status: res.status, id: res.headers.get("X-Recording-Id"), body };
      }),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r.status === 403).every((r) => (r.body as Json).error === "LIMIT_REACHED")).toBe(true);
    expect(results.filter((r) => r.status === 403)).toHaveLength(17);
    for (const r of ok) expect((await settled(r.id!))?.status).toBe("ready");
    expect(await usageOf(u.id)).toBe(10);
    expect((await ttsStats(m)).ttsCalls).toBe(3);
  });

  it("a provider failure refunds the generation and leaves no recording", async () => {
    const u = await user();
    await setUsage(u.id, 4);
    const m = marker("fail");
    await injectFault({ mode: "server_error", textIncludes: m });
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} will fail` });
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ error: "provider_unavailable" });
    expect(await usageOf(u.id)).toBe(4);
    const list = await json(await get(u.cookie, "/api/recordings"));
    expect(list.total).toBe(0);
    // The provider's own quota error is ours to absorb too: refunded, 503.
    await injectFault({ mode: "quota_exceeded", textIncludes: m });
    expect((await tts(u.cookie, { voiceId: RACHEL, text: `${m} quota` })).status).toBe(503);
    expect(await usageOf(u.id)).toBe(4);
  });

  it("empty audio from the provider refunds → 502 provider_no_audio", async () => {
    const u = await user();
    const m = marker("empty");
    await injectFault({ mode: "empty_audio", textIncludes: m });
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} silence` });
    expect(res.status).toBe(502);
    expect(await json(res)).toMatchObject({ error: "provider_no_audio" });
    expect(await usageOf(u.id)).toBe(0);
    expect((await ttsStats(m)).byOutcome).toEqual({ "fault:empty_audio": 1 });
  });

  it("a stream cut mid-body marks the recording failed and refunds it", async () => {
    const u = await user();
    const m = marker("cut");
    await injectFault({ mode: "cut_stream", textIncludes: m });
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} ${"long text ".repeat(40)}` });
    const id = res.headers.get("X-Recording-Id")!;
    expect(res.status).toBe(200); // the headers were already on their way
    // The body errors like the provider's did: a client's read rejects (a browser's fetch too), it
    // never ends as if the audio were whole. workerd logs the reset response once ("uncaught
    // exception … AudioCutOffError"), and the stand-in's cut once ("stream disconnected prematurely").
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect((await settled(id))?.status).toBe("failed");
    expect(await usageOf(u.id)).toBe(0);
    expect((await get(u.cookie, `/api/recordings/${id}`)).status).toBe(404);
  });

  it("a caller who hangs up mid-stream still gets the recording stored (and counted)", async () => {
    const u = await user();
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${marker("hangup")} ${"long text ".repeat(40)}` });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).value?.length).toBeGreaterThan(0);
    await reader.cancel();
    expect((await settled(res.headers.get("X-Recording-Id")!))?.status).toBe("ready");
    expect(await usageOf(u.id)).toBe(1);
  });

  it("Premium is unlimited: usage at 1000 still generates (and is still counted)", async () => {
    const u = await user("PREMIUM");
    await setUsage(u.id, 1000);
    const { res } = await generate(u.cookie, { text: `${marker("prem")} unlimited`, settings: { stability: 0.2, speed: 1.1 } });
    expect(res.headers.get("X-Generations-Limit")).toBe("unlimited");
    expect(await usageOf(u.id)).toBe(1001);
    const usage = await json(await get(u.cookie, "/api/user/usage"));
    expect(usage).toMatchObject({ recordingsUsed: 1001, recordingsLimit: null, tier: "PREMIUM" });
  });
});

describe("tier features", () => {
  it("Free with slider settings → 403 feature_locked (no provider call, no quota)", async () => {
    const u = await user();
    const m = marker("locked");
    const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} sliders`, settings: { stability: 0.3 } });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: "feature_locked", feature: "sliders", upgradeUrl: "/store/aovis-voice-premium" });
    const preset = await tts(u.cookie, { voiceId: RACHEL, text: `${m} preset`, preset: "podcast" });
    expect(preset.status).toBe(403);
    expect(await json(preset)).toMatchObject({ error: "feature_locked", feature: "preset", upgradeUrl: "/store/aovis-voice-basic" });
    expect((await ttsStats(m)).ttsCalls).toBe(0);
    expect(await usageOf(u.id)).toBe(0);
  });

  it("Basic may use its presets but not sliders", async () => {
    const u = await user("BASIC");
    await generate(u.cookie, { text: `${marker("basic")} podcast`, preset: "podcast" });
    const res = await tts(u.cookie, { voiceId: RACHEL, text: "sliders", settings: { speed: 1.1 } });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe("feature_locked");
  });

  it("bad input is a 4xx JSON, never a 500", async () => {
    const u = await user();
    const cases: [unknown, number, string][] = [
      [{ voiceId: RACHEL }, 400, "invalid_request"],
      [{ voiceId: RACHEL, text: "   " }, 400, "invalid_request"],
      [{ voiceId: RACHEL, text: "x".repeat(5001) }, 400, "invalid_request"],
      [{ voiceId: "bad id!", text: "hi" }, 400, "invalid_request"],
      [{ voiceId: "nope0000", text: "hi" }, 400, "unknown_voice"],
      [{ voiceId: RACHEL, text: "hi", settings: { stability: "high" } }, 400, "invalid_request"],
      [{ voiceId: RACHEL, text: "hi", preset: "no-such-preset" }, 400, "invalid_request"],
    ];
    for (const [body, status, error] of cases) {
      const res = await tts(u.cookie, body as Json);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect((await json(res)).error).toBe(error);
    }
    const notJson = await appFetch("/api/tts", { method: "POST", headers: { Cookie: u.cookie, "Content-Type": "application/json" }, body: "{oops" });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error).toBe("invalid_body");
    expect((await appFetch("/api/tts", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).status).toBe(401);
    expect((await get(u.cookie, "/api/recordings?limit=0")).status).toBe(400);
    expect(await usageOf(u.id)).toBe(0);
  });
});

describe("dedupe", () => {
  it("an identical request is served from history without quota or a provider call; other settings generate anew", async () => {
    const u = await user();
    const m = marker("dedupe");
    const first = await generate(u.cookie, { text: `${m} same words`, preset: "natural" });
    expect(first.row?.status).toBe("ready");
    expect(first.res.headers.get("X-Recording-Source")).toBe("provider");
    // "natural" is Free's default preset, so omitting it is the same effective request.
    const again = await tts(u.cookie, { voiceId: RACHEL, text: `${m} same words` });
    expect(again.status).toBe(200);
    expect(again.headers.get("X-Recording-Source")).toBe("history");
    expect(again.headers.get("X-Recording-Id")).toBe(first.id);
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(first.bytes);
    expect(await usageOf(u.id)).toBe(1);
    expect((await ttsStats(m)).ttsCalls).toBe(1);

    await generate(u.cookie, { text: `${m} same words`, preset: "calm" });
    await generate(u.cookie, { voiceId: GEORGE, text: `${m} same words` });
    expect(await usageOf(u.id)).toBe(3);
    expect((await ttsStats(m)).ttsCalls).toBe(3);

    // Once the audio is gone (deleted), the same request is a new generation.
    expect((await send(u.cookie, "DELETE", `/api/recordings/${first.id}`)).status).toBe(200);
    await generate(u.cookie, { text: `${m} same words` });
    expect((await ttsStats(m)).ttsCalls).toBe(4);
    expect(await usageOf(u.id)).toBe(4);
  });
});

describe("recordings", () => {
  it("the stream and the stored object are the same MP3; list, favorite, delete", async () => {
    const u = await user();
    const a = await generate(u.cookie, { text: `${marker("rec")} alpha` });
    const b = await generate(u.cookie, { text: `${marker("rec")} beta` });
    expect(a.res.headers.get("Content-Type")).toBe("audio/mpeg");
    expect(a.bytes.length).toBeGreaterThan(1000);
    expect(a.row).toMatchObject({ status: "ready", size: a.bytes.length, r2_key: `${u.id}/${a.id}.mp3` });
    const stored = await env.AUDIO.get(a.row!.r2_key);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(a.bytes);
    expect(stored!.httpMetadata?.contentType).toBe("audio/mpeg");

    const list = await json(await get(u.cookie, "/api/recordings?page=1&limit=1"));
    expect(list).toMatchObject({ page: 1, limit: 1, total: 2, hasMore: true });
    expect(list.recordings[0]).toMatchObject({ id: b.id, status: "ready", favorite: false, audioUrl: `/api/recordings/${b.id}/audio` });

    const fav = await json(await send(u.cookie, "PATCH", `/api/recordings/${a.id}`, { favorite: true }));
    expect(fav.recording).toMatchObject({ favorite: true, expiresAt: null });
    const favorites = await json(await get(u.cookie, "/api/recordings?favoritesOnly=true"));
    expect(favorites.recordings.map((r: Json) => r.id)).toEqual([a.id]);
    // Un-favoriting (here by toggling with no body) restarts the 7-day clock.
    const before = Date.now();
    const unfav = await json(await send(u.cookie, "PATCH", `/api/recordings/${a.id}`));
    expect(unfav.recording.favorite).toBe(false);
    expect(unfav.recording.expiresAt).toBeGreaterThanOrEqual(before + 7 * 86400_000 - 1000);

    expect(await json(await send(u.cookie, "DELETE", `/api/recordings/${b.id}`))).toEqual({ deleted: true, id: b.id });
    expect((await get(u.cookie, `/api/recordings/${b.id}`)).status).toBe(404);
    // Issue #14: a delete can be undone for UNDO_DELETE_MINUTES; once that window is over the sweep
    // removes the object and the row (test/integration/voice-recordings.test.ts covers the undo).
    const afterUndoWindow = Date.now() + UNDO_DELETE_MS + 1000;
    expect(
      (
        await runScheduled(
          env,
          "17 * * * *",
          afterUndoWindow,
          ALL_SWEEPS.filter((s) => s.name === "voice_recordings"),
        )
      ).results[0].ok,
    ).toBe(true);
    expect(await env.AUDIO.head(b.row!.r2_key)).toBeNull();
    expect(await env.DB.prepare("SELECT id FROM voice_recordings WHERE id = ?1").bind(b.id).first()).toBeNull();
    expect((await get(u.cookie, `/api/recordings/${b.id}`)).status).toBe(404);
  });

  it("another user's recording is 404 on GET, PATCH, DELETE and audio; nothing changes", async () => {
    const owner = await user();
    const other = await user();
    const { id } = await generate(owner.cookie, { text: `${marker("own")} mine` });
    const responses = [
      await get(other.cookie, `/api/recordings/${id}`),
      await send(other.cookie, "PATCH", `/api/recordings/${id}`, { favorite: true }),
      await send(other.cookie, "DELETE", `/api/recordings/${id}`),
      await get(other.cookie, `/api/recordings/${id}/audio`),
      await get(other.cookie, `/api/recordings/not-a-real-id-000/audio`),
    ];
    for (const r of responses) {
      expect(r.status).toBe(404);
      expect((await json(r)).error).toBe("not_found");
    }
    expect((await json(await get(other.cookie, "/api/recordings"))).total).toBe(0);
    const mine = await json(await get(owner.cookie, `/api/recordings/${id}`));
    expect(mine.recording).toMatchObject({ id, favorite: false });
    expect((await get(owner.cookie, `/api/recordings/${id}/audio`)).status).toBe(200);
  });

  it("audio supports Range: 206 with the right bytes, suffix and open ranges, 416 outside", async () => {
    const u = await user();
    const { id } = await generate(u.cookie, { text: `${marker("range")} seek through this` });
    const full = await get(u.cookie, `/api/recordings/${id}/audio`);
    expect(full.status).toBe(200);
    expect(full.headers.get("Accept-Ranges")).toBe("bytes");
    expect(full.headers.get("Content-Type")).toBe("audio/mpeg");
    const all = new Uint8Array(await full.arrayBuffer());
    const size = all.length;
    expect(Number(full.headers.get("Content-Length"))).toBe(size);

    const cases: [string, number, number][] = [
      ["bytes=10-99", 10, 99],
      [`bytes=${size - 20}-`, size - 20, size - 1],
      ["bytes=-50", size - 50, size - 1],
      [`bytes=100-${size + 500}`, 100, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(u.cookie, `/api/recordings/${id}/audio`, { Range: range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/${size}`);
      expect(Number(res.headers.get("Content-Length"))).toBe(end - start + 1);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(all.slice(start, end + 1));
    }
    const outside = await get(u.cookie, `/api/recordings/${id}/audio`, { Range: `bytes=${size}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("Content-Range")).toBe(`bytes */${size}`);
    expect((await json(outside)).error).toBe("range_not_satisfiable");
  });

  it("the cron deletes an expired non-favorite (object, then row) and keeps the favorite", async () => {
    const u = await user();
    const gone = await generate(u.cookie, { text: `${marker("exp")} old news` });
    const kept = await generate(u.cookie, { text: `${marker("exp")} keep me` });
    expect((await send(u.cookie, "PATCH", `/api/recordings/${kept.id}`, { favorite: true })).status).toBe(200);
    const later = Date.now() + 8 * 86400_000;

    // Only our sweep (it must be registered in ALL_SWEEPS), so other subsystems' sweeps stay out of this test.
    const sweeps = ALL_SWEEPS.filter((s) => s.name === "voice_recordings");
    expect(sweeps).toHaveLength(1);
    const report = await runScheduled(env, "17 * * * *", later, sweeps);
    const sweep = report.results.find((r) => r.name === "voice_recordings");
    expect(sweep?.ok).toBe(true);
    expect(await env.AUDIO.head(gone.row!.r2_key)).toBeNull();
    expect(await env.DB.prepare("SELECT id FROM voice_recordings WHERE id = ?1").bind(gone.id).first()).toBeNull();
    expect(await env.AUDIO.head(kept.row!.r2_key)).not.toBeNull();
    expect(await env.DB.prepare("SELECT status FROM voice_recordings WHERE id = ?1").bind(kept.id).first()).toEqual({ status: "ready" });
    // Idempotent: a second run finds nothing more to do for this user.
    expect((await runScheduled(env, "17 * * * *", later, sweeps)).results[0].ok).toBe(true);
    expect(await env.AUDIO.head(kept.row!.r2_key)).not.toBeNull();
  });
});

describe("instant voice cloning", () => {
  function ivc(cookie: string, files: File[], name = "My voice") {
    const form = new FormData();
    form.append("name", name);
    for (const f of files) form.append("files", f, f.name);
    return appFetch("/api/ivc", { method: "POST", headers: { Cookie: cookie }, body: form });
  }

  it("Free → 403 feature_locked", async () => {
    const u = await user();
    const res = await ivc(u.cookie, [wavFile("a.wav")]);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: "feature_locked", feature: "voice_cloning" });
  });

  it("oversize, non-audio, too many or no files → 400 with a code", async () => {
    const u = await user("BASIC");
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0x49, 0x44, 0x33]); // "ID3": real MP3 magic, just too large
    const pdf = new File([new TextEncoder().encode("%PDF-1.7 not audio at all")], "doc.mp3", { type: "audio/mpeg" });
    const wavAsText = new File([await wavFile("x.wav").arrayBuffer()], "x.txt", { type: "text/plain" });
    const cases: [File[], string][] = [
      [[new File([big], "big.mp3", { type: "audio/mpeg" })], "file_too_large"],
      [[pdf], "unsupported_file_type"],
      [[wavAsText], "unsupported_file_type"],
      [Array.from({ length: 6 }, (_, i) => wavFile(`s${i}.wav`, 512, i)), "too_many_files"],
      [[], "no_files"],
    ];
    for (const [files, code] of cases) {
      const res = await ivc(u.cookie, files);
      expect(res.status, code).toBe(400);
      expect((await json(res)).error).toBe(code);
    }
    const noName = await ivc(u.cookie, [wavFile("a.wav")], "  ");
    expect(noName.status).toBe(400);
    const notMultipart = await send(u.cookie, "POST", "/api/ivc", { name: "x" });
    expect((await json(notMultipart)).error).toBe("invalid_body");
    expect((await json(await get(u.cookie, "/api/voices"))).voices.filter((v: Json) => v.own)).toEqual([]);
  });

  it("Basic clones a voice: listed for its owner only, and only its owner can speak with it", async () => {
    const owner = await user("BASIC");
    const other = await user("PREMIUM");
    const res = await ivc(owner.cookie, [wavFile("one.wav", 1024, 1), wavFile("two.wav", 1024, 2)], "Grandpa");
    expect(res.status).toBe(201);
    const { voice } = await json(res);
    expect(voice).toMatchObject({ name: "Grandpa", sampleCount: 2 });

    const mine = (await json(await get(owner.cookie, "/api/voices"))).voices as Json[];
    expect(mine.find((v) => v.voiceId === voice.voiceId)).toMatchObject({ own: true, category: "cloned", name: "Grandpa" });
    expect(mine.some((v) => v.voiceId === RACHEL)).toBe(true);
    const theirs = (await json(await get(other.cookie, "/api/voices"))).voices as Json[];
    expect(theirs.some((v) => v.voiceId === voice.voiceId)).toBe(false);
    expect(theirs.every((v) => v.category !== "cloned")).toBe(true);

    await generate(owner.cookie, { voiceId: voice.voiceId, text: `${marker("clone")} hello from my clone` });
    const stolen = await tts(other.cookie, { voiceId: voice.voiceId, text: "borrowed" });
    expect(stolen.status).toBe(400);
    expect((await json(stolen)).error).toBe("unknown_voice");
  });
});

describe("custom presets", () => {
  const body = { name: "Slow and warm", stability: 0.7, similarityBoost: 0.8, style: 0.1, speed: 0.8 };

  it("Premium creates, uses, lists and deletes; others' → 404; non-Premium → 403", async () => {
    const free = await user();
    const basic = await user("BASIC");
    for (const u of [free, basic]) {
      const res = await send(u.cookie, "POST", "/api/presets", body);
      expect(res.status).toBe(403);
      expect((await json(res)).error).toBe("feature_locked");
    }
    const prem = await user("PREMIUM");
    const created = await send(prem.cookie, "POST", "/api/presets", body);
    expect(created.status).toBe(201);
    const { preset } = await json(created);
    expect(preset).toMatchObject(body);
    expect((await send(prem.cookie, "POST", "/api/presets", { ...body, speed: 3 })).status).toBe(400);

    // The studio offers it, with the sliders unlocked.
    const page = await html(await get(prem.cookie, "/voice"));
    expect(page).toContain(`value="custom:${preset.id}"`);
    expect(page).toContain('name="useSliders"');
    expect(page).not.toMatch(/<fieldset[^>]*disabled/);

    const list = await json(await get(prem.cookie, "/api/presets"));
    expect(list.customPresetsAllowed).toBe(true);
    expect(list.custom.map((p: Json) => p.id)).toEqual([preset.id]);
    expect(list.system.every((p: Json) => p.available)).toBe(true);
    const freeList = await json(await get(free.cookie, "/api/presets"));
    expect(freeList.system.filter((p: Json) => p.available).map((p: Json) => p.id)).toEqual(["natural", "calm", "bright", "announcer"]);
    expect(freeList.custom).toEqual([]);

    const { id } = await generate(prem.cookie, { text: `${marker("cp")} custom`, customPresetId: preset.id });
    const rec = await json(await get(prem.cookie, `/api/recordings/${id}`));
    expect(rec.recording).toMatchObject({ customPresetId: preset.id, settings: { stability: 0.7, similarityBoost: 0.8, style: 0.1, speed: 0.8 } });
    // Someone else's preset id is unknown to this user.
    expect((await tts(basic.cookie, { voiceId: RACHEL, text: "x", customPresetId: preset.id })).status).toBe(400);

    expect((await send(basic.cookie, "DELETE", `/api/presets/${preset.id}`)).status).toBe(404);
    expect((await send(prem.cookie, "DELETE", `/api/presets/${preset.id}`)).status).toBe(200);
    expect((await send(prem.cookie, "DELETE", `/api/presets/${preset.id}`)).status).toBe(404);
  });
});

describe("profile and usage", () => {
  it("GET /api/user/profile and /api/user/usage have the documented shapes", async () => {
    const u = await user();
    await generate(u.cookie, { text: `${marker("profile")} hi` });
    const profile = await json(await get(u.cookie, "/api/user/profile"));
    expect(profile).toEqual({
      userId: u.id,
      email: expect.stringMatching(/@example\.com$/),
      subscriptionTier: "FREE",
      // Stripe's words (issue 15): no subscription at all is the free tier, always active.
      subscriptionStatus: "active",
      recordingsThisMonth: 1,
      maxRecordings: 10,
      resetDate: expect.any(Number),
      features: {
        monthlyGenerations: 10,
        presetIds: ["natural", "calm", "bright", "announcer"],
        slidersUnlocked: false,
        advancedControls: false,
        customPresets: false,
        voiceCloning: false,
        // The documented clients' names for the same facts (docs/api.md).
        maxRecordingsPerMonth: 10,
        allowAdvancedAudioControls: false,
        allowCustomPresets: false,
        availablePresets: ["natural", "calm", "bright", "announcer"],
      },
      upgradeUrl: "/store/aovis-voice-basic",
    });
    const now = new Date();
    expect(profile.resetDate).toBe(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(await json(await get(u.cookie, "/api/user/usage"))).toEqual({ recordingsUsed: 1, recordingsLimit: 10, resetDate: profile.resetDate, tier: "FREE" });

    const p = await user("BASIC");
    expect(await json(await get(p.cookie, "/api/user/profile"))).toMatchObject({ subscriptionTier: "BASIC", subscriptionStatus: "active", maxRecordings: 100 });
    expect((await appFetch("/api/user/profile")).status).toBe(401);
  });
});

const sha256 = async (b: Uint8Array<ArrayBuffer>) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))].map((x) => x.toString(16).padStart(2, "0")).join("");

describe("R2 writes of unknown length", () => {
  const streamOf = (bytes: Uint8Array, chunk = 64 * 1024) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
        c.close();
      },
    });

  it("a stream longer than one part becomes a multipart upload with the exact bytes; a known length streams straight in", async () => {
    const bytes = new Uint8Array(11 * 1024 * 1024 + 12345);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i / 4096) & 0xff;
    const big = await putStream(env.AUDIO, "test/multipart.mp3", streamOf(bytes), { contentType: "audio/mpeg" });
    expect(big).toEqual({ size: bytes.length, parts: 3 });
    const back = new Uint8Array(await (await env.AUDIO.get("test/multipart.mp3"))!.arrayBuffer());
    expect(back.length).toBe(bytes.length);
    // Digests, not toEqual: an element-wise diff of 11 MB would exhaust the test worker's heap.
    expect(await sha256(back)).toBe(await sha256(bytes));

    const small = bytes.slice(0, 300_000);
    expect(await putStream(env.AUDIO, "test/fixed.mp3", streamOf(small), { contentType: "audio/mpeg", contentLength: small.length })).toEqual({
      size: small.length,
      parts: 1,
    });
    expect(new Uint8Array(await (await env.AUDIO.get("test/fixed.mp3"))!.arrayBuffer())).toEqual(small);
  });
});

describe("studio page /voice", () => {
  const form = (cookie: string, fields: Record<string, string>) =>
    appFetch("/voice", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });

  it("signed out it is a teaser with a sign-in link", async () => {
    const res = await appFetch("/voice");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/login?returnTo=%2Fvoice"');
    expect(html).not.toContain('name="text"');
  });

  it("generates without JavaScript (form post → redirect → player), and shows the upgrade prompt at the limit", async () => {
    const u = await user();
    await setUsage(u.id, 9);
    const page = await html(await get(u.cookie, "/voice"));
    expect(page).toContain("9 / 10");
    expect(page).toContain('data-testid="generate"');
    expect(page).toMatch(/<fieldset[^>]*disabled/);
    expect(page).toContain("Upgrade to Premium");

    const res = await form(u.cookie, { intent: "generate", voiceId: RACHEL, text: `${marker("page")} from a plain form`, preset: "calm" });
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    const id = /\/voice\?r=([0-9a-f-]{36})$/.exec(location)?.[1];
    expect(id).toBeTruthy();
    expect((await settled(id!))?.status).toBe("ready");
    const after = await html(await get(u.cookie, location));
    expect(after).toContain(`src="/api/recordings/${id}/audio"`);
    expect(after).toContain('data-testid="upgrade-prompt"');
    expect(after).not.toContain('data-testid="generate"');
    const rec = await json(await get(u.cookie, `/api/recordings/${id}`));
    expect(rec.recording).toMatchObject({ preset: "calm", status: "ready" });

    // The same page's favorite and a refused generation (limit) are plain forms too.
    const fav = await form(u.cookie, { intent: "favorite", id: id!, favorite: "true" });
    expect(fav.status).toBe(200);
    expect((await json(await get(u.cookie, `/api/recordings/${id}`))).recording.favorite).toBe(true);
    const refused = await form(u.cookie, { intent: "generate", voiceId: RACHEL, text: "one too many" });
    expect(refused.status).toBe(200);
    expect(await html(refused)).toContain("You have used all 10 generations");
  });
});

describe("studio page forms", () => {
  const post = (cookie: string, body: URLSearchParams | FormData) => appFetch("/voice", { method: "POST", headers: { Cookie: cookie }, body });

  it("a refused form keeps what was typed and names the field (no JavaScript needed)", async () => {
    const u = await user();
    const long = await post(u.cookie, new URLSearchParams({ intent: "generate", voiceId: RACHEL, text: "x".repeat(5001) }));
    expect(long.status).toBe(400);
    const page = await html(long);
    expect(page).toContain('<span class="field-error" id="text-error">Enter between 1 and 5,000 characters of text.</span>');

    const badVoice = await html(await post(u.cookie, new URLSearchParams({ intent: "generate", voiceId: "bad id!", text: "Keep these words" })));
    expect(badVoice).toContain('id="voiceId-error"');
    expect(badVoice).toMatch(/<textarea[^>]*>Keep these words<\/textarea>/);
    expect(await usageOf(u.id)).toBe(0);
  });

  it("in Chinese, the schema's own field sentences are said in Chinese (parseInput), the API's stay English", async () => {
    const u = await user();
    const zh = { Cookie: `${u.cookie}; aovis_lang=zh-CN` };
    const long = await appFetch("/voice", {
      method: "POST",
      headers: zh,
      body: new URLSearchParams({ intent: "generate", voiceId: RACHEL, text: "x".repeat(5001) }),
    });
    expect(await html(long)).toContain('<span class="field-error" id="text-error">请输入 1 到 5,000 个字符的文字。</span>');
    const badVoice = await html(
      await appFetch("/voice", { method: "POST", headers: zh, body: new URLSearchParams({ intent: "generate", voiceId: "bad id!", text: "好" }) }),
    );
    expect(badVoice).toContain("请从列表中选择一个声音。");
    expect(await usageOf(u.id)).toBe(0);
  });

  it("clones from the page's multipart form, with the same checks as the API", async () => {
    const u = await user("BASIC");
    const form = new FormData();
    form.append("intent", "clone");
    form.append("name", "Page clone");
    form.append("files", wavFile("page.wav", 1024, 91), "page.wav");
    const res = await post(u.cookie, form);
    expect(res.status).toBe(200);
    expect(await html(res)).toContain("Your voice &quot;Page clone&quot; is ready.");
    expect((await json(await get(u.cookie, "/api/voices"))).voices.filter((v: Json) => v.own).map((v: Json) => v.name)).toEqual(["Page clone"]);

    const empty = new FormData();
    empty.append("intent", "clone");
    empty.append("name", "Nothing");
    expect(await html(await post(u.cookie, empty))).toContain("Add at least one audio sample.");
  });

  it("a generation the provider cuts off mid-audio: the page says so (not counted, try again), with and without JavaScript; the recording is failed", async () => {
    const u = await user();
    await setUsage(u.id, 2);
    const m = marker("page-cut");
    await injectFault({ mode: "cut_stream", textIncludes: m, count: 2 });
    const fields = (n: number) => new URLSearchParams({ intent: "generate", voiceId: RACHEL, text: `${m} ${n} ${"long text ".repeat(40)}` });
    // Without JavaScript: the page itself, with the sentence in its alert.
    const page = await post(u.cookie, fields(1));
    expect(page.status).toBe(200);
    expect(await html(page)).toContain(CUT_OFF);
    // With JavaScript: Remix's fetch of /voice.data gets the same reply, which the studio shows in its alert.
    const data = await appFetch("/voice.data", { method: "POST", headers: { Cookie: u.cookie }, body: fields(2) });
    expect(data.status).toBe(200);
    expect(await data.text()).toContain(CUT_OFF);
    const rows = await env.DB.prepare("SELECT status FROM voice_recordings WHERE user_id = ?1").bind(u.id).all<{ status: string }>();
    expect(rows.results).toEqual([{ status: "failed" }, { status: "failed" }]);
    expect(await usageOf(u.id)).toBe(2);
  });
});

describe("hardening", () => {
  // A fault inside D1 itself: a trigger that aborts one statement for one user only, so parallel
  // tests never see it. Dropped in `finally`.
  async function withTrigger<T>(name: string, sql: string, fn: () => Promise<T>): Promise<T> {
    await env.DB.prepare(`CREATE TRIGGER ${name} ${sql}`).run();
    try {
      return await fn();
    } finally {
      await env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run();
    }
  }
  const blockRefund = (name: string, userId: string) =>
    `BEFORE UPDATE OF used ON voice_usage WHEN NEW.user_id = '${userId}' AND NEW.used < OLD.used BEGIN SELECT RAISE(ABORT, 'injected: ${name}'); END`;
  const rowOf = (id: string) => env.DB.prepare("SELECT status FROM voice_recordings WHERE id = ?1").bind(id).first<{ status: string }>();
  // A stale row the sweep fails is expired at once, so the same run deletes it.
  const sweptAway = async (id: string) => expect((await rowOf(id))?.status ?? "deleted").toMatch(/^(failed|deleting|deleted)$/);

  it("a failed generation's flip and refund are one transaction: if the refund can't run, the row stays pending and the sweep refunds it once", async () => {
    const { sweepRecordings } = await import("~/models/voice/sweep.server");
    const u = await user();
    await setUsage(u.id, 3);
    const m = marker("atomic");
    await injectFault({ mode: "server_error", textIncludes: m });
    const res = await withTrigger("t_atomic_fail", blockRefund("atomic", u.id), () => tts(u.cookie, { voiceId: RACHEL, text: `${m} refund blocked` }));
    expect(res.status).toBeGreaterThanOrEqual(500);
    await res.arrayBuffer();
    const row = await env.DB.prepare("SELECT id, status FROM voice_recordings WHERE user_id = ?1").bind(u.id).first<{ id: string; status: string }>();
    expect(row?.status).toBe("pending"); // not "failed" with the unit gone
    expect(await usageOf(u.id)).toBe(4);
    await sweepRecordings(depsFor(env), Date.now() + 2 * 3600_000);
    await sweptAway(row!.id);
    expect(await usageOf(u.id)).toBe(3);
    await sweepRecordings(depsFor(env), Date.now() + 3 * 3600_000);
    expect(await usageOf(u.id)).toBe(3); // never refunded twice
  });

  it("the sweep fails stale pending rows and refunds them in one transaction", async () => {
    const { sweepRecordings } = await import("~/models/voice/sweep.server");
    const { monthKey } = await import("~/domain/voice-tiers");
    const u = await user();
    const now = Date.now();
    await setUsage(u.id, 5);
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    for (const [i, id] of ids.entries()) {
      await env.DB.prepare(
        `INSERT INTO voice_recordings (id, user_id, voice_id, voice_name, text, settings_json, fingerprint, usage_month, r2_key, content_type, status, favorite, created_at, expires_at)
         VALUES (?1, ?2, ?3, 'Rachel', 'stale', '{}', ?4, ?5, ?6, 'audio/mpeg', 'pending', 0, ?7, ?8)`,
      )
        .bind(id, u.id, RACHEL, `fp-stale-${id}`, monthKey(now), `${u.id}/${id}.mp3`, now - 2 * 3600_000 - i, now + 86400_000)
        .run();
    }
    await expect(withTrigger("t_atomic_sweep", blockRefund("sweep", u.id), () => sweepRecordings(depsFor(env), now))).rejects.toThrow();
    for (const id of ids) expect((await rowOf(id))?.status).toBe("pending");
    expect(await usageOf(u.id)).toBe(5);
    expect((await sweepRecordings(depsFor(env), now)).stalePendingFailed).toBeGreaterThanOrEqual(2);
    for (const id of ids) await sweptAway(id);
    expect(await usageOf(u.id)).toBe(3);
  });

  it("a D1 failure writing the pending row gives the reserved unit back", async () => {
    const u = await user();
    await setUsage(u.id, 2);
    const m = marker("insert");
    const res = await withTrigger(
      "t_insert_fail",
      `BEFORE INSERT ON voice_recordings WHEN NEW.user_id = '${u.id}' BEGIN SELECT RAISE(ABORT, 'injected: insert'); END`,
      () => tts(u.cookie, { voiceId: RACHEL, text: `${m} never stored` }),
    );
    expect(res.status).toBeGreaterThanOrEqual(500);
    await res.arrayBuffer();
    expect(await usageOf(u.id)).toBe(2);
    expect((await ttsStats(m)).ttsCalls).toBe(0);
  });

  it("concurrent preset creations never exceed the limit of 50", async () => {
    const u = await user("PREMIUM");
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: 47 }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO voice_presets (id, user_id, name, stability, similarity_boost, style, speed, created_at) VALUES (?1, ?2, ?3, 0.5, 0.5, 0, 1, ?4)",
        ).bind(crypto.randomUUID(), u.id, `p${i}`, now + i),
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(u.cookie, "POST", "/api/presets", { name: `race ${i}`, stability: 0.5, similarityBoost: 0.5, style: 0, speed: 1 }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    for (const r of results.filter((r) => r.status === 409)) expect((await json(r)).error).toBe("preset_limit_reached");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM voice_presets WHERE user_id = ?1").bind(u.id).first<{ n: number }>();
    expect(count?.n).toBe(50);
  });

  function ivcForm(files: File[], name = "My voice") {
    const form = new FormData();
    form.append("name", name);
    for (const f of files) form.append("files", f, f.name);
    return form;
  }
  const ivc = (cookie: string, files: File[], name?: string) =>
    appFetch("/api/ivc", { method: "POST", headers: { Cookie: cookie }, body: ivcForm(files, name) });

  it("concurrent clones never exceed 10 per user; a lost race is a 409", async () => {
    const u = await user("BASIC");
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: 9 }, (_, i) =>
        env.DB.prepare("INSERT INTO voice_clones (id, user_id, voice_id, name, sample_count, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)").bind(
          crypto.randomUUID(),
          u.id,
          `seeded${crypto.randomUUID().slice(0, 8)}${i}`,
          `v${i}`,
          now + i,
        ),
      ),
    );
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => ivc(u.cookie, [wavFile(`race${i}.wav`, 1024, 10 + i)], `Race ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect((await json(r)).error).toBe("clone_limit_reached");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM voice_clones WHERE user_id = ?1").bind(u.id).first<{ n: number }>();
    expect(count?.n).toBe(10);
  });

  it("a D1 failure after the provider made the clone → 503 storage_failed, and the orphaned provider voice id is logged as an error", async () => {
    const u = await user("BASIC");
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
    try {
      const res = await withTrigger(
        "t_clone_fail",
        `BEFORE INSERT ON voice_clones WHEN NEW.user_id = '${u.id}' BEGIN SELECT RAISE(ABORT, 'injected: clone'); END`,
        () => ivc(u.cookie, [wavFile("orphan.wav", 1024, 42)], "Orphan"),
      );
      expect(res.status).toBe(503);
      expect((await json(res)).error).toBe("storage_failed");
    } finally {
      spy.mockRestore();
    }
    const line = errors
      .map((l) => {
        try {
          return JSON.parse(l) as Json;
        } catch {
          return null;
        }
      })
      .find((l) => l?.msg === "voice_clone_orphaned");
    expect(line).toMatchObject({ level: "error", userId: u.id, voiceId: expect.stringMatching(/^[A-Za-z0-9]{8,}$/) });
    expect((await json(await get(u.cookie, "/api/voices"))).voices.filter((v: Json) => v.own)).toEqual([]);
  });

  it("a chunked upload (no Content-Length) is cut off past the cap → 413 payload_too_large; a small chunked one still works", async () => {
    const u = await user("BASIC");
    const head = new TextEncoder().encode(
      '--XBOUNDARY\r\nContent-Disposition: form-data; name="name"\r\n\r\nBig\r\n--XBOUNDARY\r\nContent-Disposition: form-data; name="files"; filename="big.mp3"\r\nContent-Type: audio/mpeg\r\n\r\nID3',
    );
    const chunk = new Uint8Array(1024 * 1024);
    const total = 64; // MB offered; the cap is ~51 MB
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(head);
        if (sent >= total) {
          c.enqueue(new TextEncoder().encode("\r\n--XBOUNDARY--\r\n"));
          c.close();
          return;
        }
        sent++;
        c.enqueue(chunk);
      },
    });
    const res = await appFetch("/api/ivc", { method: "POST", headers: { Cookie: u.cookie, "Content-Type": "multipart/form-data; boundary=XBOUNDARY" }, body });
    expect(res.status).toBe(413);
    expect((await json(res)).error).toBe("payload_too_large");

    const form = new Response(ivcForm([wavFile("small.wav", 1024, 77)], "Chunked"));
    const small = await appFetch("/api/ivc", {
      method: "POST",
      headers: { Cookie: u.cookie, "Content-Type": form.headers.get("Content-Type")! },
      body: form.body,
    });
    expect(small.status).toBe(201);
    expect((await json(small)).voice).toMatchObject({ name: "Chunked", sampleCount: 1 });
  });

  it("recording audio is revalidated every time (private, no-cache + ETag), so a shared computer's cache can't replay it", async () => {
    const u = await user();
    const { id } = await generate(u.cookie, { text: `${marker("cache")} not for the cache` });
    const res = await get(u.cookie, `/api/recordings/${id}/audio`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-cache");
    expect(res.headers.get("ETag")).toBeTruthy();
    await res.arrayBuffer();
    const partial = await get(u.cookie, `/api/recordings/${id}/audio`, { Range: "bytes=0-9" });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("Cache-Control")).toBe("private, no-cache");
    await partial.arrayBuffer();
  });

  it("the studio's action answers a JSON or text POST with a 400, not a 500", async () => {
    const u = await user();
    for (const [type, body] of [
      ["application/json", '{"intent":"generate"}'],
      ["text/plain", "intent=generate"],
    ]) {
      const res = await appFetch("/voice", { method: "POST", headers: { Cookie: u.cookie, "Content-Type": type }, body });
      expect(res.status, type).toBe(400);
      await res.arrayBuffer();
    }
    expect(await usageOf(u.id)).toBe(0);
  });
});
