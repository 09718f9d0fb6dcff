import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appFetch, ORIGIN } from "../helpers/app";
import { deliverAll, standin, stripeBase, type EventRecord, type Json } from "../helpers/stripe";
import { signIn, userIdOf } from "../helpers/auth";
import { marker, RACHEL, setUsage, settled, setVoiceTier, tts, ttsStats } from "../helpers/voice";

function form(cookie: string, path: string, fields: Record<string, string>) {
  return appFetch(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

const html = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const decode = (s: string) => s.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x27;", "'");

/** What a browser submits for the button `buttonTestId`: its form's action and fields (button value included). */
function formOfButton(page: string, buttonTestId: string): { action: string; fields: Record<string, string> } {
  const button = new RegExp(`<button[^>]*data-testid="${buttonTestId}"[^>]*>`).exec(page)?.[0];
  if (!button) throw new Error(`no button ${buttonTestId}`);
  const formId = /\bform="([^"]+)"/.exec(button)?.[1];
  const formTag = formId ? new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(page) : null;
  if (!formTag) throw new Error(`the button ${buttonTestId} names no form`);
  const action = decode(/\baction="([^"]*)"/.exec(formTag[0])?.[1] ?? "");
  const fields: Record<string, string> = {};
  for (const m of formTag[1].matchAll(/<input[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(m[0])?.[1];
    if (name) fields[name] = decode(/\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? "");
  }
  const name = /\bname="([^"]+)"/.exec(button)?.[1];
  if (name) fields[name] = decode(/\bvalue="([^"]*)"/.exec(button)?.[1] ?? "");
  return { action: action || "/voice", fields };
}

/** A Basic customer the way billing makes one: Checkout on the stand-in, paid, webhooks delivered. */
async function basicCustomer() {
  const cookie = await signIn(`voice-upgrade-${crypto.randomUUID().slice(0, 8)}@example.com`);
  const bought = await form(cookie, "/account/services", { intent: "voice-checkout", tier: "BASIC" });
  expect(bought.status).toBe(303);
  const sessionId = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)$/.exec(bought.headers.get("Location") ?? "")![1];
  const done = await standin<{ events: EventRecord[] }>(`/__standin/checkout/${sessionId}/complete`);
  await deliverAll(done.events);
  return { cookie, userId: await userIdOf(cookie) };
}

