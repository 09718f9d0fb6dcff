import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EMPTY_EXISTING, planImport, type ExistingData, type ImportGroup } from "~/domain/aovis-import";
// The shipped example (docs/import-aovis.md): the importer's unit tests read the same file users get.
import example from "../../docs/examples/aovis-export.json";

type Json = Record<string, any>;
const clone = (): Json => JSON.parse(JSON.stringify(example));
const group = (groups: ImportGroup[], label: string) => groups.find((g) => g.label.startsWith(label) || g.key === label)!;
const reasons = (g: ImportGroup) => g.refused.map((r) => r.reason);

describe("planImport on the example export", () => {
  it("imports every device but the one with two active owners, which is refused whole with its reason", () => {
    const { fileProblems, groups } = planImport(example, EMPTY_EXISTING);
    expect(fileProblems).toEqual([]);
    expect(group(groups, "users").rows.map((r) => r.id)).toEqual(["usr_alice", "usr_bob", "usr_carol"]);
    const d101 = group(groups, "dev_101");
    expect(d101.refused).toEqual([]);
    expect(d101.rows.map((r) => `${r.table}:${r.id}`)).toEqual([
      "devices:dev_101",
      "device_ownerships:own_1",
      "device_trials:dev_101",
      "sim_cards:sim_1",
      "subscriptions:sub_row_1",
      "subscriptions:sub_row_2",
      "entitlements:ent_1",
      "entitlements:ent_2",
      "entitlements:ent_3",
    ]);
    const d103 = group(groups, "dev_103");
    expect(d103.rows).toEqual([]);
    expect(d103.refused).toEqual([{ reason: "two_active_owners", model: "DeviceOwnership", id: "own_4", detail: "active ownerships own_4, own_5" }]);
    // Rows without a device go with their user: Carol's voice subscription and its entitlement, Bob's loose SIM.
    expect(group(groups, "usr_carol").rows.map((r) => r.id)).toEqual(["sub_row_3", "ent_4"]);
    expect(group(groups, "usr_bob").rows.map((r) => r.id)).toEqual(["sim_2"]);
  });

  it("maps Prisma's camelCase, ISO dates and UPPERCASE enums to our columns; the trial marks the device", () => {
    const { groups } = planImport(example, EMPTY_EXISTING);
    const rows = group(groups, "dev_102").rows;
    expect(rows.find((r) => r.id === "dev_102")!.values).toMatchObject({
      aovis_id: "aovis-n4k-000102",
      iot_thing_name: "aovis-dev-aovis-n4k-000102",
      kvs_stream_name: "aovis-stream-aovis-n4k-000102",
      trial_used_at: Date.parse("2025-07-01T08:10:00.000Z"),
    });
    expect(rows.find((r) => r.id === "own_2")!.values).toMatchObject({
      status: "ended",
      end_reason: "transferred",
      ended_at: Date.parse("2025-08-15T12:00:00.000Z"),
    });
    const sub = group(groups, "dev_101").rows.find((r) => r.id === "sub_row_2")!.values;
    expect(sub).toMatchObject({ source: "stripe", status: "ACTIVE", sku: "aovis-cloud-storage-standard", cancel_at_period_end: false });
  });

  it("the example's hashes are activation-code hashes under the local pepper (the devices can be activated after a local import)", async () => {
    const { hashActivationCode } = await import("~/domain/activation-code");
    expect(example.devices[0].activationCodeHash).toBe(await hashActivationCode(env.ACTIVATION_CODE_PEPPER, "IMPT-0101"));
  });
});

