/**
 * Catalogue and demo data as plain SQL, shared by `npm start` (written to a file and run with
 * `wrangler d1 execute --local`) and by the tests (run against the test D1). Idempotent: the
 * catalogue is upserted from app/domain/plans.ts, demo devices are inserted once per serial.
 * Relative `.ts` imports so Node can import this file directly.
 */
import { allCatalogProducts, CLOUD_PLANS, CLOUD_TRIAL } from "../domain/plans.ts";
import { hashActivationCode } from "../domain/activation-code.ts";
import { awsResourceNames } from "../domain/aws-names.ts";

function lit(v: string | number | boolean | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "1" : "0";
  return `'${v.replace(/'/g, "''")}'`;
}

export function catalogSql(): string[] {
  return allCatalogProducts().map(
    (p) =>
      `INSERT INTO products (sku, kind, name, description, price_cents, currency, billing_interval, features_json, listed, sort_order) VALUES (${[
        p.sku,
        p.kind,
        p.name,
        p.description,
        p.priceCents,
        p.currency,
        p.interval,
        JSON.stringify(p.features),
        p.listed,
        p.sortOrder,
      ]
        .map(lit)
        .join(
          ", ",
        )}) ON CONFLICT(sku) DO UPDATE SET kind = excluded.kind, name = excluded.name, description = excluded.description, price_cents = excluded.price_cents, currency = excluded.currency, billing_interval = excluded.billing_interval, features_json = excluded.features_json, listed = excluded.listed, sort_order = excluded.sort_order;`,
  );
}

export interface DemoDevice {
  id: string;
  aovisId: string;
  serial: string;
  model: string;
  activationCode: string;
  iotThingName: string;
  kvsStreamName: string;
  webrtcChannelArn: string;
  iccid: string;
}

export const DEMO_REGION = "us-east-1";
export const DEMO_ACCOUNT = "000000000000";

/** A demo camera's AWS names: the existing deployment's pattern, as provisioning makes them (ADR 021). */
function demoAwsNames(aovisId: string): Pick<DemoDevice, "iotThingName" | "kvsStreamName" | "webrtcChannelArn"> {
  const n = awsResourceNames(aovisId);
  return {
    iotThingName: n.thingName,
    kvsStreamName: n.streamName,
    webrtcChannelArn: `arn:aws:kinesisvideo:${DEMO_REGION}:${DEMO_ACCOUNT}:channel/${n.channelName}/1700000000000`,
  };
}

/**
 * Local data seeded before the names followed the deployment's pattern named each resource by the
 * bare aovis id: move exactly those rows (a row renamed by hand is left alone). Idempotent.
 */
function renameOldDemoNamesSql(d: DemoDevice): string {
  return `UPDATE devices SET iot_thing_name = ${lit(d.iotThingName)}, kvs_stream_name = ${lit(d.kvsStreamName)}, webrtc_channel_arn = ${lit(d.webrtcChannelArn)} WHERE id = ${lit(d.id)} AND iot_thing_name = ${lit(d.aovisId)} AND kvs_stream_name = ${lit(d.aovisId)};`;
}

