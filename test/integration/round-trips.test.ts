// How many times a signed-in page waits on D1 (issue #11): each db.batch and each statement run on
// its own is one round trip to the database, which in production is a network hop to D1's primary.
// The Worker is called with its real bindings, the D1 binding wrapped to count what passes through.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/app";
import { appFetch, ORIGIN } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { activate, postJson, provisionTestDevice } from "../helpers/devices";
import { setVoiceTier } from "../helpers/voice";

interface Trips {
  d1: string[];
  kvReads: number;
  /** How many times the request waited on D1 with nothing else in flight: calls that overlap are one wait. */
  waits: number;
  inFlight: number;
}

/** Counts `call` as a D1 round trip and as a new wait unless another call is still in flight. */
function timed<T>(trips: Trips, call: () => Promise<T>): Promise<T> {
  if (trips.inFlight === 0) trips.waits++;
  trips.inFlight++;
  return call().finally(() => trips.inFlight--);
}

/** The D1 binding, counting round trips: a batch is one, a statement run outside a batch is one. */
function countingD1(db: D1Database, trips: Trips): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const run =
      <K extends "first" | "all" | "run" | "raw">(k: K) =>
      (...args: unknown[]) => {
        trips.d1.push(sql);
        return timed(trips, () => (stmt[k] as (...a: unknown[]) => Promise<unknown>)(...args));
      };
    const w = { bind: (...v: unknown[]) => wrap(stmt.bind(...v), sql), first: run("first"), all: run("all"), run: run("run"), raw: run("raw") };
    real.set(w, stmt);
    return w as unknown as D1PreparedStatement;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) => {
          trips.d1.push(`batch of ${stmts.length}`);
          return timed(trips, () => target.batch(stmts.map((s) => real.get(s) ?? s)));
        };
      if (prop === "exec")
        return (sql: string) => {
          trips.d1.push(sql);
          return timed(trips, () => target.exec(sql));
        };
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

