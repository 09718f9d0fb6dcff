/**
 * The rows of an AOVIS (Prisma) export, read field by field into our column names, every bad
 * field reported (docs/import-aovis.md). Used by ./aovis-import.ts, which decides what is refused.
 * Relative `.ts` imports only: the importer script imports these files directly under Node.
 */
import { canonicalSku, productBySku, VOICE_TIERS } from "./plans.ts";

export type ImportTable = "users" | "devices" | "device_ownerships" | "device_trials" | "sim_cards" | "subscriptions" | "entitlements";
export type ImportRow = { table: ImportTable; id: string; values: Record<string, string | number | boolean | null> };

export type RefusalReason =
  | "invalid_row"
  | "duplicate_id"
  | "unknown_user"
  | "unknown_device"
  | "user_conflict"
  | "device_conflict"
  | "two_active_owners"
  | "two_trials"
  | "entitlement_without_subscription"
  | "unknown_sku";
export interface ImportRefusal {
  reason: RefusalReason;
  /** The export model and id the refusal is about (e.g. DeviceOwnership o-2). */
  model: string;
  id: string;
  /** Plain facts for the report (field names, the other ids involved). */
  detail: string;
}

export interface ImportGroup {
  kind: "users" | "device" | "user";
  /** The device id / user id (source ids are kept as ours), "users" for the users group. */
  key: string;
  label: string;
  rows: ImportRow[];
  /** Rows whose id D1 already holds (a re-run): counted, never written again. */
  present: number;
  refused: ImportRefusal[];
}

/** What D1 holds already, read by the importer before planning. */
export interface ExistingData {
  ids: Partial<Record<ImportTable, readonly string[]>>;
  users: readonly { id: string; auth0Sub: string }[];
  devices: readonly { id: string; serial: string; aovisId: string; iotThingName: string }[];
  activeOwnerships: readonly { id: string; deviceId: string }[];
  trials: readonly { deviceId: string; userId: string; grantedAt: number }[];
}

export const EMPTY_EXISTING: ExistingData = { ids: {}, users: [], devices: [], activeOwnerships: [], trials: [] };

type Raw = Record<string, unknown>;
export const EXPORT_MODELS = ["users", "devices", "deviceOwnerships", "simCards", "deviceTrials", "subscriptions", "entitlements"] as const;
export type AovisExport = Record<(typeof EXPORT_MODELS)[number], Raw[]>;

/** Field readers: each records a problem instead of throwing, so a row reports every bad field. */
export class Reader {
  problems: string[] = [];
  row: Raw;
  constructor(row: Raw) {
    this.row = row;
  }
  str(f: string, opts: { optional?: boolean; pattern?: RegExp; max?: number } = {}): string | null {
    const v = this.row[f];
    if (v === undefined || v === null || v === "") {
      if (!opts.optional) this.problems.push(`${f} is missing`);
      return null;
    }
    if (typeof v !== "string" || v.length > (opts.max ?? 500) || (opts.pattern && !opts.pattern.test(v))) {
      this.problems.push(`${f} is malformed`);
      return null;
    }
    return v;
  }
  /** Prisma exports DateTime as ISO 8601; epoch milliseconds are accepted too. */
  time(f: string, optional = false): number | null {
    const v = this.row[f];
    if (v === undefined || v === null) {
      if (!optional) this.problems.push(`${f} is missing`);
      return null;
    }
    const ms = typeof v === "number" ? v : typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) this.problems.push(`${f} is not a date`);
    return Number.isFinite(ms) ? ms : null;
  }
  bool(f: string, dflt: boolean): boolean {
    const v = this.row[f];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "boolean") this.problems.push(`${f} is not true/false`);
    return v === true;
  }
  int(f: string): number | null {
    const v = this.row[f];
    if (v === undefined || v === null) return null;
    if (typeof v !== "number" || !Number.isInteger(v)) this.problems.push(`${f} is not an integer`);
    return typeof v === "number" && Number.isInteger(v) ? v : null;
  }
  /** Prisma enums are UPPERCASE; our columns are what `map` gives. */
  oneOf<T extends string>(f: string, map: Record<string, T>, optional = false): T | null {
    const v = this.str(f, { optional });
    if (v === null) return null;
    if (!Object.hasOwn(map, v)) this.problems.push(`${f} is not one of ${Object.keys(map).join(", ")}`);
    return Object.hasOwn(map, v) ? map[v] : null;
  }
}

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const SOURCE = { TRIAL: "trial", STRIPE: "stripe" } as const;

export function mapUser(r: Reader) {
  return {
    id: r.str("id", { pattern: ID }),
    auth0_sub: r.str("auth0Sub", { max: 200 }),
    email: r.str("email", { pattern: /^[^@\s]+@[^@\s]+$/, max: 254 }),
    email_verified: r.bool("emailVerified", false),
    name: r.str("name", { optional: true, max: 200 }),
    stripe_customer_id: r.str("stripeCustomerId", { optional: true, pattern: /^cus_[A-Za-z0-9]+$/ }),
    created_at: r.time("createdAt"),
    last_login_at: r.time("lastLoginAt", true),
  };
}