describe("what is refused", () => {
  it("two trials for a device", () => {
    const x = clone();
    x.deviceTrials.push({ ...x.deviceTrials[0], userId: "usr_bob" });
    expect(reasons(group(planImport(x, EMPTY_EXISTING).groups, "dev_101"))).toContain("two_trials");
  });

  it("an entitlement without a subscription (neither in the file nor in D1)", () => {
    const x = clone();
    x.entitlements.push({ ...x.entitlements[1], id: "ent_9", externalId: "x:9", subscriptionId: "sub_gone" });
    const g = group(planImport(x, EMPTY_EXISTING).groups, "dev_101");
    expect(g.refused).toEqual([expect.objectContaining({ reason: "entitlement_without_subscription", model: "Entitlement", id: "ent_9" })]);
    expect(g.rows).toEqual([]);
    // …but one whose subscription D1 already holds is fine.
    const here: ExistingData = { ...EMPTY_EXISTING, ids: { subscriptions: ["sub_gone"] } };
    expect(group(planImport(x, here).groups, "dev_101").refused).toEqual([]);
  });

  it("an active owner in the file while D1 already has another active owner for that device", () => {
    const here: ExistingData = { ...EMPTY_EXISTING, activeOwnerships: [{ id: "own_local", deviceId: "dev_101" }] };
    expect(group(planImport(example, here).groups, "dev_101").refused).toEqual([
      expect.objectContaining({ reason: "two_active_owners", detail: "active ownerships own_1, own_local (here)" }),
    ]);
  });

  it("a serial another device already has here; a user whose Auth0 subject is another user here (and their devices)", () => {
    const here: ExistingData = {
      ...EMPTY_EXISTING,
      devices: [{ id: "dev_local", serial: "N4K-000102", aovisId: "aovis-local", iotThingName: "aovis-local" }],
      users: [{ id: "usr_local", auth0Sub: "auth0|bob" }],
    };
    const { groups } = planImport(example, here);
    expect(reasons(group(groups, "dev_102"))).toEqual(expect.arrayContaining(["device_conflict", "unknown_user"]));
    expect(group(groups, "users").refused).toEqual([expect.objectContaining({ reason: "user_conflict", id: "usr_bob" })]);
    expect(group(groups, "users").rows.map((r) => r.id)).toEqual(["usr_alice", "usr_carol"]);
    expect(group(groups, "dev_101").refused).toEqual([]);
  });

  it("malformed rows name every bad field; unknown skus, users and devices; duplicate ids", () => {
    const x = clone();
    x.devices[0].activationCodeHash = "not-a-hash";
    x.devices[0].createdAt = "yesterday";
    x.subscriptions[1].sku = "aovis-cloud-platinum";
    x.deviceOwnerships[2].userId = "usr_nobody";
    x.simCards[1].deviceId = "dev_nowhere";
    x.users.push({ ...x.users[0] });
    const { groups } = planImport(x, EMPTY_EXISTING);
    const d101 = group(groups, "dev_101");
    expect(d101.refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: "invalid_row", model: "Device", detail: "activationCodeHash is malformed; createdAt is not a date" }),
        expect.objectContaining({ reason: "invalid_row", model: "Subscription", detail: "sku aovis-cloud-platinum is not in the catalogue" }),
      ]),
    );
    expect(reasons(group(groups, "dev_102"))).toEqual(["unknown_user"]);
    expect(reasons(group(groups, "dev_nowhere"))).toEqual(["unknown_device"]);
    expect(reasons(group(groups, "users"))).toEqual(["duplicate_id", "duplicate_id"]);
  });

  it("old skus are accepted and stored under the new names", () => {
    const x = clone();
    x.subscriptions[1].sku = "aovis-cloud-standard";
    x.entitlements[1].sku = "aovis-cloud-standard";
    const rows = group(planImport(x, EMPTY_EXISTING).groups, "dev_101").rows;
    expect(rows.filter((r) => r.id === "sub_row_2" || r.id === "ent_2").map((r) => r.values.sku)).toEqual([
      "aovis-cloud-storage-standard",
      "aovis-cloud-storage-standard",
    ]);
  });

  it("a re-run: rows D1 already holds are counted as present", () => {
    const { groups } = planImport(example, EMPTY_EXISTING);
    const ids: ExistingData["ids"] = {};
    for (const g of groups) for (const r of g.rows) ids[r.table] = [...(ids[r.table] ?? []), r.id];
    const again = planImport(example, { ...EMPTY_EXISTING, ids, activeOwnerships: [{ id: "own_1", deviceId: "dev_101" }] });
    for (const g of again.groups.filter((x) => x.rows.length)) expect(g.present, g.label).toBe(g.rows.length);
  });

  it("a file that is not an object of lists", () => {
    expect(planImport([], EMPTY_EXISTING).fileProblems).toEqual(["the file is not a JSON object of models"]);
    expect(planImport({ users: {} }, EMPTY_EXISTING).fileProblems).toEqual(["users is not a list"]);
  });
});
