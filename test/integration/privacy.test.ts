/**
 * Account export and deletion (ADR 026), through the Worker with real D1/KV/R2 and the stand-ins.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { depsFor } from "~/models/deps.server";
import { sweepAccountErasures } from "~/models/privacy/storage-erasure.server";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, addPaidSubscription } from "../helpers/devices";
import { HOUR, insertEvent, ownedCamera } from "../helpers/events";
import { RACHEL, settled, tts } from "../helpers/voice";

const html = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const q = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();
const exportOf = (cookie: string) => appFetch("/api/user/export", { headers: { Cookie: cookie } });
const postDelete = (cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  appFetch("/account/delete", { method: "POST", headers: { Cookie: cookie, ...headers }, body: new URLSearchParams({ intent: "delete", ...fields }) });

let n = 0;
const email = (tag: string) => `privacy-${tag}-${Date.now().toString(36)}-${++n}@example.com`;

/** A ready recording of the user's (real TTS through the stand-in, audio in R2). */
async function recording(cookie: string, text: string): Promise<string> {
  const res = await tts(cookie, { voiceId: RACHEL, text });
  expect(res.status).toBe(200);
  const id =
    res.headers.get("X-Recording-Id") ??
    (
      (await res
        .clone()
        .json()
        .catch(() => ({}))) as { recordingId?: string }
    ).recordingId;
  await res.arrayBuffer();
  expect(id).toBeTruthy();
  expect((await settled(id!))?.status).toBe("ready");
  return id!;
}

async function audioKeys(userId: string): Promise<string[]> {
  return (await env.AUDIO.list({ prefix: `${userId}/` })).objects.map((o) => o.key);
}

