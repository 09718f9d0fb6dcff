import { env } from "cloudflare:test";
import { monthKey } from "~/domain/voice-tiers";
import { appFetch } from "./app";

export const RACHEL = "21m00Tcm4TlvDq8ikWAM";
export const GEORGE = "JBFqnCBsd6RMkjVDRZzb";

/** Makes the user Basic or Premium the way billing does: a Stripe subscription + voice_tier entitlement. */
export async function setVoiceTier(userId: string, tier: "BASIC" | "PREMIUM") {
  const now = Date.now();
  const subId = crypto.randomUUID();
  const sku = tier === "BASIC" ? "aovis-voice-basic" : "aovis-voice-premium";
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO subscriptions (id, external_id, source, user_id, device_id, sku, plan_code, status, stripe_status, current_period_start, current_period_end, cancel_at_period_end, created_at, updated_at)
       VALUES (?1, ?2, 'stripe', ?3, NULL, ?4, NULL, 'ACTIVE', 'active', ?5, ?6, 0, ?5, ?5)`,
    ).bind(subId, `sub_test_${crypto.randomUUID()}`, userId, sku, now, now + 30 * 86400_000),
    env.DB.prepare(
      `INSERT INTO entitlements (id, external_id, subscription_id, source, user_id, device_id, key, quota, sku, status, starts_at, expires_at, updated_at)
       VALUES (?1, ?2, ?3, 'stripe', ?4, NULL, 'voice_tier', NULL, ?5, 'ACTIVE', ?6, ?7, ?6)`,
    ).bind(crypto.randomUUID(), `ent_test_${crypto.randomUUID()}`, subId, userId, tier, now, now + 30 * 86400_000),
  ]);
}

/** Sets this month's usage directly (quota tests start near the limit instead of generating up to it). */
export async function setUsage(userId: string, used: number, now = Date.now()) {
  await env.DB.prepare(
    `INSERT INTO voice_usage (user_id, month, used, updated_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (user_id, month) DO UPDATE SET used = excluded.used`,
  )
    .bind(userId, monthKey(now), used, now)
    .run();
}

export async function usageOf(userId: string, now = Date.now()): Promise<number> {
  const row = await env.DB.prepare("SELECT used FROM voice_usage WHERE user_id = ?1 AND month = ?2").bind(userId, monthKey(now)).first<{ used: number }>();
  return row?.used ?? 0;
}

export function tts(cookie: string, body: Record<string, unknown>) {
  return appFetch("/api/tts", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** A unique marker so stand-in faults and stats only ever match this test's requests. */
export function marker(name: string): string {
  return `[${name}-${crypto.randomUUID().slice(0, 8)}]`;
}

export async function injectFault(fault: { mode: string; textIncludes?: string; voiceId?: string; count?: number }) {
  const res = await fetch(`${env.TEST_STANDIN_URLS.elevenlabs}/__standin/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(fault),
  });
  if (!res.ok) throw new Error(`fault injection failed: ${res.status}`);
}

export async function ttsStats(textIncludes: string): Promise<{ ttsCalls: number; ttsAudio: number; byOutcome: Record<string, number> }> {
  const res = await fetch(`${env.TEST_STANDIN_URLS.elevenlabs}/__standin/stats?textIncludes=${encodeURIComponent(textIncludes)}`);
  return (await res.json()) as { ttsCalls: number; ttsAudio: number; byOutcome: Record<string, number> };
}

/** Waits until the recording row left `pending` (the R2 write runs in waitUntil after the response). */
export async function settled(recordingId: string, timeoutMs = 10_000): Promise<{ status: string; size: number | null; r2_key: string } | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT status, size, r2_key FROM voice_recordings WHERE id = ?1")
      .bind(recordingId)
      .first<{ status: string; size: number | null; r2_key: string }>();
    if (!row || row.status !== "pending" || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A tiny but genuine WAV file (RIFF/WAVE header + silence). */
export function wavFile(name: string, bytes = 2048, seed = 0): File {
  const buf = new Uint8Array(44 + bytes);
  const dv = new DataView(buf.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (buf[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  dv.setUint32(4, 36 + bytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, 16000, true);
  dv.setUint32(28, 32000, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  ascii(36, "data");
  dv.setUint32(40, bytes, true);
  buf[44] = seed & 0xff; // different seeds → different files (the provider refuses duplicates)
  return new File([buf], name, { type: "audio/wav" });
}
