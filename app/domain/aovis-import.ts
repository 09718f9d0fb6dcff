/**
 * What `npm run import:aovis` loads from an export of the existing AOVIS (Prisma) database and what
 * it refuses (ADR 021, docs/import-aovis.md). Pure: the export and a snapshot of what D1 already
 * holds go in; out come import groups: one for the users, one per device (its row, ownerships,
 * trial, SIM cards, subscriptions and their entitlements) and one per user for the rows without a
 * device (voice subscriptions, loose SIM cards). A device or user group with any refusal is left
 * out whole, so no device is ever half-imported; the users group leaves out only the refused users.
 * Source ids are kept as ours, so a re-run finds every row already there and writes nothing.
 * Relative `.ts` imports only: the importer script imports this file directly under Node.
 */
import {
  mapDevice,
  mapEntitlement,
  mapOwnership,
  mapSim,
  mapSubscription,
  mapTrial,
  mapUser,
  Reader,
  type ExistingData,
  type ImportGroup,
  type ImportRefusal,
  type ImportTable,
} from "./aovis-import-rows.ts";

export { EMPTY_EXISTING, EXPORT_MODELS } from "./aovis-import-rows.ts";
export type { ExistingData, ImportGroup, ImportRefusal, ImportRow, ImportTable, RefusalReason } from "./aovis-import-rows.ts";

type Values = Record<string, string | number | boolean | null>;
interface Mapped {
  model: string;
  table: ImportTable;
  /** The source id (device id for a DeviceTrial, which has none of its own). */
  id: string;
  values: Values;
  problems: string[];
}

const MODELS: readonly [key: string, model: string, table: ImportTable, map: (r: Reader) => Values, idField: string][] = [
  ["users", "User", "users", mapUser, "id"],
  ["devices", "Device", "devices", mapDevice, "id"],
  ["deviceOwnerships", "DeviceOwnership", "device_ownerships", mapOwnership, "id"],
  ["deviceTrials", "DeviceTrial", "device_trials", mapTrial, "device_id"],
  ["simCards", "SimCard", "sim_cards", mapSim, "id"],
  ["subscriptions", "Subscription", "subscriptions", mapSubscription, "id"],
  ["entitlements", "Entitlement", "entitlements", mapEntitlement, "id"],
];

export interface ImportPlan {
  /** Problems with the file as a whole (nothing is imported then). */
  fileProblems: string[];
  groups: ImportGroup[];
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export function planImport(data: unknown, existing: ExistingData): ImportPlan {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { fileProblems: ["the file is not a JSON object of models"], groups: [] };
  const fileProblems: string[] = [];
  const rows: Mapped[] = [];
  for (const [key, model, table, map, idField] of MODELS) {
    const list = (data as Record<string, unknown>)[key] ?? [];
    if (!Array.isArray(list)) {
      fileProblems.push(`${key} is not a list`);
      continue;
    }
    list.forEach((raw, i) => {
      const r = new Reader(typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {});
      const values = map(r);
      rows.push({ model, table, id: str(values[idField]) ?? `#${i + 1}`, values, problems: r.problems });
    });
  }
  if (fileProblems.length) return { fileProblems, groups: [] };

  const present = (m: Mapped) => (existing.ids[m.table] ?? []).includes(m.id);
  const seen = new Map<string, number>();
  for (const m of rows) seen.set(`${m.table}:${m.id}`, (seen.get(`${m.table}:${m.id}`) ?? 0) + 1);
  const rowRefusals = (m: Mapped): ImportRefusal[] => [
    ...(m.problems.length ? [{ reason: "invalid_row" as const, model: m.model, id: m.id, detail: m.problems.join("; ") }] : []),
    ...((seen.get(`${m.table}:${m.id}`) ?? 0) > 1
      ? [{ reason: "duplicate_id" as const, model: m.model, id: m.id, detail: "the id appears more than once" }]
      : []),
  ];

  // Users: each one stands alone.
  const users: ImportGroup = { kind: "users", key: "users", label: "users", rows: [], present: 0, refused: [] };
  const userIds = new Set(existing.users.map((u) => u.id));
  for (const m of rows.filter((r) => r.table === "users")) {
    const refused = rowRefusals(m);
    const taken = existing.users.find((u) => u.auth0Sub === m.values.auth0_sub && u.id !== m.id);
    if (taken) refused.push({ reason: "user_conflict", model: m.model, id: m.id, detail: `auth0Sub is already user ${taken.id} here` });
    if (refused.length) users.refused.push(...refused);
    else {
      userIds.add(m.id);
      users.rows.push({ table: m.table, id: m.id, values: m.values });
      if (present(m)) users.present++;
    }
  }

  // Everything else, grouped by device (else by user). An entitlement goes with its subscription.
  const groups = new Map<string, { group: ImportGroup; members: Mapped[] }>();
  const groupFor = (kind: "device" | "user", key: string) => {
    const k = `${kind}:${key}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { group: { kind, key, label: `${kind} ${key}`, rows: [], present: 0, refused: [] }, members: [] }));
    return g;
  };
  const subs = new Map(rows.filter((r) => r.table === "subscriptions").map((s) => [s.id, s]));
  const orphans: Mapped[] = [];
  for (const m of rows.filter((r) => r.table !== "users")) {
    let owner: Mapped = m;
    if (m.table === "entitlements") {
      const sub = subs.get(str(m.values.subscription_id) ?? "");
      if (sub) owner = sub;
      else if (!(existing.ids.subscriptions ?? []).includes(str(m.values.subscription_id) ?? "")) orphans.push(m);
    }
    const deviceId = m.table === "devices" ? m.id : str(owner.values.device_id);
    const userId = str(owner.values.user_id);
    if (deviceId) groupFor("device", deviceId).members.push(m);
    else groupFor("user", userId ?? m.id).members.push(m);
  }

  const knownDevices = new Set([...existing.devices.map((d) => d.id), ...rows.filter((r) => r.table === "devices").map((r) => r.id)]);
  const out: ImportGroup[] = [users];
  for (const { group, members } of groups.values()) {
    const refused = group.refused;
    for (const m of members) refused.push(...rowRefusals(m));
    for (const m of members) {
      const userId = str(m.values.user_id);
      if (userId && !userIds.has(userId))
        refused.push({ reason: "unknown_user", model: m.model, id: m.id, detail: `user ${userId} is neither in the export (accepted) nor here` });
      const deviceId = m.table === "devices" ? null : str(m.values.device_id);
      if (deviceId && !knownDevices.has(deviceId))
        refused.push({ reason: "unknown_device", model: m.model, id: m.id, detail: `device ${deviceId} is neither in the export nor here` });
    }
    for (const m of members.filter((e) => orphans.includes(e))) {
      refused.push({
        reason: "entitlement_without_subscription",
        model: m.model,
        id: m.id,
        detail: `subscription ${str(m.values.subscription_id)} is neither in the export nor here`,
      });
    }
    for (const e of members.filter((x) => x.table === "entitlements")) {
      const sub = subs.get(str(e.values.subscription_id) ?? "");
      if (sub && (sub.values.device_id ?? null) !== (e.values.device_id ?? null)) {
        refused.push({ reason: "invalid_row", model: e.model, id: e.id, detail: `deviceId differs from its subscription ${sub.id}'s` });
      }
    }
    if (group.kind === "device") deviceChecks(group, members, existing, rows);
    // The trial marks the device as having had it, once (device_ownership.ts: trialUsed).
    const device = members.find((m) => m.table === "devices");
    const trial = members.find((m) => m.table === "device_trials");
    if (device && trial && device.values.trial_used_at === null) device.values.trial_used_at = trial.values.granted_at;
    if (device) group.label = `device ${device.values.serial ?? group.key} (${device.values.aovis_id ?? "?"})`;
    if (!refused.length) {
      // Parents first, so the SQL reads in dependency order.
      const order: ImportTable[] = ["devices", "device_ownerships", "device_trials", "sim_cards", "subscriptions", "entitlements"];
      for (const m of [...members].sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table))) {
        group.rows.push({ table: m.table, id: m.id, values: m.values });
        if (present(m)) group.present++;
      }
    }
    out.push(group);
  }
  return { fileProblems: [], groups: out };
}

