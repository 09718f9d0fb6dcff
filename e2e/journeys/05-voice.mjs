// Journey 5: the voice studio. Signed out it is a teaser; a fresh Free user generates, hears the
// result (a playable <audio> source), favorites it (still favorited after a reload), and after 10
// generations this month the Generate button is replaced by an upgrade prompt. On the way it plays a
// voice's sample (preview_url), searches the recordings (a GET form) and undoes a delete in place.
import { assert, assertAxeClean, assertEqual, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

async function generate(page, text, expectedUsed) {
  await page.getByLabel("Text", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  // Post/redirect/get: the page comes back with ?r=<new recording> and the counter moved on.
  await page
    .getByTestId("usage")
    .filter({ hasText: `${expectedUsed} / 10` })
    .waitFor({ timeout: 20_000 });
}

export default async function voiceJourney({ context, baseUrl }) {
  const page = await context.newPage();

  await page.goto(`${baseUrl}/voice`);
  assert(await page.getByRole("link", { name: "Sign in to start generating" }).isVisible(), "signed-out teaser links to sign-in");
  await assertAxeClean(page, "/voice signed out");

  await signInBrowser(page, baseUrl, uniqueEmail("voice"), "/voice");
  assert((await page.getByTestId("usage").textContent())?.includes("0 / 10"), "a fresh Free user has 0 / 10");
  assert(await page.getByTestId("sliders-locked").getByRole("link", { name: "Upgrade to Premium" }).isVisible(), "sliders locked with an upgrade link");
  assertEqual(await page.getByRole("slider", { name: "Stability" }).isDisabled(), true, "sliders disabled on Free");
  await page.getByLabel("Text", { exact: true }).fill("Hello!");
  assert((await page.getByTestId("char-count").textContent())?.startsWith("6 / 5,000"), "live character count");
  await assertAxeClean(page, "/voice Free");

  // Generate and hear it.
  await generate(page, "Hello from the front door camera.", 1);
  const player = page.getByTestId("player");
  await player.waitFor();
  const src = await player.getAttribute("src");
  assert(/^\/api\/recordings\/[0-9a-f-]{36}\/audio$/.test(src ?? ""), `player src is the recording's audio URL (${src})`);
  const audio = await page.evaluate(async (url) => {
    // no-store: the <audio> element may already have cached ranges of it (a 206 from cache).
    const res = await fetch(url, { cache: "no-store" });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get("content-type"), size: bytes.length, head: [...bytes.slice(0, 3)] };
  }, src);
  assertEqual(audio.status, 200, "audio status");
  assertEqual(audio.type, "audio/mpeg", "audio content type");
  assert(audio.size > 1000, "audio has content");
  // The browser itself decodes it: metadata loads and the duration is positive.
  const duration = await player.evaluate(
    (el) =>
      new Promise((resolve) => {
        if (el.readyState >= 1) return resolve(el.duration);
        el.addEventListener("loadedmetadata", () => resolve(el.duration), { once: true });
        el.addEventListener("error", () => resolve(-1), { once: true });
        el.load();
      }),
  );
  assert(duration > 0, `the browser can play the audio (duration ${duration})`);

  // Favorite it (optimistic), then reload: still favorited.
  const item = page.getByTestId("recording").first();
  const favorite = item.getByTestId("favorite");
  assertEqual(await favorite.getAttribute("aria-pressed"), "false", "not a favorite yet");
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/voice"));
  await favorite.click();
  await item.locator('[data-testid="favorite"][aria-pressed="true"]').waitFor({ timeout: 2_000 }); // optimistic
  await saved;
  await page.reload();
  assertEqual(await page.getByTestId("recording").first().getAttribute("data-favorite"), "true", "still a favorite after reload");
  assert((await page.getByTestId("recording").first().textContent())?.includes("Kept (favorite)"), "favorite is kept");

  // A voice's sample plays before generating (the stand-in serves real audio at its preview_url).
  await page.getByText("Hear the voices").click();
  const sample = page.getByLabel("Sample of the voice Rachel");
  const sampleDuration = await sample.evaluate(
    (el) =>
      new Promise((resolve) => {
        el.addEventListener("loadedmetadata", () => resolve(el.duration), { once: true });
        el.addEventListener("error", () => resolve(-1), { once: true });
        el.preload = "metadata"; // the page asks for none until someone presses play
        el.load();
      }),
  );
  assert(sampleDuration > 0, `the browser can play the voice sample (duration ${sampleDuration})`);
  await assertAxeClean(page, "/voice with the voice samples open");

  await generate(page, "Message number 2.", 2);
  await generate(page, "Message number 3.", 3);

  // Search: a GET form; only the match is listed, the words stay in the field.
  await page.getByLabel("Search your recordings").fill("front door");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL(/[?&]q=front\+door/);
  // The URL can change a moment before the new list is drawn: wait for the list to settle.
  await page
    .getByTestId("recording")
    .nth(1)
    .waitFor({ state: "detached", timeout: 5_000 })
    .catch(() => {});
  assertEqual(await page.getByTestId("recording").count(), 1, "one recording matches 'front door'");
  assertEqual(await page.getByLabel("Search your recordings").inputValue(), "front door", "the search stays in the field");
  await assertAxeClean(page, "/voice searched");
  await screenshot(page, "voice-search");
  await page.getByRole("link", { name: "Clear search" }).click();
  await page.getByTestId("recording").nth(2).waitFor();

  // Delete confirms in place with Undo; Undo lists it again.
  const victim = page.getByTestId("recording").filter({ hasText: "Message number 2." });
  const victimId = await victim.getAttribute("data-recording-id");
  await victim.getByTestId("delete").click();
  const tombstone = page.locator(`[data-testid="recording-deleted"][data-recording-id="${victimId}"]`);
  await tombstone.getByTestId("undo-delete").waitFor();
  assert((await tombstone.textContent())?.includes("You can undo until"), "the deleted row says until when Undo works");
  await assertAxeClean(page, "/voice after a delete (Undo offered)");
  await screenshot(page, "voice-undo");
  await tombstone.getByTestId("undo-delete").click();
  await page.locator(`[data-testid="recording"][data-recording-id="${victimId}"]`).waitFor();
  assertEqual(await page.getByTestId("recording-deleted").count(), 0, "nothing left to undo");

  // Use up the month: 7 more short texts.
  for (let i = 4; i <= 10; i++) await generate(page, `Message number ${i}.`, i);
  assertEqual(await page.getByRole("button", { name: "Generate", exact: true }).count(), 0, "no Generate button at the limit");
  const prompt = page.getByTestId("upgrade-prompt");
  assert(await prompt.isVisible(), "upgrade prompt at the limit");
  assert(await prompt.getByRole("button", { name: /Upgrade to Voice Basic/ }).isVisible(), "upgrade button names the next tier");
  assertEqual(await page.getByTestId("recording").count(), 10, "ten recordings listed");
  await assertAxeClean(page, "/voice at the limit");
  await screenshot(page, "voice-studio");
}