export function demoDevices(): DemoDevice[] {
  return [1, 2, 3, 4, 5].map((n) => {
    const six = String(n).padStart(6, "0");
    const aovisId = `aovis-n4k-${six}`;
    return {
      id: `d0000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      aovisId,
      serial: `N4K-${six}`,
      model: "NEXA Prime 4K",
      activationCode: `DEMO-${String(n).padStart(4, "0")}`,
      ...demoAwsNames(aovisId),
      iccid: `89012600000000000${String(n).padStart(2, "0")}`,
    };
  });
}

export async function demoDeviceSql(pepper: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of demoDevices()) {
    const hash = await hashActivationCode(pepper, d.activationCode);
    out.push(
      `INSERT INTO devices (id, aovis_id, serial, model, activation_code_hash, iot_thing_name, kvs_stream_name, webrtc_channel_arn, iccid) VALUES (${[
        d.id,
        d.aovisId,
        d.serial,
        d.model,
        hash,
        d.iotThingName,
        d.kvsStreamName,
        d.webrtcChannelArn,
        d.iccid,
      ]
        .map(lit)
        .join(", ")}) ON CONFLICT(serial) DO NOTHING;`,
      renameOldDemoNamesSql(d),
    );
  }
  return out;
}

export async function seedSql(pepper: string): Promise<string[]> {
  return [...catalogSql(), ...(await demoDeviceSql(pepper))];
}

/**
 * The demo account of `npm start` (never the tests): one camera, "Front door" (N4K-000099, not among
 * the codes offered for activation), owned for a few days on the Standard plan, so a fresh machine
 * has a camera with a paid plan (its free trial used) whose day of events (scripts/lib/demo-events.mjs) shows markers,
 * the brief and search. Rows in the shapes activation and the Stripe webhook write
 * (app/domain/stripe-subscription.ts entitlementsFor: `stripe:<sub>:<key>`); inserted once, and each
 * start moves the plan's period end on so the demo never lapses.
 */
export const DEMO_OWNER_DEVICE: DemoDevice = (() => {
  const aovisId = "aovis-n4k-000099";
  return {
    id: "d0000000-0000-4000-8000-000000000099",
    aovisId,
    serial: "N4K-000099",
    model: "NEXA Prime 4K",
    activationCode: "DEMO-0099",
    ...demoAwsNames(aovisId),
    iccid: "8901260000000000099",
  };
})();
export const DEMO_OWNER_USER_ID = "u0000000-0000-4000-8000-00000000de00";
const DEMO_SUBSCRIPTION = "sub_demo_front_door";
const DAY_MS = 86_400_000;

export async function demoOwnerSql(opts: { pepper: string; email: string; auth0Sub: string; now: number }): Promise<string[]> {
  const d = DEMO_OWNER_DEVICE;
  const plan = CLOUD_PLANS.find((p) => p.code === "standard")!;
  // Owned since before its (used) free trial ended; on Standard for the last three days.
  const since = opts.now - (CLOUD_TRIAL.durationDays + 3) * DAY_MS;
  const planStart = since + CLOUD_TRIAL.durationDays * DAY_MS;
  const periodEnd = opts.now + 30 * DAY_MS;
  const hash = await hashActivationCode(opts.pepper, d.activationCode);
  const row = (table: string, values: Record<string, string | number | boolean | null>, tail: string) =>
    `INSERT INTO ${table} (${Object.keys(values).join(", ")}) VALUES (${Object.values(values).map(lit).join(", ")}) ${tail};`;
  const sub = { id: "s0000000-0000-4000-8000-00000000de00", external_id: DEMO_SUBSCRIPTION };
  return [
    row(
      "users",
      { id: DEMO_OWNER_USER_ID, auth0_sub: opts.auth0Sub, email: opts.email, email_verified: true, name: "Demo", created_at: since },
      "ON CONFLICT DO NOTHING",
    ),
    row(
      "devices",
      {
        id: d.id,
        aovis_id: d.aovisId,
        serial: d.serial,
        model: d.model,
        activation_code_hash: hash,
        iot_thing_name: d.iotThingName,
        kvs_stream_name: d.kvsStreamName,
        webrtc_channel_arn: d.webrtcChannelArn,
        iccid: d.iccid,
      },
      "ON CONFLICT DO NOTHING",
    ),
    renameOldDemoNamesSql(d),
    // Once: if the demo camera was removed or passed on since, it stays so.
    row(
      "device_ownerships",
      { id: "o0000000-0000-4000-8000-00000000de00", device_id: d.id, user_id: DEMO_OWNER_USER_ID, status: "active", started_at: since, name: "Front door" },
      "ON CONFLICT DO NOTHING",
    ),
    row("device_trials", { device_id: d.id, user_id: DEMO_OWNER_USER_ID, granted_at: since, expires_at: planStart }, "ON CONFLICT DO NOTHING"),
    row(
      "subscriptions",
      {
        ...sub,
        source: "stripe",
        user_id: DEMO_OWNER_USER_ID,
        device_id: d.id,
        sku: plan.sku,
        plan_code: plan.code,
        status: "ACTIVE",
        stripe_status: "active",
        current_period_start: planStart,
        current_period_end: periodEnd,
        created_at: since,
        updated_at: opts.now,
      },
      `ON CONFLICT(external_id) DO UPDATE SET current_period_end = excluded.current_period_end, updated_at = excluded.updated_at WHERE subscriptions.status = 'ACTIVE'`,
    ),
    ...plan.grants.map((g, i) =>
      row(
        "entitlements",
        {
          id: `e0000000-0000-4000-8000-00000000de0${i + 1}`,
          external_id: `stripe:${DEMO_SUBSCRIPTION}:${g.key}`,
          subscription_id: sub.id,
          source: "stripe",
          user_id: DEMO_OWNER_USER_ID,
          device_id: d.id,
          key: g.key,
          quota: g.key === "cloud_playback" ? plan.historyDays : g.quota,
          sku: plan.sku,
          status: "ACTIVE",
          starts_at: planStart,
          expires_at: periodEnd,
          updated_at: opts.now,
        },
        `ON CONFLICT(external_id) DO UPDATE SET expires_at = excluded.expires_at, updated_at = excluded.updated_at WHERE entitlements.status = 'ACTIVE'`,
      ),
    ),
  ];
}
