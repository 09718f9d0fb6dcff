import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RECORDING_SEARCH_MAX_CHARS, UNDO_DELETE_MINUTES, UNDO_DELETE_MS } from "~/domain/voice-recordings";
import { runScheduled } from "~/jobs/cron.server";
import { ALL_SWEEPS } from "~/jobs/sweeps.server";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { GEORGE, marker, RACHEL, settled, tts } from "../helpers/voice";

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;
const html = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const get = (cookie: string, path: string) => appFetch(path, { headers: { Cookie: cookie } });
const send = (cookie: string, method: string, path: string, body?: unknown) =>
  appFetch(path, { method, headers: { Cookie: cookie, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
const form = (cookie: string, fields: Record<string, string>) =>
  appFetch("/voice", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

let n = 0;
async function user() {
  const cookie = await signIn(`voice-rec-${++n}-${Date.now().toString(36)}@example.com`);
  return { cookie, id: await userIdOf(cookie) };
}

async function generate(cookie: string, text: string, voiceId = RACHEL) {
  const res = await tts(cookie, { voiceId, text });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const id = res.headers.get("X-Recording-Id")!;
  const row = await settled(id);
  expect(row?.status).toBe("ready");
  return { id, r2Key: row!.r2_key };
}

const listed = async (cookie: string, query = "") => (await json(await get(cookie, `/api/recordings${query}`))).recordings.map((r: Json) => r.id) as string[];
const rowOf = (id: string) =>
  env.DB.prepare("SELECT status, deleted_at FROM voice_recordings WHERE id = ?1").bind(id).first<{ status: string; deleted_at: number | null }>();
/** Moves a deletion back in time by `ms` (the clock the undo window is measured on). */
const deletedAgo = (id: string, ms: number) =>
  env.DB.prepare("UPDATE voice_recordings SET deleted_at = ?2 WHERE id = ?1")
    .bind(id, Date.now() - ms)
    .run();
const voiceSweep = ALL_SWEEPS.filter((s) => s.name === "voice_recordings");

describe("searching recordings", () => {
  it("GET /api/recordings?q= finds words in the text and the voice's name, literally and case-insensitively", async () => {
    const u = await user();
    const m = marker("find");
    const lighthouse = await generate(u.cookie, `${m} The lighthouse keeper sleeps`);
    const percent = await generate(u.cookie, `${m} Sales rose 100% this year`);
    const george = await generate(u.cookie, `${m} Good evening`, GEORGE);

    expect(await listed(u.cookie, "?q=LIGHTHOUSE")).toEqual([lighthouse.id]);
    // % and _ are letters to look for, not wildcards.
    expect(await listed(u.cookie, `?q=${encodeURIComponent("100%")}`)).toEqual([percent.id]);
    expect(await listed(u.cookie, `?q=${encodeURIComponent("_")}`)).toEqual([]);
    expect(await listed(u.cookie, "?q=george")).toEqual([george.id]);
    expect(await listed(u.cookie, "?q=nothing-like-this")).toEqual([]);
    const page = await json(await get(u.cookie, `/api/recordings?q=${encodeURIComponent(m)}&limit=2`));
    expect(page).toMatchObject({ total: 3, hasMore: true });
    // With the favourites filter: both must hold.
    expect((await send(u.cookie, "PATCH", `/api/recordings/${percent.id}`, { favorite: true })).status).toBe(200);
    expect(await listed(u.cookie, `?q=${encodeURIComponent(m)}&favoritesOnly=true`)).toEqual([percent.id]);
    // Blank is no search.
    expect(await listed(u.cookie, "?q=%20%20")).toHaveLength(3);
  });

  it("a search longer than the limit is a 400 with a code; another user's recordings never match", async () => {
    const u = await user();
    const other = await user();
    const m = marker("private");
    await generate(u.cookie, `${m} only mine`);
    const long = await get(u.cookie, `/api/recordings?q=${"a".repeat(RECORDING_SEARCH_MAX_CHARS + 1)}`);
    expect(long.status).toBe(400);
    const body = await json(long);
    expect(body.error).toBe("invalid_request");
    expect(body.issues).toEqual([{ field: "q", problem: `Search for at most ${RECORDING_SEARCH_MAX_CHARS} characters.` }]);
    expect((await get(u.cookie, `/api/recordings?q=${"a".repeat(RECORDING_SEARCH_MAX_CHARS)}`)).status).toBe(200);
    expect(await listed(other.cookie, `?q=${encodeURIComponent(m)}`)).toEqual([]);
  });

  it("the studio's search is a GET form: /voice?q= lists only the matches and keeps the words in the field", async () => {
    const u = await user();
    const m = marker("page");
    const hit = await generate(u.cookie, `${m} walrus on the beach`);
    const miss = await generate(u.cookie, `${m} a quiet morning`);
    const page = await html(await get(u.cookie, `/voice?q=walrus`));
    expect(page).toMatch(/<form[^>]*method="get"[^>]*role="search"|<form[^>]*role="search"[^>]*method="get"/);
    expect(page).toContain('name="q"');
    expect(page).toContain('value="walrus"');
    expect(page).toMatch(new RegExp(`<input[^>]*name="q"[^>]*maxlength="${RECORDING_SEARCH_MAX_CHARS}"`, "i"));
    expect(page).toContain(`data-recording-id="${hit.id}"`);
    expect(page).not.toContain(`data-recording-id="${miss.id}"`);
    // The filter links keep the search.
    expect(page).toContain("favoritesOnly=true");
    expect(page).toMatch(/href="\/voice\?q=walrus&amp;favoritesOnly=true/);
    expect(await html(await get(u.cookie, `/voice?q=zebra`))).toContain("No recordings match “zebra”.");
  });
});

describe("undo after delete", () => {
  it(`DELETE takes a recording out of the list; POST …/restore within ${UNDO_DELETE_MINUTES} minutes brings it back with its audio`, async () => {
    const u = await user();
    const a = await generate(u.cookie, `${marker("undo")} keep me after all`);
    expect(await json(await send(u.cookie, "DELETE", `/api/recordings/${a.id}`))).toEqual({ deleted: true, id: a.id });
    expect(await listed(u.cookie)).not.toContain(a.id);
    expect((await get(u.cookie, `/api/recordings/${a.id}`)).status).toBe(404);
    expect((await get(u.cookie, `/api/recordings/${a.id}/audio`)).status).toBe(404);
    expect(await rowOf(a.id)).toMatchObject({ status: "deleted" });

    const restored = await send(u.cookie, "POST", `/api/recordings/${a.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await json(restored)).recording).toMatchObject({ id: a.id, status: "ready" });
    expect(await listed(u.cookie)).toContain(a.id);
    expect((await get(u.cookie, `/api/recordings/${a.id}/audio`)).status).toBe(200);
    // Restoring a live recording again finds nothing to undo.
    expect((await send(u.cookie, "POST", `/api/recordings/${a.id}/restore`)).status).toBe(404);
    expect((await get(u.cookie, `/api/recordings/${a.id}/restore`)).status).toBe(405);
  });

  it("someone else can neither delete nor restore a recording: 404 and nothing changes", async () => {
    const owner = await user();
    const other = await user();
    const a = await generate(owner.cookie, `${marker("undo-own")} mine to delete`);
    const del = await send(other.cookie, "DELETE", `/api/recordings/${a.id}`);
    expect(del.status).toBe(404);
    expect((await json(del)).error).toBe("not_found");
    expect(await rowOf(a.id)).toMatchObject({ status: "ready", deleted_at: null });

    expect((await send(owner.cookie, "DELETE", `/api/recordings/${a.id}`)).status).toBe(200);
    const res = await send(other.cookie, "POST", `/api/recordings/${a.id}/restore`);
    expect(res.status).toBe(404);
    expect((await json(res)).error).toBe("not_found");
    expect(await rowOf(a.id)).toMatchObject({ status: "deleted" });
    // The owner still can.
    expect((await send(owner.cookie, "POST", `/api/recordings/${a.id}/restore`)).status).toBe(200);
  });

  it("past the undo window the restore is a 404, and the sweep purges the row and its R2 object", async () => {
    const u = await user();
    const late = await generate(u.cookie, `${marker("undo-late")} too late`);
    const kept = await generate(u.cookie, `${marker("undo-late")} undone in time`);
    for (const r of [late, kept]) expect((await send(u.cookie, "DELETE", `/api/recordings/${r.id}`)).status).toBe(200);
    await deletedAgo(late.id, UNDO_DELETE_MS + 1000);
    expect((await send(u.cookie, "POST", `/api/recordings/${late.id}/restore`)).status).toBe(404);
    expect((await send(u.cookie, "POST", `/api/recordings/${kept.id}/restore`)).status).toBe(200);

    // Within the window the sweep leaves a deleted recording alone; after it, row and object go.
    const fresh = await generate(u.cookie, `${marker("undo-late")} still undoable`);
    expect((await send(u.cookie, "DELETE", `/api/recordings/${fresh.id}`)).status).toBe(200);
    expect((await runScheduled(env, "17 * * * *", Date.now(), voiceSweep)).results[0].ok).toBe(true);
    expect(await env.AUDIO.head(late.r2Key)).toBeNull();
    expect(await rowOf(late.id)).toBeNull();
    expect(await rowOf(fresh.id)).toMatchObject({ status: "deleted" });
    expect(await env.AUDIO.head(fresh.r2Key)).not.toBeNull();
    expect(await env.AUDIO.head(kept.r2Key)).not.toBeNull();
    expect(await rowOf(kept.id)).toMatchObject({ status: "ready" });
  });

  it("a deleted recording whose request was generated again meanwhile can't be restored over the new one (409 naming it)", async () => {
    const u = await user();
    const text = `${marker("undo-twin")} said twice`;
    const first = await generate(u.cookie, text);
    expect((await send(u.cookie, "DELETE", `/api/recordings/${first.id}`)).status).toBe(200);
    const again = await generate(u.cookie, text);
    expect(again.id).not.toBe(first.id);
    const res = await send(u.cookie, "POST", `/api/recordings/${first.id}/restore`);
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ error: "duplicate_recording", recordingId: again.id });
    expect(await rowOf(first.id)).toMatchObject({ status: "deleted" });
  });

  it("the studio page (form posts, no JavaScript): Delete confirms in place with Undo, Undo lists it again", async () => {
    const u = await user();
    const a = await generate(u.cookie, `${marker("undo-page")} the page way`);
    const deleted = await form(u.cookie, { intent: "delete", id: a.id });
    expect(deleted.status).toBe(200);
    const after = await html(await get(u.cookie, "/voice"));
    const item = new RegExp(`<li[^>]*data-testid="recording-deleted"[^>]*data-recording-id="${a.id}"[\\s\\S]*?</li>`).exec(after)?.[0] ?? "";
    expect(item).toContain("Deleted:");
    expect(item).toContain("You can undo until");
    expect(item).toContain('name="intent" value="restore"');
    expect(item).toContain('data-testid="undo-delete"');
    expect(after).not.toMatch(new RegExp(`data-testid="recording" data-recording-id="${a.id}"`));

    const undone = await form(u.cookie, { intent: "restore", id: a.id });
    expect(undone.status).toBe(200);
    expect(await html(undone)).toContain("Recording restored.");
    const back = await html(await get(u.cookie, "/voice"));
    expect(back).toMatch(new RegExp(`data-testid="recording" data-recording-id="${a.id}"`));
    expect(back).not.toContain('data-testid="recording-deleted"');
    // Past the window the page no longer offers it, and a stale Undo says it is gone.
    await form(u.cookie, { intent: "delete", id: a.id });
    await deletedAgo(a.id, UNDO_DELETE_MS + 1000);
    expect(await html(await get(u.cookie, "/voice"))).not.toContain(`data-recording-id="${a.id}"`);
    expect(await html(await form(u.cookie, { intent: "restore", id: a.id }))).toContain("That recording no longer exists.");
  });
});

describe("voice samples", () => {
  it("the studio offers each library voice's preview_url in a labelled audio player, and the stand-in serves real audio there", async () => {
    const u = await user();
    const res = await get(u.cookie, "/voice");
    const page = await html(res);
    const samples = [...page.matchAll(/<li[^>]*data-testid="voice-sample"[^>]*data-voice-id="([^"]+)"[\s\S]*?<audio([^>]*)>/g)];
    expect(samples.length).toBeGreaterThan(1);
    const rachel = samples.find((s) => s[1] === RACHEL)!;
    expect(rachel[2]).toContain('aria-label="Sample of the voice Rachel"');
    const src = /src="([^"]+)"/.exec(rachel[2])![1].replaceAll("&amp;", "&");
    expect(src).toBe(`${env.TEST_STANDIN_URLS.elevenlabs}/__standin/previews/${RACHEL}.mp3`);
    const audio = await fetch(src);
    expect(audio.headers.get("Content-Type")).toBe("audio/mpeg");
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // The page's CSP lets the browser play it.
    expect(res.headers.get("Content-Security-Policy")).toMatch(new RegExp(`media-src [^;]*${new URL(src).origin.replaceAll(".", "\\.")}`));
  });
});