describe("GET /api/user/export", () => {
  it("is the caller's data only, as a no-store JSON attachment", async () => {
    const aEmail = email("exp-a");
    const a = await ownedCamera(aEmail, { ownedForDays: 3 });
    const b = await ownedCamera(email("exp-b"), { ownedForDays: 3 });
    const aEvent = await insertEvent(a.device.id, { at: Date.now() - HOUR });
    const bEvent = await insertEvent(b.device.id, { at: Date.now() - HOUR });
    // Before A's ownership: not theirs to see.
    const oldEvent = await insertEvent(a.device.id, { at: Date.now() - 90 * 24 * HOUR });
    const aRec = await recording(a.cookie, `export mine ${crypto.randomUUID()}`);
    const bRec = await recording(b.cookie, `export theirs ${crypto.randomUUID()}`);

    const res = await exportOf(a.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="aovis-account-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const text = await res.text();
    const data = JSON.parse(text) as Record<string, any>;
    expect(data.profile).toMatchObject({ id: a.userId, email: aEmail });
    expect(data.cameras).toEqual([expect.objectContaining({ deviceId: a.device.id, status: "active", serial: a.device.serial })]);
    expect(data.subscriptions).toEqual([expect.objectContaining({ source: "trial", deviceId: a.device.id })]);
    expect(data.voice.recordings.map((r: { id: string }) => r.id)).toEqual([aRec]);
    expect(data.cameraEvents[0].events.map((e: { id: string }) => e.id)).toEqual([aEvent]);
    for (const foreign of [b.userId, b.device.id, bEvent, bRec, oldEvent]) expect(text).not.toContain(foreign);
  });

  it("needs a session (401) and is GET only (405)", async () => {
    expect((await appFetch("/api/user/export")).status).toBe(401);
    const cookie = await signIn(email("exp-m"));
    expect((await appFetch("/api/user/export", { method: "POST", headers: { Cookie: cookie } })).status).toBe(405);
  });
});

describe("/account/delete", () => {
  it("a renewing paid plan blocks it with a stable code and a billing link; nothing changes", async () => {
    const e = email("blocked");
    const a = await ownedCamera(e);
    await addPaidSubscription(a.device.id, a.userId);
    const page = await html(await appFetch("/account/delete", { headers: { Cookie: a.cookie } }));
    expect(page).toContain('data-error="active_plan_blocks_deletion"');
    const res = await postDelete(a.cookie, { confirmEmail: e, confirm: "yes" });
    expect(res.status).toBe(200);
    const body = await html(res);
    expect(body).toContain('data-error="active_plan_blocks_deletion"');
    expect(body).toContain('href="/account/services"');
    expect(await q("SELECT email, deleted_at FROM users WHERE id = ?1", a.userId)).toEqual({ email: e, deleted_at: null });
    expect((await exportOf(a.cookie)).status).toBe(200);
    expect(await q("SELECT status FROM device_ownerships WHERE device_id = ?1 AND user_id = ?2", a.device.id, a.userId)).toEqual({ status: "active" });
    expect(await q("SELECT COUNT(*) AS n FROM audit_log WHERE actor_user_id = ?1 AND event = 'account_deletion_blocked'", a.userId)).toEqual({ n: 1 });
  });

  it("a plan set to cancel does not block it", async () => {
    const e = email("cancelling");
    const a = await ownedCamera(e);
    await addPaidSubscription(a.device.id, a.userId);
    await env.DB.prepare("UPDATE subscriptions SET cancel_at_period_end = 1 WHERE user_id = ?1 AND source = 'stripe'").bind(a.userId).run();
    const res = await postDelete(a.cookie, { confirmEmail: e, confirm: "yes" });
    expect(res.status).toBe(303);
    expect((await q<{ deleted_at: number | null }>("SELECT deleted_at FROM users WHERE id = ?1", a.userId))?.deleted_at).toBeGreaterThan(0);
  });

  it("bad input is refused (wrong e-mail, no confirmation, cross-origin) and changes nothing", async () => {
    const e = email("bad");
    const cookie = await signIn(e);
    const userId = await userIdOf(cookie);
    const wrong = await postDelete(cookie, { confirmEmail: "someone-else@example.com", confirm: "yes" });
    expect(wrong.status).toBe(200);
    expect(await html(wrong)).toContain('data-error="confirmation_mismatch"');
    expect((await postDelete(cookie, { confirmEmail: e })).status).toBe(400);
    expect((await postDelete(cookie, { confirmEmail: e, confirm: "no" })).status).toBe(400);
    const cross = await postDelete(cookie, { confirmEmail: e, confirm: "yes" }, { Origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect((await cross.json()) as object).toMatchObject({ error: "csrf_rejected" });
    expect(await q("SELECT email, deleted_at FROM users WHERE id = ?1", userId)).toEqual({ email: e, deleted_at: null });
    expect((await exportOf(cookie)).status).toBe(200);
    // Signed out: the sign-in redirect, nothing deleted.
    const anon = await appFetch("/account/delete", { method: "POST", body: new URLSearchParams({ intent: "delete", confirmEmail: e, confirm: "yes" }) });
    expect([302, 303]).toContain(anon.status);
  });

  it("deletes end to end: sessions, R2 audio, personal fields; trial ledger, billing and audit stay; a return is a new account with no second trial", async () => {
    const e = email("e2e");
    const a = await ownedCamera(e);
    const second = await signIn(e); // another browser
    await recording(a.cookie, `delete me ${crypto.randomUUID()}`);
    await env.AUDIO.put(`${a.userId}/stray.mp3`, new Uint8Array([1, 2, 3]));
    await env.DB.prepare(
      "INSERT INTO voice_presets (id, user_id, name, stability, similarity_boost, style, speed, created_at) VALUES (?1, ?2, 'Mine', 0.5, 0.5, 0, 1, ?3)",
    )
      .bind(crypto.randomUUID(), a.userId, Date.now())
      .run();
    await env.DB.prepare("INSERT INTO voice_clones (id, user_id, voice_id, name, sample_count, created_at) VALUES (?1, ?2, ?3, 'My voice', 1, ?4)")
      .bind(crypto.randomUUID(), a.userId, `gone-${crypto.randomUUID().slice(0, 8)}`, Date.now())
      .run();
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin', name = 'Ada' WHERE id = ?1").bind(a.userId).run();
    await env.DB.prepare(
      "INSERT INTO orders (id, checkout_session_id, user_id, sku, quantity, amount_total, currency, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'nexa-prime-4k', 1, 19900, 'usd', 'PAID', ?4, ?4)",
    )
      .bind(crypto.randomUUID(), `cs_${crypto.randomUUID()}`, a.userId, Date.now())
      .run();
    expect((await audioKeys(a.userId)).length).toBe(2);

    const res = await postDelete(a.cookie, { confirmEmail: e.toUpperCase(), confirm: "yes" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account-deleted");
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(await html(await appFetch("/account-deleted"))).toContain("Your account is deleted");

    // Sessions: this browser's and the other one's.
    for (const c of [a.cookie, second]) expect((await appFetch("/api/auth/session", { headers: { Cookie: c } })).status).toBe(401);
    // R2: none of their audio.
    expect(await audioKeys(a.userId)).toEqual([]);
    // D1: the tombstone, no personal fields, no recordings, presets or clones.
    expect(await q("SELECT email, email_verified, name, auth0_sub, time_zone FROM users WHERE id = ?1", a.userId)).toEqual({
      email: `deleted-${a.userId}@invalid`,
      email_verified: 0,
      name: null,
      auth0_sub: `deleted:${a.userId}`,
      time_zone: null,
    });
    expect((await q<{ s: number }>("SELECT storage_erased_at AS s FROM users WHERE id = ?1", a.userId))?.s).toBeGreaterThan(0);
    for (const t of ["voice_recordings", "voice_presets", "voice_clones"])
      expect(await q(`SELECT COUNT(*) AS n FROM ${t} WHERE user_id = ?1`, a.userId)).toEqual({ n: 0 });
    // Kept: the trial ledger, billing history, the audit trail; the camera released with its audit row.
    expect(await q("SELECT user_id FROM device_trials WHERE device_id = ?1", a.device.id)).toEqual({ user_id: a.userId });
    expect(await q("SELECT COUNT(*) AS n FROM orders WHERE user_id = ?1", a.userId)).toEqual({ n: 1 });
    expect(await q("SELECT status, end_reason, name FROM device_ownerships WHERE device_id = ?1 AND user_id = ?2", a.device.id, a.userId)).toEqual({
      status: "ended",
      end_reason: "unbound",
      name: null,
    });
    const released = await q<{ detail_json: string }>("SELECT detail_json FROM audit_log WHERE device_id = ?1 AND event = 'device_unbound'", a.device.id);
    expect(JSON.parse(released!.detail_json)).toMatchObject({ reason: "account_deleted" });
    expect(await q("SELECT COUNT(*) AS n FROM audit_log WHERE actor_user_id = ?1 AND event IN ('account_deleted', 'trial_granted')", a.userId)).toEqual({
      n: 2,
    });
    expect(await q("SELECT status FROM subscriptions WHERE device_id = ?1 AND user_id = ?2 AND source = 'trial'", a.device.id, a.userId)).toEqual({
      status: "EXPIRED",
    });

    // The same person returns: a new, empty account; the camera gives no second trial.
    const back = await signIn(e);
    const newId = await userIdOf(back);
    expect(newId).not.toBe(a.userId);
    const fresh = (await (await exportOf(back)).json()) as Record<string, any>;
    expect(fresh.profile.email).toBe(e);
    expect(fresh.cameras).toEqual([]);
    expect(fresh.voice.recordings).toEqual([]);
    expect(fresh.orders).toEqual([]);
    const again = (await (await activate(back, a.device.serial, a.device.code)).json()) as Record<string, any>;
    expect(again.trial).toBe("already_used");
    expect(await q("SELECT COUNT(*) AS n FROM device_trials WHERE device_id = ?1", a.device.id)).toEqual({ n: 1 });
  });

  it("R2 left behind by a failed erase is finished by the cron sweep (idempotent)", async () => {
    const cookie = await signIn(email("cron"));
    const userId = await userIdOf(cookie);
    await env.AUDIO.put(`${userId}/left.mp3`, new Uint8Array([9]));
    // As if the deletion committed and the R2 step then failed.
    await env.DB.prepare("UPDATE users SET deleted_at = ?2, email = 'deleted-' || id || '@invalid', auth0_sub = 'deleted:' || id WHERE id = ?1")
      .bind(userId, Date.now())
      .run();
    const first = await sweepAccountErasures(depsFor(env));
    expect(first.accountsErased).toBeGreaterThanOrEqual(1);
    expect(await audioKeys(userId)).toEqual([]);
    expect((await q<{ s: number }>("SELECT storage_erased_at AS s FROM users WHERE id = ?1", userId))?.s).toBeGreaterThan(0);
    const before = await q<{ s: number }>("SELECT storage_erased_at AS s FROM users WHERE id = ?1", userId);
    await sweepAccountErasures(depsFor(env));
    expect(await q("SELECT storage_erased_at AS s FROM users WHERE id = ?1", userId)).toEqual(before);
  });
});
