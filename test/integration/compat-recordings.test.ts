// Issue 15 §1: the documented API shapes for JSON clients (recordings: favourites uploaded with
// their audio, and the documented fields on every recording). Bad input is a 4xx with a stable code
// and changes nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { postJson } from "../helpers/devices";
import type { Json } from "../helpers/stripe";
import { RACHEL, settled, tts, usageOf, wavFile } from "../helpers/voice";

let n = 0;
async function user(tag: string) {
  const email = `compat-${tag}-${++n}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  const cookie = await signIn(email);
  return { cookie, email, id: await userIdOf(cookie) };
}

const upload = (cookie: string, fields: Record<string, string | File>, headers: Record<string, string> = {}) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return appFetch("/api/recordings", { method: "POST", headers: { Cookie: cookie, ...headers }, body });
};
const rowsOf = async (userId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM voice_recordings WHERE user_id = ?1").bind(userId).first<{ n: number }>())!.n;
const objectsOf = async (userId: string) => (await env.AUDIO.list({ prefix: `${userId}/` })).objects.length;
const FIELDS = { voiceId: RACHEL, voiceName: "Rachel", text: "Welcome home.", speed: "1.1", presetUsed: "calm" };
const DOCUMENTED = ["voiceId", "voiceName", "text", "speed", "isFavorite", "createdAt", "audioConfig", "presetUsed"];

describe("POST /api/recordings (a favourite with its audio)", () => {
  it("201 {recordingId, s3Url}; the owner plays it from s3Url, nobody else; listed as a favourite in the documented fields; no quota spent", async () => {
    const a = await user("rec-up");
    const audio = wavFile("welcome.wav", 4096, 7);
    const res = await upload(a.cookie, { ...FIELDS, audioBlob: audio, audioConfig: JSON.stringify({ stability: 0.6, speakerBoost: true }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Json;
    expect(body.s3Url).toBe(`${env.APP_ORIGIN}/api/recordings/${body.recordingId}/audio`);

    const played = await appFetch(new URL(body.s3Url).pathname, { headers: { Cookie: a.cookie } });
    expect(played.status).toBe(200);
    expect(played.headers.get("Content-Type")).toBe("audio/wav");
    expect(new Uint8Array(await played.arrayBuffer())).toEqual(new Uint8Array(await audio.arrayBuffer()));
    const b = await user("rec-other");
    expect((await appFetch(new URL(body.s3Url).pathname, { headers: { Cookie: b.cookie } })).status).toBe(404);

    const listed = (await (await appFetch("/api/recordings?favoritesOnly=true", { headers: { Cookie: a.cookie } })).json()) as Json;
    expect(listed.recordings).toHaveLength(1);
    expect(listed.recordings[0]).toMatchObject({
      id: body.recordingId,
      voiceId: RACHEL,
      voiceName: "Rachel",
      text: "Welcome home.",
      speed: 1.1,
      isFavorite: true,
      favorite: true,
      expiresAt: null,
      createdAt: expect.any(Number),
      audioConfig: { stability: 0.6, speakerBoost: true },
      presetUsed: "calm",
      audioUrl: `/api/recordings/${body.recordingId}/audio`,
    });
    const one = (await (await appFetch(`/api/recordings/${body.recordingId}`, { headers: { Cookie: a.cookie } })).json()) as Json;
    for (const k of DOCUMENTED) expect(one.recording, k).toHaveProperty(k);
    expect(await usageOf(a.id)).toBe(0);
  });

  it("a generated recording's JSON carries the documented fields too", async () => {
    const a = await user("rec-gen");
    const res = await tts(a.cookie, { voiceId: RACHEL, text: `compat generated ${crypto.randomUUID()}`, preset: "natural" });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const id = res.headers.get("X-Recording-Id")!;
    await settled(id);
    const one = (await (await appFetch(`/api/recordings/${id}`, { headers: { Cookie: a.cookie } })).json()) as Json;
    expect(one.recording).toMatchObject({ voiceId: RACHEL, speed: 1, isFavorite: false, presetUsed: "natural", audioConfig: { speed: 1, stability: 0.5 } });
  });

  it("bad uploads → 4xx with a stable code; no row, no object", async () => {
    const a = await user("rec-bad");
    const pdf = new File([new TextEncoder().encode("%PDF-1.7 not audio at all")], "song.mp3", { type: "audio/mpeg" });
    const cases: [Record<string, string | File>, number, string, string?][] = [
      [{ ...FIELDS, audioBlob: pdf }, 400, "unsupported_file_type"],
      [{ ...FIELDS, audioBlob: new File([], "empty.wav", { type: "audio/wav" }) }, 400, "empty_file"],
      [{ ...FIELDS }, 400, "invalid_request", "audioBlob"],
      [{ ...FIELDS, audioBlob: wavFile("a.wav"), speed: "5" }, 400, "invalid_request", "speed"],
      [{ ...FIELDS, audioBlob: wavFile("a.wav"), audioConfig: "{not json" }, 400, "invalid_request", "audioConfig"],
      [{ ...FIELDS, audioBlob: wavFile("a.wav"), audioConfig: "[1,2]" }, 400, "invalid_request", "audioConfig"],
      [{ ...FIELDS, audioBlob: wavFile("a.wav"), text: "" }, 400, "invalid_request", "text"],
      [{ ...FIELDS, audioBlob: wavFile("a.wav"), voiceId: "../../etc" }, 400, "invalid_request", "voiceId"],
    ];
    for (const [fields, status, code, field] of cases) {
      const res = await upload(a.cookie, fields);
      const r = (await res.json()) as Json;
      expect([res.status, r.error], JSON.stringify(Object.keys(fields))).toEqual([status, code]);
      if (field) expect(r.field).toBe(field);
    }
    const asJson = await postJson(a.cookie, "/api/recordings", { ...FIELDS });
    expect([asJson.status, ((await asJson.json()) as Json).error]).toEqual([400, "invalid_body"]);
    const huge = await appFetch("/api/recordings", {
      method: "POST",
      headers: { Cookie: a.cookie, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(20 * 1024 * 1024) },
      body: "--x--",
    });
    expect([huge.status, ((await huge.json()) as Json).error]).toEqual([413, "payload_too_large"]);
    expect((await upload("", { ...FIELDS, audioBlob: wavFile("a.wav") })).status).toBe(401);
    expect(await rowsOf(a.id)).toBe(0);
    expect(await objectsOf(a.id)).toBe(0);
  });
});
