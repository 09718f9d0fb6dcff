/**
 * Catalogue and demo data as plain SQL, shared by `npm start` (written to a file and run with
 * `wrangler d1 execute --local`) and by the tests (run against the test D1). Idempotent: the
 * catalogue is upserted from app/domain/plans.ts, demo devices are inserted once per serial.
 * Relative `.ts` imports so Node can import this file directly.
 */
import { allCatalogProducts } from "../domain/plans.ts";
import { hashActivationCode } from "../domain/activation-code.ts";

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
      iotThingName: aovisId,
      kvsStreamName: aovisId,
      webrtcChannelArn: `arn:aws:kinesisvideo:${DEMO_REGION}:${DEMO_ACCOUNT}:channel/${aovisId}/1700000000000`,
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
    );
  }
  return out;
}

export async function seedSql(pepper: string): Promise<string[]> {
  return [...catalogSql(), ...(await demoDeviceSql(pepper))];
}
