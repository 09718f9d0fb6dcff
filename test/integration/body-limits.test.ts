import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
// The generated Remix server build (npm test builds it first), typed by workers/server-build.d.ts.
import * as build from "../../build/server/index.js";
import { accessToken } from "../helpers/access";
import { appFetch } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { setVoiceTier } from "../helpers/voice";

type Route = { id: string; path?: string; index?: boolean; parentId?: string; module: { action?: unknown } };
const routes = build.routes as unknown as Record<string, Route>;
const fullPath = (r: Route): string => [r.parentId ? fullPath(routes[r.parentId]) : "", r.path ?? ""].filter(Boolean).join("/");

/** Every route of the build with an action, the URL that reaches that action, and the body cap it declares. */
const withAction = Object.values(routes)
  .filter((r) => typeof r.module.action === "function")
  .map((r) => ({
    id: r.id,
    url: "/" + fullPath(r).replace(/:[A-Za-z]+/g, "d0000000-0000-4000-8000-000000000001") + (r.index ? "?index" : ""),
    cap: (r.module.action as { maxBodyBytes?: unknown }).maxBodyBytes,
  }));

const MB = 1024 * 1024;
/** The 20 MB, or more for a route whose own cap is above it (voice cloning). */
const oversize = (cap: number) => Math.max(20 * MB, cap + MB);

/** Everything a request could have changed: every D1 table's rows, the R2 keys, the KV keys. */
async function digest(): Promise<string> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
  ).all<{
    name: string;
  }>();
  const parts: unknown[] = [];
  for (const { name } of tables.results) parts.push(name, (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
  parts.push((await env.AUDIO.list()).objects.map((o) => o.key));
  parts.push((await env.SESSIONS.list()).keys.map((k) => k.name));
  return JSON.stringify(parts);
}

/** A body that never ends by itself (no Content-Length: chunked), made as it is read; `pulled()` says how much was. */
function endlessBody(type: "json" | "multipart") {
  const head = new TextEncoder().encode(
    type === "json"
      ? '{"pad":"'
      : '--XB\r\nContent-Disposition: form-data; name="name"\r\n\r\nBig\r\n--XB\r\nContent-Disposition: form-data; name="files"; filename="big.mp3"\r\nContent-Type: audio/mpeg\r\n\r\nID3',
  );
  const chunk = new Uint8Array(256 * 1024).fill(0x61);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const part = pulled === 0 ? head : chunk;
      pulled += part.byteLength;
      c.enqueue(part);
    },
  });
  return { stream, pulled: () => pulled };
}

/** Routes that take only a multipart upload: anything else is refused unread. */
const UPLOAD_ONLY = new Set(["routes/api.ivc", "routes/api.recordings._index"]);

async function refusal(res: Response): Promise<string> {
  const text = await res.text();
  if ((res.headers.get("Content-Type") ?? "").includes("application/json")) return (JSON.parse(text) as { error: string }).error;
  // A page action's reply is in the rendered page (its action data); the code is in there.
  return /payload_too_large|method_not_allowed|invalid_body/.exec(text)?.[0] ?? text.slice(0, 200);
}

describe("request body caps (issue #11 item 7): every action of the build, one byte-capped reader", () => {
  it("every route action declares its body cap (apiRoute, formAction, cappedAction), so none reads a body uncapped", () => {
    expect(withAction.length).toBeGreaterThan(20);
    const uncapped = withAction.filter((r) => typeof r.cap !== "number" || !(Number(r.cap) > 0)).map((r) => r.id);
    expect(uncapped).toEqual([]);
    // The webhook and voice cloning have caps of their own.
    const cap = (id: string) => withAction.find((r) => r.id === id)?.cap;
    expect(cap("routes/api.stripe.webhook")).toBe(512 * 1024);
    expect(cap("routes/api.ivc")).toBeGreaterThan(50 * MB);
    expect(cap("routes/voice")).toBe(cap("routes/api.ivc"));
    expect(cap("routes/api.devices.activate")).toBe(64 * 1024);
  });

  it("a body over the cap, declared (JSON, form, multipart) → 413 payload_too_large before parsing, on every action; nothing changed", async () => {
    const cookie = await signIn("body-caps@example.com");
    const staff = await accessToken();
    await setVoiceTier(await userIdOf(cookie), "BASIC");
    const big = new Uint8Array(oversize(Math.max(...withAction.map((r) => Number(r.cap))))).fill(0x61);
    const before = await digest();
    const types = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=XB"];
    for (const r of withAction) {
      for (const type of types) {
        const res = await appFetch(r.url, {
          method: "POST",
          headers: {
            Cookie: cookie,
            "Content-Type": type,
            "Stripe-Signature": "t=1,v1=00",
            "x-aovis-rule-token": env.IOT_RULE_TOKEN,
            // /ops answers only what Cloudflare Access signed (ADR 025): send a staff assertion, so the cap is what refuses.
            "Cf-Access-Jwt-Assertion": staff,
          },
          body: big.subarray(0, oversize(Number(r.cap))),
        });
        const what = `${r.id} (${r.url}) ${type}`;
        expect(res.status, what).toBe(413);
        expect(await refusal(res), what).toBe("payload_too_large");
      }
    }
    expect(await digest()).toBe(before);
  }, 120_000);

  it("a chunked body (no Content-Length) is counted as it arrives: no action reads much past its cap, none takes it; nothing changed", async () => {
    const cookie = await signIn("body-caps-chunked@example.com");
    const staff = await accessToken();
    await setVoiceTier(await userIdOf(cookie), "BASIC");
    const before = await digest();
    for (const r of withAction) {
      for (const type of ["json", "multipart"] as const) {
        const body = endlessBody(type);
        const res = await appFetch(r.url, {
          method: "POST",
          headers: {
            Cookie: cookie,
            "Content-Type": type === "json" ? "application/json" : "multipart/form-data; boundary=XB",
            "Stripe-Signature": "t=1,v1=00",
            // The IoT rule's endpoint checks its token before the size (ADR 015): send it, so the cap is what refuses.
            "x-aovis-rule-token": env.IOT_RULE_TOKEN,
            "Cf-Access-Jwt-Assertion": staff,
          },
          body: body.stream,
        });
        const what = `${r.id} (${r.url}) chunked ${type}`;
        const code = await refusal(res);
        // Actions that serve no POST refuse the method without reading (405), the upload route a
        // body that isn't multipart (400); every other one reads through its cap and refuses past it.
        const refusedUnread = type === "json" && UPLOAD_ONLY.has(r.id) ? "invalid_body" : "method_not_allowed";
        expect(code, what).toBe(res.status === 413 ? "payload_too_large" : refusedUnread);
        expect(res.status, what).toBe({ payload_too_large: 413, method_not_allowed: 405, invalid_body: 400 }[code]);
        expect(body.pulled(), what).toBeLessThan(Number(r.cap) + 4 * MB);
      }
    }
    expect(await digest()).toBe(before);
  }, 180_000);
});