function countingKv(kv: KVNamespace, trips: Trips): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (prop === "get" || prop === "getWithMetadata")
        return (...args: unknown[]) => {
          trips.kvReads++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** GET `path` through the Worker with counting bindings; the response and what it waited on. */
async function countedGet(
  path: string,
  cookie: string | null,
  vars: Partial<Env> = {},
): Promise<{ res: Response; body: string; trips: Omit<Trips, "inFlight"> }> {
  const trips: Trips = { d1: [], kvReads: 0, waits: 0, inFlight: 0 };
  const counted = { ...env, ...vars, DB: countingD1(env.DB, trips), SESSIONS: countingKv(env.SESSIONS, trips) } as Env;
  const ctx = createExecutionContext();
  const headers: Record<string, string> = cookie ? { Host: "localhost:8787", Cookie: cookie } : { Host: "localhost:8787" };
  const request = new Request(`${ORIGIN}${path}`, { headers }) as Request<unknown, IncomingRequestCfProperties>;
  const res = await worker.fetch(request, counted, ctx);
  const body = await res.text();
  const handled = { d1: [...trips.d1], kvReads: trips.kvReads, waits: trips.waits };
  await waitOnExecutionContext(ctx); // work after the response (a session renewal) is not the page's wait
  return { res, body, trips: handled };
}

describe("D1 round trips per signed-in page", () => {
  it("the bench's baseline /dev/bare renders the layout without D1 or KV, and only in local/test mode", async () => {
    const bare = await countedGet("/dev/bare", null);
    expect(bare.res.status).toBe(200);
    expect(bare.body).toContain('id="main"');
    expect(bare.trips).toEqual({ d1: [], kvReads: 0, waits: 0 });
    expect((await countedGet("/dev/bare", null, { APP_ENV: "production" })).res.status).toBe(404);
  });

  it("/account/devices with cameras, history and an open offer: ONE D1 call (the page's reads ride in the session check's batch), one wait", async () => {
    const cookie = await signIn("trips-devices@example.com");
    const a = await provisionTestDevice();
    const b = await provisionTestDevice();
    expect((await activate(cookie, a.serial, a.code)).status).toBe(200);
    expect((await activate(cookie, b.serial, b.code)).status).toBe(200);
    expect((await postJson(cookie, `/api/devices/${a.id}/transfers`, { toEmail: "trips-friend@example.com", includeSim: false })).status).toBe(201);

    const page = await countedGet("/account/devices", cookie);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain(a.serial);
    expect(page.body).toContain(b.serial);
    expect(page.body).toContain("trips-friend@example.com");
    expect(page.trips.d1, page.trips.d1.join("\n")).toEqual(["batch of 7"]); // the session check + 6 page reads
    expect(page.trips.kvReads).toBeLessThanOrEqual(1);
    expect(page.trips.waits).toBe(1);

    // A client-side navigation asks for the same loaders' data (single fetch): the same budget.
    const data = await countedGet("/account/devices.data", cookie);
    expect(data.res.status).toBe(200);
    expect(data.body).toContain(a.serial);
    expect(data.trips.d1, data.trips.d1.join("\n")).toEqual(["batch of 7"]);
    expect(data.trips.waits).toBe(1);
  });

  // ADR 035: the session's claim (which user it names) is remembered by the isolate for a while,
  // so a signed-in page makes no KV round trip; the verdict is D1's on every request all the same.
  it("the next signed-in page reads no KV (the claim is remembered); a sign-out and 'sign out everywhere' still refuse the next request at once", async () => {
    const cookie = await signIn("trips-claim@example.com");
    expect((await countedGet("/account/devices", cookie)).trips.kvReads).toBeLessThanOrEqual(1);
    const again = await countedGet("/account/devices", cookie);
    expect(again.res.status).toBe(200);
    expect(again.trips.kvReads).toBe(0);
    expect(again.trips.d1, again.trips.d1.join("\n")).toEqual(["batch of 7"]); // the page's reads still ride in the check
    expect([302, 303]).toContain((await appFetch("/auth/logout", { method: "POST", headers: { Cookie: cookie } })).status);
    const out = await countedGet("/account/devices", cookie);
    expect(out.res.status).toBe(302);
    expect(out.res.headers.get("Location")).toMatch(/^\/login\?returnTo=/);

    const a1 = await signIn("trips-claim-everywhere@example.com");
    const a2 = await signIn("trips-claim-everywhere@example.com");
    expect((await countedGet("/account/devices", a2)).res.status).toBe(200);
    expect((await countedGet("/account/devices", a2)).trips.kvReads).toBe(0);
    expect((await appFetch("/account/sign-out-everywhere", { method: "POST", headers: { Cookie: a1 } })).status).toBe(303);
    expect((await countedGet("/account/devices", a2)).res.status).toBe(302);
    expect((await countedGet("/api/auth/session", a2)).res.status).toBe(401);
  });

  it("/account (the overview: camera count and voice tier): at most 2, one wait", async () => {
    const cookie = await signIn("trips-account@example.com");
    const a = await provisionTestDevice();
    expect((await activate(cookie, a.serial, a.code)).status).toBe(200);
    await setVoiceTier(await userIdOf(cookie), "PREMIUM");

    const page = await countedGet("/account", cookie);
    expect(page.res.status).toBe(200);
    expect(page.body).toMatch(/data-testid="device-count">1\D/);
    expect(page.body).toMatch(/data-testid="voice-tier">Voice Premium</);
    expect(page.trips.d1.length, page.trips.d1.join("\n")).toBeLessThanOrEqual(2);
    expect(page.trips.kvReads).toBeLessThanOrEqual(1);
    expect(page.trips.waits).toBe(1);
  });

  it("/voice for a signed-in user: at most 2", async () => {
    const cookie = await signIn("trips-voice@example.com");
    const page = await countedGet("/voice", cookie);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("trips-voice@example.com");
    expect(page.trips.d1.length, page.trips.d1.join("\n")).toBeLessThanOrEqual(2);
    expect(page.trips.kvReads).toBeLessThanOrEqual(1);
  });

  // In a batch D1 hands rows back keyed by column name: two columns of one name (entitlements.status
  // and subscriptions.status) would collapse, and the studio would read the subscription's status as
  // the entitlement's.
  it("the batched studio read tells an ended voice entitlement from its still-active subscription", async () => {
    const cookie = await signIn("trips-tier@example.com");
    const userId = await userIdOf(cookie);
    await setVoiceTier(userId, "PREMIUM");
    expect((await countedGet("/voice", cookie)).body).toMatch(/data-testid="tier">Voice Premium</);
    await env.DB.prepare("UPDATE entitlements SET status = 'CANCELLED' WHERE user_id = ?1 AND key = 'voice_tier'").bind(userId).run();
    expect((await countedGet("/voice", cookie)).body).toMatch(/data-testid="tier">Voice Free</);
  });
});
