// Journey 6: cloud video. Activate a demo camera (free trial), open its page, see live view start,
// the history limited to the window with the reason (a brand-new owner sees nothing from before
// their ownership, plus the trial's 24 hours), download the clip form's default range, get a
// refused range explained on the page by the no-JavaScript clip form, and check that someone else
// gets the friendly 404 for the same page. Journey 07 watches the timeline, playback and live view.
import { activateFreeDemoCamera, assert, assertAxeClean, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

export default async function cloudVideoJourney({ browser, context, baseUrl }) {
  const email = uniqueEmail("carol");
  const page = await context.newPage();
  await signInBrowser(page, baseUrl, email, "/account/devices");

  // Demo cameras are shared by the journeys: take the first whose trial is still available.
  const { serial, activatedAt } = await activateFreeDemoCamera(page, [5, 4, 3, 2, 1]);
  // The camera records in 4-second fragments: give the new ownership a few whole ones, so the hour
  // it can download holds footage (a clip of the first seconds after activation is rightly empty).
  await page.waitForTimeout(12_000);

  const card = page.locator(`[data-testid="device"][data-serial="${serial}"]`);
  await card.getByRole("link", { name: "NEXA Prime 4K" }).click();
  await page.waitForURL(/\/account\/devices\/[0-9a-f-]{36}$/);
  const deviceUrl = page.url();
  await page.waitForLoadState("networkidle");
  assert(await page.getByRole("heading", { name: /NEXA Prime 4K/ }).isVisible(), "device page heading");

  // History: only since this owner's activation, with the trial's wording.
  const reason = await page.getByTestId("history-reason").textContent();
  assert(reason.includes("before you owned this camera"), `ownership bound explained: ${reason}`);
  assert(reason.includes("Your free trial keeps 24 hours"), `trial wording shown: ${reason}`);
  // The timeline (issue #12; journey 07 watches it in depth): before the activation is locked.
  await page.getByTestId("timeline-bar").waitFor();
  assert((await page.locator('.tl__locked[data-reason="before_ownership"]').count()) >= 1, "time before the ownership is drawn locked");

  // Live view starts in the page by itself (journey 07 checks WebRTC and the HLS fallback).
  await page.locator('[data-testid="live-player"]:is([data-state="webrtc"], [data-state="hls"])').waitFor({ timeout: 30_000 });

  await assertAxeClean(page, "/account/devices/:id");
  await screenshot(page, "device-video");

  // A clip of what was recorded since the activation downloads as an MP4 attachment (the clip
  // form's own defaults need a whole minute of history; journey 07 submits them).
  const apiClipUrl = deviceUrl.replace("/account/devices/", "/api/devices/") + "/clip";
  await page.waitForTimeout(Math.max(0, activatedAt + 15_000 - Date.now()));
  const clipHref = `${apiClipUrl}?start=${new Date(activatedAt + 2000).toISOString()}&end=${new Date().toISOString()}`;
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.evaluate((href) => {
      const a = Object.assign(document.createElement("a"), { href, download: "" });
      document.body.append(a);
      a.click();
      a.remove();
    }, clipHref),
  ]);
  assert(/^aovis-N4K-\d{6}-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.mp4$/.test(download.suggestedFilename()), `clip file name: ${download.suggestedFilename()}`);
  const file = await download.path();
  assert(file, "the clip was saved");

  // The clip form is a plain GET form limited to the window (min/max); a range the server refuses
  // anyway comes back to the page with the reason instead of JSON.
  // In its first minute the history is too short for a whole-minute form, and the page says so.
  if (await page.getByLabel(/^Start/).count())
    assert((await page.getByLabel(/^Start/).getAttribute("min")) !== null, "the start input is bounded by the window");
  else assert(await page.getByText("clips are available after its first minute").isVisible(), "a just-started history explains the missing form");
  const now = Date.now();
  const apiClip = deviceUrl.replace("/account/devices/", "/api/devices/") + "/clip";
  const toInput = (ms) => new Date(ms).toISOString().slice(0, 16);
  await page.goto(`${apiClip}?via=page&start=${toInput(now - 2 * 86400_000)}&end=${toInput(now - 2 * 86400_000 + 3600_000)}`);
  await page.waitForURL(/clip_error=time_range_exceeds_entitlement/);
  await page.getByTestId("clip-error").waitFor();
  assert((await page.getByTestId("clip-error").textContent()).includes("outside the history you can see"), "refused range explained on the page");
  await assertAxeClean(page, "/account/devices/:id (clip refused)");

  // Someone else: the friendly 404, nothing about the camera.
  const other = await browser.newContext({ locale: "en-US" });
  try {
    const otherPage = await other.newPage();
    await signInBrowser(otherPage, baseUrl, uniqueEmail("dave"), "/account");
    const res = await otherPage.goto(deviceUrl);
    assert(res.status() === 404, `someone else's camera page is a 404 (got ${res.status()})`);
    assert(await otherPage.getByRole("heading", { name: /We couldn[’']t find that page/ }).isVisible(), "friendly 404 page");
    assert(!(await otherPage.content()).includes(serial), "the 404 page does not name the camera");
  } finally {
    await other.close();
  }
}
