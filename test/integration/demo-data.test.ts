import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEMO_OWNER_DEVICE, DEMO_OWNER_USER_ID, demoOwnerSql } from "~/db/seed";
import { appFetch, shownMarkup } from "../helpers/app";
import { signIn, userIdOf } from "../helpers/auth";
import { HOUR, insertEvent } from "../helpers/events";

// `npm start`'s demo account (app/db/seed.ts demoOwnerSql): rows in the shapes the app writes, so
// the real sign-in finds the account and the real reads give its camera a paid plan's window, AI
// summaries and Smart search; running the seed again changes nothing.

const EMAIL = "demo@example.com";
/** The Auth0 stand-in's subject for an address (standins/auth0.mjs subFor). */
async function subFor(email: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.toLowerCase())));
  return `auth0|${[...digest]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 24)}`;
}
const seed = async (now: number) => {
  const sql = await demoOwnerSql({ pepper: env.ACTIVATION_CODE_PEPPER, email: EMAIL, auth0Sub: await subFor(EMAIL), now });
  await env.DB.batch(sql.map((s) => env.DB.prepare(s)));
};
const counts = async () => {
  const tables = ["users", "devices", "device_ownerships", "device_trials", "subscriptions", "entitlements"];
  return Object.fromEntries(
    await Promise.all(tables.map(async (t) => [t, (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n])),
  );
};

describe("the demo account", () => {
  it("signs in to its camera on the Standard plan: markers, today's brief and search work on it; a second seed changes nothing", async () => {
    await seed(Date.now());
    const once = await counts();
    await seed(Date.now() + 60_000);
    expect(await counts()).toEqual(once);

    const cookie = await signIn(EMAIL);
    expect(await userIdOf(cookie)).toBe(DEMO_OWNER_USER_ID);
    const device = DEMO_OWNER_DEVICE.id;
    const at = Date.now() - 2 * HOUR;
    await insertEvent(device, { at, description: "A courier leaves a parcel at the door" });

    const list = await (await appFetch("/account/devices", { headers: { Cookie: cookie } })).text();
    expect(list).toContain("Front door");
    // The device list's one effective plan line (issue #14 §3): Standard, renewing.
    expect(list).toMatch(/data-kind="renews"><span class="badge">Standard<\/span>/);
    // (In the markup: the page's scripts carry the whole served catalogue, ADR 028.)
    expect(shownMarkup(list)).not.toContain("Trial available");

    const page = await (await appFetch(`/account/devices/${device}?at=${new Date(at).toISOString()}`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('data-testid="event-marker"');

    const today = (await (await appFetch("/api/events/today", { headers: { Cookie: cookie } })).json()) as { briefs: { name: string }[]; withoutAi: number };
    expect(today.withoutAi).toBe(0);
    expect(today.briefs.map((b) => b.name)).toEqual(["Front door"]);

    const search = (await (await appFetch("/api/events/search?q=package", { headers: { Cookie: cookie } })).json()) as { results: { eventId: string }[] };
    expect(search.results.length).toBe(1);
  });
});
