import { env } from "cloudflare:test";
import { hashActivationCode } from "~/domain/activation-code";
import { cloudPlanByCode } from "~/domain/plans";
import { appFetch } from "./app";

let n = 0;
/** A freshly provisioned device (like `npm run devices:provision`), so tests don't share state. */
export async function provisionTestDevice(opts: { iccid?: string | null } = {}) {
  n++;
  const suffix = `${Date.now().toString(36).slice(-5)}${n}`.toUpperCase();
  const serial = `T4K-${suffix}`;
  const code = `TEST-${suffix}`;
  const id = crypto.randomUUID();
  const aovisId = `aovis-t4k-${suffix.toLowerCase()}`;
  const iccid = opts.iccid === undefined ? `8901${String(Date.now()).slice(-9)}${String(n).padStart(5, "0")}` : opts.iccid;
  await env.DB.prepare(
    `INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name, webrtc_channel_arn, iccid)
     VALUES (?1, ?2, ?3, 'NEXA Prime 4K', ?4, ?2, ?2, ?5, ?6)`,
  )
    .bind(
      id,
      aovisId,
      serial,
      await hashActivationCode(env.ACTIVATION_CODE_PEPPER, code),
      `arn:aws:kinesisvideo:us-east-1:000000000000:channel/${aovisId}/1`,
      iccid,
    )
    .run();
  return { id, serial, code, aovisId, iccid };
}

let ipCounter = 0;
/** A client address of its own for each call (unless `ip` is given), so the per-client activation limit doesn't couple tests. */
export function activate(cookie: string, serial: string, activationCode: string, opts: { ip?: string } = {}) {
  const ip = opts.ip ?? `10.2.${Math.floor(++ipCounter / 250) % 250}.${ipCounter % 250}`;
  return appFetch("/api/devices/activate", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ serial, activationCode }),
  });
}

export function postJson(cookie: string, path: string, body: unknown = {}) {
  return appFetch(path, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** Row counts of every table a device action may touch. */
export async function tableCounts() {
  const tables = ["device_ownerships", "device_trials", "device_transfers", "subscriptions", "entitlements", "sim_cards", "audit_log", "devices"];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n;
  return out;
}

export async function addPaidSubscription(deviceId: string, userId: string, planCode = "standard") {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO subscriptions (id, external_id, source, user_id, device_id, sku, plan_code, status, stripe_status, current_period_start, current_period_end, cancel_at_period_end, created_at, updated_at)
     VALUES (?1, ?2, 'stripe', ?3, ?4, ?5, ?6, 'ACTIVE', 'active', ?7, ?8, 0, ?7, ?7)`,
  )
    .bind(crypto.randomUUID(), `sub_test_${crypto.randomUUID()}`, userId, deviceId, cloudPlanByCode(planCode)!.sku, planCode, now, now + 30 * 86400_000)
    .run();
}
