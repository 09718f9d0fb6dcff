import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createElevenLabsClient, ElevenLabsError } from "~/lib/elevenlabs.server";

// Every test goes through our real client against the stand-in. Faults are scoped to a unique text
// marker so test files running in parallel never receive each other's faults.
const base = env.ELEVENLABS_API_BASE;
const client = createElevenLabsClient({ apiKey: env.ELEVENLABS_API_KEY, baseUrl: base });
const RACHEL = "21m00Tcm4TlvDq8ikWAM";
const marker = () => `m${crypto.randomUUID().slice(0, 8)}`;

async function bytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function isMp3(b: Uint8Array): boolean {
  const id3 = b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33;
  return id3 || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0);
}

async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/__standin/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return res.json();
}

async function fault(mode: string, textIncludes: string) {
  await control("faults", { mode, count: 1, textIncludes });
}

async function ttsError(p: Promise<unknown>): Promise<ElevenLabsError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ElevenLabsError);
  return err as ElevenLabsError;
}

describe("ElevenLabs stand-in through our client", () => {
  it("lists the premade voices with their labels and preview URLs", async () => {
    const voices = await client.listVoices();
    const premade = voices.filter((v) => v.category === "premade");
    expect(premade.length).toBeGreaterThanOrEqual(8);
    const rachel = voices.find((v) => v.voiceId === RACHEL)!;
    expect(rachel).toMatchObject({ name: "Rachel", labels: { accent: "american", gender: "female" } });
    expect(Object.keys(rachel.labels).sort()).toEqual(["accent", "age", "description", "gender", "use_case"]);
    const preview = await fetch(rachel.previewUrl!);
    expect(preview.headers.get("content-type")).toBe("audio/mpeg");
    expect(isMp3(new Uint8Array(await preview.arrayBuffer()))).toBe(true);
  });

  it("speaks real MP3 that depends on the text, deterministically, with our settings mapped to snake_case", async () => {
    const m = marker();
    const say = (text: string, speed?: number) =>
      client.textToSpeech({ voiceId: RACHEL, text, settings: speed === undefined ? undefined : { stability: 0.3, similarityBoost: 0.9, style: 0.2, speed } });
    const first = await say(`Hello ${m}`);
    expect(first.contentType).toBe("audio/mpeg");
    const a = await bytes(first.body);
    expect(a.length).toBeGreaterThan(1000);
    expect(isMp3(a)).toBe(true);
    const again = await bytes((await say(`Hello ${m}`)).body);
    const other = await bytes((await say(`Goodbye ${m}`)).body);
    const slower = await bytes((await say(`Hello ${m}`, 0.7)).body);
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
    expect(slower.length).toBeGreaterThan(a.length); // speed stretches the audio
    const stats = await control(`stats?textIncludes=${m}`);
    expect(stats.ttsCalls).toBe(4);
    expect(stats.recent.at(-1)).toMatchObject({
      endpoint: "stream",
      modelId: "eleven_multilingual_v2",
      outputFormat: "mp3_44100_128",
      voiceSettings: { stability: 0.3, similarity_boost: 0.9, style: 0.2, speed: 0.7 },
    });
  });

  it("maps provider rejections to ElevenLabsError codes", async () => {
    const bad = createElevenLabsClient({ apiKey: "xi_wrong", baseUrl: base });
    const e1 = await ttsError(bad.listVoices());
    expect([e1.status, e1.code, e1.retryable]).toEqual([401, "invalid_api_key", false]);
    const e2 = await ttsError(client.textToSpeech({ voiceId: "NoSuchVoice000000000", text: "hi" }));
    expect([e2.status, e2.code, e2.retryable]).toEqual([400, "voice_not_found", false]);
    const e3 = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: "a".repeat(5001) }));
    expect([e3.status, e3.code]).toEqual([400, "max_character_limit_exceeded"]);
    const e4 = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: undefined as unknown as string }));
    expect([e4.status, e4.code, e4.retryable]).toEqual([422, "validation_error", false]);
    const e5 = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: "hi", settings: { speed: 2 } }));
    expect([e5.status, e5.code]).toEqual([422, "validation_error"]);
  });

  it("injected faults: quota (401, final), overload and server errors (retryable), empty and cut audio", async () => {
    const m = marker();
    await fault("quota_exceeded", m);
    const quota = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: `quota ${m}` }));
    expect([quota.status, quota.code, quota.retryable]).toEqual([401, "quota_exceeded", false]);
    expect(quota.message).toMatch(/exceeds your quota/);

    await fault("server_error", m);
    const server = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: `server ${m}` }));
    expect([server.status, server.retryable]).toEqual([500, true]);

    await fault("system_busy", m);
    const busy = await ttsError(client.textToSpeech({ voiceId: RACHEL, text: `busy ${m}` }));
    expect([busy.status, busy.code, busy.retryable]).toEqual([429, "system_busy", true]);

    await fault("empty_audio", m);
    const empty = await client.textToSpeech({ voiceId: RACHEL, text: `empty ${m}` });
    expect(empty.contentType).toBe("audio/mpeg");
    expect((await bytes(empty.body)).length).toBe(0);

    await fault("cut_stream", m);
    const cut = await client.textToSpeech({ voiceId: RACHEL, text: `cut ${m}` });
    await expect(bytes(cut.body)).rejects.toThrow();

    // Faults are one-shot: the next call speaks again.
    const ok = await client.textToSpeech({ voiceId: RACHEL, text: `after ${m}` });
    expect(isMp3(await bytes(ok.body))).toBe(true);
    const stats = await control(`stats?textIncludes=${m}`);
    expect(stats.ttsCalls).toBe(6);
    expect(stats.byOutcome).toEqual({
      quota_exceeded: 1,
      internal_server_error: 1,
      system_busy: 1,
      "fault:empty_audio": 1,
      "fault:cut_stream": 1,
      audio: 1,
    });
  });

  it("clones a voice from two audio files; it is listed as cloned and can speak", async () => {
    const m = marker();
    const sample = async (text: string) =>
      new File([await bytes((await client.textToSpeech({ voiceId: RACHEL, text })).body)], `${text}.mp3`, { type: "audio/mpeg" });
    const files = [await sample(`one ${m}`), await sample(`two ${m}`)];
    const { voiceId, requiresVerification } = await client.addVoice({ name: `Clone ${m}`, files, description: "Front door", labels: { accent: "american" } });
    expect(voiceId).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(requiresVerification).toBe(false);
    const listed = (await client.listVoices()).find((v) => v.voiceId === voiceId);
    expect(listed).toMatchObject({ name: `Clone ${m}`, category: "cloned", labels: { accent: "american" }, description: "Front door" });
    const spoken = await client.textToSpeech({ voiceId, text: `cloned ${m}` });
    expect(isMp3(await bytes(spoken.body))).toBe(true);
  });

  it("rejects clones without a name, without files, or with non-audio files", async () => {
    const audio = new File([new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0])], "a.mp3", { type: "audio/mpeg" });
    const noName = await ttsError(client.addVoice({ name: "", files: [audio] }));
    expect([noName.status, noName.code]).toEqual([422, "validation_error"]);
    const noFiles = await ttsError(client.addVoice({ name: "x", files: [] }));
    expect([noFiles.status, noFiles.code]).toEqual([422, "validation_error"]);
    const text = new File(["just text"], "notes.txt", { type: "text/plain" });
    const notAudio = await ttsError(client.addVoice({ name: "x", files: [text] }));
    expect([notAudio.status, notAudio.code]).toEqual([400, "corrupted_file"]);
    const dup = await ttsError(client.addVoice({ name: "x", files: [audio, audio] }));
    expect([dup.status, dup.code]).toEqual([400, "duplicate_files"]);
  });
});
