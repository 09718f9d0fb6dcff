import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { seedSql } from "~/db/seed";

describe("real bindings", () => {
  it("D1 has the migrated schema and the demo devices, and re-seeding changes nothing", async () => {
    const before = await env.DB.prepare("SELECT id, serial, activation_code_hash FROM devices ORDER BY serial").all();
    expect(before.results.map((r) => r.serial)).toEqual(["N4K-000001", "N4K-000002", "N4K-000003", "N4K-000004", "N4K-000005"]);
    // The activation code is stored only as a keyed hash.
    expect(JSON.stringify(before.results)).not.toContain("DEMO-0001");
    const statements = await seedSql(env.ACTIVATION_CODE_PEPPER);
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    const after = await env.DB.prepare("SELECT id, serial, activation_code_hash FROM devices ORDER BY serial").all();
    expect(after.results).toEqual(before.results);
  });

  it("KV and R2 read back what was written", async () => {
    await env.SESSIONS.put("probe", "v", { expirationTtl: 60 });
    expect(await env.SESSIONS.get("probe")).toBe("v");
    await env.AUDIO.put("probe/x.bin", new Uint8Array([1, 2, 3]));
    const obj = await env.AUDIO.get("probe/x.bin");
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("every stand-in answers its health endpoint from inside workerd", async () => {
    const urls = env.TEST_STANDIN_URLS;
    expect(Object.keys(urls).sort()).toEqual(["access", "auth0", "aws", "elevenlabs", "mail", "stripe", "workersAi"]);
    for (const [name, url] of Object.entries(urls)) {
      const res = await fetch(`${url}/__standin/health`);
      expect(await res.json()).toEqual({ service: name, ok: true });
    }
  });
});
