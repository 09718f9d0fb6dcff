import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/app";
import { runScheduled } from "~/jobs/cron.server";
import type { Sweep } from "~/jobs/sweeps.server";

/** The cron only enqueues (ADR 027): the sweeps run in the queue consumer, so wait for their effect. */
async function eventually(check: () => Promise<boolean>, what: string) {
  const until = Date.now() + 25_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("cron", () => {
  it("one failing sweep is reported and the others still run", async () => {
    const ran: string[] = [];
    const sweeps: Sweep[] = [
      { name: "first", run: async () => (ran.push("first"), { n: 1 }) },
      {
        name: "broken",
        run: async () => {
          throw new Error("boom");
        },
      },
      { name: "last", run: async () => (ran.push("last"), { n: 2 }) },
    ];
    const report = await runScheduled(env, "17 * * * *", Date.now(), sweeps);
    expect(ran).toEqual(["first", "last"]);
    expect(report.results.map((r) => [r.name, r.ok])).toEqual([
      ["first", true],
      ["broken", false],
      ["last", true],
    ]);
    expect(report.results[1].detail.error).toBe("boom");
  });

  it("the Worker's scheduled handler enqueues the sweeps and the queue consumer runs housekeeping (expired revocations and stale rate-limit windows go)", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO session_revocations (session_hash, user_id, revoked_at, expires_at) VALUES ('old', 'u', ?1, ?2), ('fresh', 'u', ?1, ?3)",
      ).bind(now - 10, now - 1, now + 3600_000),
      env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES ('cron:old', ?1, 3), ('cron:fresh', ?2, 1)").bind(now - 2 * 86400_000, now),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    await eventually(
      async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM session_revocations WHERE session_hash = 'old'").first<{ n: number }>())!.n === 0,
      "the housekeeping sweep",
    );
    const hashes = (await env.DB.prepare("SELECT session_hash FROM session_revocations WHERE session_hash IN ('old','fresh')").all()).results.map(
      (r) => r.session_hash,
    );
    expect(hashes).toEqual(["fresh"]);
    const keys = (await env.DB.prepare("SELECT key FROM rate_limits WHERE key LIKE 'cron:%'").all()).results.map((r) => r.key);
    expect(keys).toEqual(["cron:fresh"]);
  });

  it("housekeeping also drops sign-ins never finished and used nonces past their token's acceptable age (ADR 012)", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO sign_in_transactions (state_hash, browser_hash, nonce, code_verifier, return_to, created_at, expires_at)
         VALUES ('cron-old', 'b', 'n', 'v', '/account', ?1, ?2), ('cron-fresh', 'b', 'n', 'v', '/account', ?1, ?3)`,
      ).bind(now - 700_000, now - 1, now + 600_000),
      env.DB.prepare("INSERT INTO id_token_nonces (nonce_hash, sub, used_at, expires_at) VALUES ('cron-old', 's', ?1, ?2), ('cron-fresh', 's', ?1, ?3)").bind(
        now - 700_000,
        now - 1,
        now + 600_000,
      ),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    await eventually(
      async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM id_token_nonces WHERE nonce_hash = 'cron-old'").first<{ n: number }>())!.n === 0,
      "the housekeeping sweep",
    );
    const states = (await env.DB.prepare("SELECT state_hash AS k FROM sign_in_transactions WHERE state_hash LIKE 'cron-%'").all()).results.map((r) => r.k);
    expect(states).toEqual(["cron-fresh"]);
    const nonces = (await env.DB.prepare("SELECT nonce_hash AS k FROM id_token_nonces WHERE nonce_hash LIKE 'cron-%'").all()).results.map((r) => r.k);
    expect(nonces).toEqual(["cron-fresh"]);
  });
});