describe("upgrading from the voice studio", () => {
  it("a Basic customer at 100/100 who clicks Upgrade reaches the Billing Portal (a 303), never a JSON page", async () => {
    const { cookie, userId } = await basicCustomer();
    await setUsage(userId, 100);
    const page = await html(await appFetch("/voice", { headers: { Cookie: cookie } }));
    expect(page).toContain("100 / 100");
    expect(page).toContain('data-testid="upgrade-prompt"');
    expect(page).toContain("Upgrade to Voice Premium");
    expect(page).toContain("change your plan in Stripe&#x27;s secure billing portal");
    const { action, fields } = formOfButton(page, "upgrade-button");

    const res = await form(cookie, action, fields);
    expect(res.headers.get("Content-Type") ?? "").not.toContain("application/json");
    expect(res.status).toBe(303);
    const portal = res.headers.get("Location") ?? "";
    expect(portal).toMatch(new RegExp(`^${stripeBase()}/p/session/bps_`));
    // The portal's way back leads to the studio, and the portal is for this customer's voice subscription.
    const portalPage = await (await fetch(portal)).text();
    expect(portalPage).toContain(`${ORIGIN}/voice`);
    expect(portalPage).toContain("Voice Basic");
  });

  it("the services page's Voice Premium button sends a Basic customer to the Billing Portal too", async () => {
    const { cookie } = await basicCustomer();
    const res = await form(cookie, "/account/services", { intent: "voice-checkout", tier: "PREMIUM" });
    expect(res.status).toBe(303);
    const portal = res.headers.get("Location") ?? "";
    expect(portal).toMatch(new RegExp(`^${stripeBase()}/p/session/bps_`));
    expect(await (await fetch(portal)).text()).toContain(`${ORIGIN}/account/services`);
  });

  it("a refused upgrade is a message on the studio page, not JSON", async () => {
    // A Basic tier without a Stripe customer (granted directly): there is no billing account to open.
    const cookie = await signIn(`voice-upgrade-nobill-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    await setVoiceTier(userId, "BASIC");
    await setUsage(userId, 100);
    const page = await html(await appFetch("/voice", { headers: { Cookie: cookie } }));
    const { action, fields } = formOfButton(page, "upgrade-button");
    const res = await form(cookie, action, fields);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type") ?? "").toContain("text/html");
    const body = await html(res);
    expect(body).toContain('data-testid="studio-result"');
    expect(body).toContain("You have no paid services yet, so there is nothing to manage.");
  });

  it("a Free customer's upgrade button opens Checkout for the next tier (a 303 to Stripe)", async () => {
    const cookie = await signIn(`voice-upgrade-free-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await setUsage(await userIdOf(cookie), 10);
    const page = await html(await appFetch("/voice", { headers: { Cookie: cookie } }));
    const { action, fields } = formOfButton(page, "upgrade-button");
    const res = await form(cookie, action, fields);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^${stripeBase()}/c/pay/cs_test_`));
  });
});

describe("Premium's advanced control: speaker boost", () => {
  const user = async (tier: "FREE" | "BASIC" | "PREMIUM") => {
    const cookie = await signIn(`voice-boost-${tier.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const id = await userIdOf(cookie);
    if (tier !== "FREE") await setVoiceTier(id, tier);
    return { cookie, id };
  };
  const sentSettings = async (m: string) => ((await ttsStats(m)) as unknown as { recent: { voiceSettings: Json | null }[] }).recent.map((r) => r.voiceSettings);

  it("Premium's choice reaches ElevenLabs as use_speaker_boost; no choice sends none", async () => {
    const u = await user("PREMIUM");
    const m = marker("boost");
    for (const [n, speakerBoost] of [
      [1, true],
      [2, false],
      [3, undefined],
    ] as const) {
      const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} ${n}`, ...(speakerBoost === undefined ? {} : { speakerBoost }) });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      await settled(res.headers.get("X-Recording-Id")!);
    }
    const sent = await sentSettings(m);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatchObject({ use_speaker_boost: true });
    expect(sent[1]).toMatchObject({ use_speaker_boost: false });
    expect(sent[2]).not.toHaveProperty("use_speaker_boost");
  });

  it("Free and Basic choosing it → 403 feature_locked with the Premium store page; nothing generated, no quota spent", async () => {
    for (const tier of ["FREE", "BASIC"] as const) {
      const u = await user(tier);
      const m = marker(`boost-${tier}`);
      const res = await tts(u.cookie, { voiceId: RACHEL, text: `${m} locked`, speakerBoost: false });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: "feature_locked", feature: "speaker_boost", upgradeUrl: "/store/aovis-voice-premium" });
      expect((await ttsStats(m)).ttsCalls).toBe(0);
    }
  });

  it("the studio form offers it only to Premium, and the plain form post sends it", async () => {
    const free = await user("FREE");
    expect(await html(await appFetch("/voice", { headers: { Cookie: free.cookie } }))).not.toContain('name="speakerBoost"');
    const p = await user("PREMIUM");
    const page = await html(await appFetch("/voice", { headers: { Cookie: p.cookie } }));
    expect(page).toMatch(/<label for="speakerBoost">Speaker boost<\/label><select id="speakerBoost" name="speakerBoost"/);
    const m = marker("boost-form");
    const res = await form(p.cookie, "/voice", { intent: "generate", voiceId: RACHEL, text: `${m} from the form`, speakerBoost: "on" });
    expect(res.status).toBe(302);
    expect(await sentSettings(m)).toEqual([expect.objectContaining({ use_speaker_boost: true })]);
    // A Free user's forged field is refused on the page, not sent.
    const forged = await form(free.cookie, "/voice", { intent: "generate", voiceId: RACHEL, text: `${m} forged`, speakerBoost: "on" });
    expect(forged.status).toBe(200);
    expect(await html(forged)).toContain("Speaker boost is not included in Voice Free.");
    expect((await ttsStats(`${m} forged`)).ttsCalls).toBe(0);
  });
});

describe("the usage meter and the upgrade offer from 80 % of the month", () => {
  it("shows a meter; from 8 of 10 the next tier is offered while Generate stays; at 10 only the prompt", async () => {
    const cookie = await signIn(`voice-meter-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    const page = async () => html(await appFetch("/voice", { headers: { Cookie: cookie } }));

    await setUsage(userId, 7);
    let p = await page();
    expect(p).toMatch(/<meter[^>]*aria-labelledby="usage-count"[^>]*min="0" max="10" value="7" high="8"/);
    expect(p).not.toContain('data-testid="near-limit-prompt"');
    expect(p).not.toContain('id="voice-upgrade"');

    await setUsage(userId, 8);
    p = await page();
    expect(p).toContain('data-testid="near-limit-prompt"');
    expect(p).toContain("You&#x27;ve used 8 of your 10 generations this month. Voice Basic has 100 generations a month.");
    expect(p).toContain('data-testid="generate"');
    // Its button submits the same upgrade form: a plain post to the studio, answered with Checkout.
    const { action, fields } = formOfButton(p, "near-limit-upgrade");
    const res = await form(cookie, action, fields);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^${stripeBase()}/c/pay/cs_test_`));

    await setUsage(userId, 10);
    p = await page();
    expect(p).not.toContain('data-testid="near-limit-prompt"');
    expect(p).toContain('data-testid="upgrade-prompt"');
  });

  it("Premium (unlimited) has no meter and no offer", async () => {
    const cookie = await signIn(`voice-meter-p-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    await setVoiceTier(userId, "PREMIUM");
    await setUsage(userId, 5000);
    const p = await html(await appFetch("/voice", { headers: { Cookie: cookie } }));
    expect(p).toContain("5,000");
    expect(p).not.toContain("<meter");
    expect(p).not.toContain('data-testid="near-limit-prompt"');
  });
});

describe("the studio's recordings list: favorites and pages without JavaScript", () => {
  /** Ready recordings "rec 1" (oldest) … "rec n", every third a favorite, written as generation writes them. */
  async function recordings(userId: string, n: number) {
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: n }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO voice_recordings (id, user_id, voice_id, voice_name, text, settings_json, fingerprint, usage_month, r2_key, content_type, size, status, favorite, created_at, ready_at, expires_at)
           VALUES (?1, ?2, ?3, 'Rachel', ?4, '{"stability":0.5,"similarityBoost":0.75,"style":0,"speed":1}', ?5, '2026-12', ?6, 'audio/mpeg', 10, 'ready', ?7, ?8, ?8, ?9)`,
        ).bind(
          crypto.randomUUID(),
          userId,
          RACHEL,
          `rec ${i + 1}.`,
          crypto.randomUUID(),
          `voice/${userId}/${i}`,
          (i + 1) % 3 === 0 ? 1 : 0,
          now - (n - i) * 1000,
          (i + 1) % 3 === 0 ? null : now + 86400_000,
        ),
      ),
    );
  }
  const texts = (page: string) => [...page.matchAll(/<p class="recording-text">(rec \d+)\.<\/p>/g)].map((m) => m[1]);

  it("lists 20 a page with Older/Newer links, and a Favorites filter, all plain links", async () => {
    const cookie = await signIn(`voice-list-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const userId = await userIdOf(cookie);
    await recordings(userId, 25);
    const get = async (path: string) => html(await appFetch(path, { headers: { Cookie: cookie } }));

    const first = await get("/voice");
    expect(texts(first)).toHaveLength(20);
    expect(texts(first)[0]).toBe("rec 25");
    expect(first).toContain('href="/voice?page=2#recordings-title"');
    expect(first).not.toContain('rel="prev"');
    expect(first).toMatch(/<a[^>]*aria-current="page"[^>]*>All<\/a>/);

    const second = await get("/voice?page=2");
    expect(texts(second)).toEqual(["rec 5", "rec 4", "rec 3", "rec 2", "rec 1"]);
    expect(second).toContain('href="/voice#recordings-title"');
    expect(second).not.toContain('rel="next"');

    const favorites = await get("/voice?favoritesOnly=true");
    expect(texts(favorites)).toEqual(["rec 24", "rec 21", "rec 18", "rec 15", "rec 12", "rec 9", "rec 6", "rec 3"]);
    expect(favorites).toMatch(/<a[^>]*aria-current="page"[^>]*>Favorites<\/a>/);
    expect(favorites).not.toContain('data-testid="recording-pages"');

    // An edited URL is the first page of everything, not an error.
    const odd = await appFetch("/voice?page=abc", { headers: { Cookie: cookie } });
    expect(odd.status).toBe(200);
    expect(texts(await html(odd))[0]).toBe("rec 25");
  });

  it("no favorites yet says so", async () => {
    const cookie = await signIn(`voice-list-empty-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const page = await html(await appFetch("/voice?favoritesOnly=true", { headers: { Cookie: cookie } }));
    expect(page).toContain("No favorites yet: mark a recording as a favorite to keep it.");
  });
});