export function mapDevice(r: Reader) {
  return {
    id: r.str("id", { pattern: ID }),
    aovis_id: r.str("aovisId", { pattern: ID }),
    serial: r.str("serial", { pattern: /^[A-Z0-9]{2,8}-[A-Z0-9]{4,12}$/ }),
    model: r.str("model", { max: 64 }),
    activation_code_hash: r.str("activationCodeHash", { pattern: HEX64 }),
    iot_thing_name: r.str("iotThingName", { pattern: /^[A-Za-z0-9:_-]{1,128}$/ }),
    kvs_stream_name: r.str("kvsStreamName", { pattern: /^[A-Za-z0-9_.-]{1,256}$/ }),
    webrtc_channel_arn: r.str("webrtcChannelArn", { optional: true, pattern: /^arn:aws:kinesisvideo:[a-z0-9-]+:\d{12}:channel\/[A-Za-z0-9_.-]+\/\d+$/ }),
    iccid: r.str("iccid", { optional: true, pattern: /^\d{18,22}$/ }),
    trial_used_at: r.time("trialUsedAt", true),
    created_at: r.time("createdAt"),
  };
}

export function mapOwnership(r: Reader) {
  return {
    id: r.str("id", { pattern: ID }),
    device_id: r.str("deviceId", { pattern: ID }),
    user_id: r.str("userId", { pattern: ID }),
    status: r.oneOf("status", { ACTIVE: "active", ENDED: "ended" } as const),
    started_at: r.time("startedAt"),
    ended_at: r.time("endedAt", true),
    end_reason: r.oneOf("endReason", { UNBOUND: "unbound", TRANSFERRED: "transferred" } as const, true),
    name: r.str("name", { optional: true, max: 64 }),
  };
}

export function mapSim(r: Reader) {
  return {
    id: r.str("id", { pattern: ID }),
    iccid: r.str("iccid", { pattern: /^\d{18,22}$/ }),
    user_id: r.str("userId", { optional: true, pattern: ID }),
    device_id: r.str("deviceId", { optional: true, pattern: ID }),
    created_at: r.time("createdAt"),
    updated_at: r.time("updatedAt"),
  };
}

export function mapTrial(r: Reader) {
  return {
    device_id: r.str("deviceId", { pattern: ID }),
    user_id: r.str("userId", { pattern: ID }),
    granted_at: r.time("grantedAt"),
    expires_at: r.time("expiresAt"),
  };
}

const knownSku = (sku: string, key?: string) => !!productBySku(sku) || (key === "voice_tier" && VOICE_TIERS.some((t) => t.code === sku));

export function mapSubscription(r: Reader) {
  const sku = r.str("sku", { max: 100 });
  if (sku && !knownSku(sku)) r.problems.push(`sku ${sku} is not in the catalogue`);
  return {
    id: r.str("id", { pattern: ID }),
    external_id: r.str("externalId", { max: 200 }),
    source: r.oneOf("source", SOURCE),
    user_id: r.str("userId", { pattern: ID }),
    device_id: r.str("deviceId", { optional: true, pattern: ID }),
    sku: sku ? canonicalSku(sku) : null,
    plan_code: r.str("planCode", { optional: true, max: 50 }),
    status: r.oneOf("status", { ACTIVE: "ACTIVE", CANCELLED: "CANCELLED", INACTIVE: "INACTIVE", EXPIRED: "EXPIRED" } as const),
    stripe_status: r.str("stripeStatus", { optional: true, max: 50 }),
    stripe_customer_id: r.str("stripeCustomerId", { optional: true, pattern: /^cus_[A-Za-z0-9]+$/ }),
    current_period_start: r.time("currentPeriodStart", true),
    current_period_end: r.time("currentPeriodEnd", true),
    cancel_at_period_end: r.bool("cancelAtPeriodEnd", false),
    cancel_at: r.time("cancelAt", true),
    ended_at: r.time("endedAt", true),
    created_at: r.time("createdAt"),
    updated_at: r.time("updatedAt"),
  };
}

export function mapEntitlement(r: Reader) {
  const key = r.oneOf("key", { cloud_playback: "cloud_playback", ai_summary: "ai_summary", smart_search: "smart_search", voice_tier: "voice_tier" } as const);
  const sku = r.str("sku", { max: 100 });
  if (sku && !knownSku(sku, key ?? undefined)) r.problems.push(`sku ${sku} is not in the catalogue`);
  return {
    id: r.str("id", { pattern: ID }),
    external_id: r.str("externalId", { max: 200 }),
    subscription_id: r.str("subscriptionId", { pattern: ID }),
    source: r.oneOf("source", SOURCE),
    user_id: r.str("userId", { pattern: ID }),
    device_id: r.str("deviceId", { optional: true, pattern: ID }),
    key,
    quota: r.int("quota"),
    sku: sku ? canonicalSku(sku) : null,
    status: r.oneOf("status", { ACTIVE: "ACTIVE", EXPIRED: "EXPIRED", CANCELLED: "CANCELLED" } as const),
    starts_at: r.time("startsAt"),
    expires_at: r.time("expiresAt", true),
    ended_at: r.time("endedAt", true),
    updated_at: r.time("updatedAt"),
  };
}