function deviceChecks(group: ImportGroup, members: Mapped[], existing: ExistingData, all: Mapped[]) {
  const refused = group.refused;
  const device = members.find((m) => m.table === "devices");
  if (device) {
    for (const col of ["serial", "aovis_id", "iot_thing_name"] as const) {
      const v = device.values[col];
      const here = existing.devices.find((d) => d.id !== device.id && (col === "serial" ? d.serial : col === "aovis_id" ? d.aovisId : d.iotThingName) === v);
      const twin = all.find((o) => o.table === "devices" && o.id !== device.id && o.values[col] === v);
      if (v !== null && (here || twin))
        refused.push({ reason: "device_conflict", model: "Device", id: device.id, detail: `${col} ${v} is already device ${(here ?? twin)!.id}` });
    }
  }
  const active = members.filter((m) => m.table === "device_ownerships" && m.values.status === "active");
  const activeHere = existing.activeOwnerships.filter((o) => o.deviceId === group.key && !active.some((a) => a.id === o.id));
  if (active.length + activeHere.length > 1) {
    const ids = [...active.map((a) => a.id), ...activeHere.map((o) => `${o.id} (here)`)];
    refused.push({ reason: "two_active_owners", model: "DeviceOwnership", id: active[0]?.id ?? ids[0], detail: `active ownerships ${ids.join(", ")}` });
  }
  const trials = members.filter((m) => m.table === "device_trials");
  const trialHere = existing.trials.find((t) => t.deviceId === group.key);
  const sameAsHere = (m: Mapped) => trialHere && trialHere.userId === m.values.user_id && trialHere.grantedAt === m.values.granted_at;
  if (trials.length > 1 || (trialHere && trials.length === 1 && !sameAsHere(trials[0]))) {
    refused.push({
      reason: "two_trials",
      model: "DeviceTrial",
      id: group.key,
      detail: `${trials.length} in the export${trialHere ? ", one already here" : ""}`,
    });
  }
  const trialSubs = members.filter((m) => m.table === "subscriptions" && m.values.source === "trial");
  if (trialSubs.length > 1) {
    refused.push({ reason: "two_trials", model: "Subscription", id: trialSubs[1].id, detail: `trial subscriptions ${trialSubs.map((s) => s.id).join(", ")}` });
  }
}
