// Journey 7: watching (issue #12). A trial camera owned for two days: the timeline of the last
// 24 hours shows its recorded spans, a gap and thumbnails; a moment before the window says why it
// is locked; choosing a recording plays it in the page (currentTime advances); live view plays
// over WebRTC, and over HLS when the stand-in's camera peer stops answering; the clip form's
// default submit downloads an MP4; without JavaScript live view only says it needs JavaScript (no
// credentials). axe-clean in every state, on a desktop and a 390 px wide phone.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT, activateFreeDemoCamera, assert, assertAxeClean, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

const AWS_URL = process.env.E2E_AWS_URL ?? "http://127.0.0.1:8792";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

async function standin(pathname, body) {
  const res = await fetch(`${AWS_URL}/__standin/${pathname}`, { method: "POST", body: JSON.stringify(body) });
  assert(res.ok, `stand-in ${pathname}: ${res.status} ${await res.text()}`);
}

/** SQL on the local D1 the server under test uses (the e2e run's own state, or AOVIS_PERSIST_DIR's). */
function localSql(sql) {
  const persist = process.env.E2E_BASE_URL ? process.env.AOVIS_PERSIST_DIR : path.join(ROOT, ".wrangler", "e2e-state");
  execFileSync("npx", ["wrangler", "d1", "execute", "DB", "--local", ...(persist ? ["--persist-to", persist] : []), "--command", sql], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
}

/** Resolves once `video`'s currentTime has advanced by `seconds` (playing, not just loaded). */
async function advances(page, selector, seconds, timeout = 30_000) {
  const start = await page.$eval(selector, (v) => v.currentTime);
  await page.waitForFunction(([sel, from, by]) => document.querySelector(sel).currentTime >= from + by, [selector, start, seconds], { timeout });
}

export default async function watchJourney({ browser, baseUrl }) {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const email = uniqueEmail("wendy");
  await signInBrowser(page, baseUrl, email, "/account/devices");
  const { serial, stream, channel } = await activateFreeDemoCamera(page);

  // Owned for two days: the trial's 24 hours are all this owner's; before them is locked. A gap
  // two hours ago (on top of the demo camera's own offline schedule) so the timeline has one for sure.
  localSql(
    `UPDATE device_ownerships SET started_at = started_at - ${2 * DAY} WHERE status = 'active' AND device_id = (SELECT id FROM devices WHERE serial = '${serial}')`,
  );
  const now = Date.now();
  await standin("gaps", { stream, start: (now - 2 * HOUR) / 1000, end: (now - 1.5 * HOUR) / 1000 });

  await page.locator(`[data-testid="device"][data-serial="${serial}"]`).getByRole("link", { name: "NEXA Prime 4K" }).click();
  await page.waitForURL(/\/account\/devices\/[0-9a-f-]{36}$/);
  const deviceUrl = page.url();

  // Name the camera: shown beside the model.
  await page.getByText("Name this camera").click();
  await page.getByLabel(/Camera name/).fill("Front door");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByTestId("rename-result").filter({ hasText: "Front door" }).waitFor();
  await page.getByTestId("camera-title").filter({ hasText: "Front door" }).waitFor({ timeout: 10_000 });

  // The viewer's zone, from the browser, named on the page.
  await page.getByTestId("time-zone").filter({ hasText: "America/New_York" }).waitFor({ timeout: 10_000 });

  // Today's timeline (from local midnight): recorded spans with a gap between, and thumbnails.
  // Then yesterday's, which holds the start of the window: before it is locked, with the reason.
  const spans = page.getByTestId("timeline-span");
  const days = page.getByRole("navigation", { name: "Days" }).getByRole("link");
  const dayCount = await days.count();
  assert(dayCount >= 2, `today and yesterday are offered (${dayCount})`);
  await page.getByText(/^Recordings \(\d+\)/).waitFor({ timeout: 30_000 });
  let spanCount = await spans.count();
  let recordedDay = 0;
  // Just after local midnight today holds little: the last 24 hours then mostly lie in yesterday.
  if (spanCount < 2) {
    recordedDay = 1;
    await days.nth(1).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-span"]').length >= 2, null, { timeout: 30_000 });
    spanCount = await spans.count();
  }
  assert(spanCount >= 2, `recorded spans with a gap between them (${spanCount})`);
  const thumb = page.getByTestId("timeline-thumbnail").first();
  await thumb.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="timeline-thumbnail"]')].some((i) => i.complete && i.naturalWidth > 0), null, {
    timeout: 20_000,
  });
  await assertAxeClean(page, "device page: timeline");
  await screenshot(page, "watch-timeline");

  await days.nth(dayCount - 1).click();
  // That day's page, not the one still shown while it loads (its arrival resets the cursor).
  await page
    .getByRole("navigation", { name: "Days" })
    .locator('a[aria-current="date"]')
    .filter({ hasText: (await days.nth(dayCount - 1).textContent()) ?? "" })
    .waitFor();
  await page.getByText(/^Recordings \(\d+\)/).waitFor({ timeout: 30_000 });
  // The oldest day's first moment (Home on the bar, then Enter) is before the window: a click a few
  // pixels in landed inside it just after local midnight, when the locked stretch is minutes long.
  const bar = page.getByTestId("timeline-bar");
  await bar.focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("Enter");
  const locked = await page.getByTestId("timeline-message").textContent();
  assert(/Locked: your free trial keeps 24 hours/.test(locked), `a moment before the window says why: ${locked}`);
  assert(!(await page.getByTestId("playback").count()), "a locked moment plays nothing");
  await assertAxeClean(page, "device page: locked moment");

  // Choosing a recording plays it in the page.
  await days.nth(recordedDay).click();
  await page.waitForFunction(() => document.querySelectorAll(".tl__spans button").length >= 2, null, { timeout: 30_000 });
  await page.locator(".tl__spans button").last().click();
  await page.getByTestId("playback").waitFor();
  await page.locator('[data-testid="playback"][data-state="playing"]').waitFor({ timeout: 30_000 });
  await advances(page, '[data-testid="playback"] video', 2);
  await assertAxeClean(page, "device page: playing a recording");
  // Keyboard: Space pauses the focused player.
  await page.locator(".player--history").focus();
  await page.keyboard.press(" ");
  await page.locator('[data-testid="playback"][data-state="paused"]').waitFor({ timeout: 5_000 });
  await screenshot(page, "watch-playback");

  // Live view: WebRTC through the stand-in's camera peer.
  await page.locator('[data-testid="live-player"][data-state="webrtc"]').waitFor({ timeout: 30_000 });
  await advances(page, '[data-testid="live-player"] video', 2);
  assert((await page.getByTestId("live-status").textContent()).includes("Live"), "the live state is said in words");
  await assertAxeClean(page, "device page: live over WebRTC");

  // The camera peer stops answering: live view falls back to HLS.
  await standin("webrtc", { disabled: true, channel });
  try {
    await page.reload();
    await page.locator('[data-testid="live-player"][data-state="hls"]').waitFor({ timeout: 45_000 });
    await advances(page, '[data-testid="live-player"] video', 2);
    await assertAxeClean(page, "device page: live over HLS");
  } finally {
    await standin("webrtc", { disabled: false, channel });
  }

  // The clip form's defaults are valid whenever the page loaded: its plain submit downloads an MP4.
  const clipResponse = page.waitForResponse((r) => r.url().includes("/clip?") && r.status() === 200, { timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("clip-form").getByRole("button", { name: "Download clip" }).click()]);
  assert((await clipResponse).headers()["content-type"] === "video/mp4", "the clip is video/mp4");
  assert(download.suggestedFilename().endsWith(".mp4"), `clip file name: ${download.suggestedFilename()}`);
  await context.close();

  // A phone, 390 px wide: the same page, axe-clean, nothing wider than the screen.
  let signedIn;
  const phone = await browser.newContext({
    locale: "en-US",
    timezoneId: "America/New_York",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const p = await phone.newPage();
    await signInBrowser(p, baseUrl, email, "/account");
    await p.goto(deviceUrl);
    await p.getByText(/^Recordings \(\d+\)/).waitFor({ timeout: 30_000 });
    await p.locator('[data-testid="live-player"][data-state="webrtc"]').waitFor({ timeout: 30_000 });
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390)
      console.log(
        await p.evaluate(() =>
          [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().width > 392 && ![...e.children].some((c) => c.getBoundingClientRect().width > 392))
            .slice(0, 8)
            .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().width)} ${e.textContent.slice(0, 40)}`)
            .join("\n"),
        ),
      );
    assert(width <= 390, `no sideways scrolling on a phone (page is ${width} px wide)`);
    await assertAxeClean(p, "device page on a phone");
    await screenshot(p, "watch-phone");
    signedIn = await phone.cookies();
  } finally {
    await phone.close();
  }

  // Without JavaScript: live view says it needs JavaScript and prints no settings or credentials;
  // the clip form still downloads.
  const noJs = await browser.newContext({ locale: "en-US", javaScriptEnabled: false });
  try {
    await noJs.addCookies(signedIn);
    const p = await noJs.newPage();
    await p.goto(deviceUrl);
    const html = await p.content();
    assert(html.includes("Live view needs JavaScript"), "live view says it needs JavaScript");
    for (const secret of ["credential", "turn:", "X-Amz-Signature", "signedViewerUrl", "iceServers"])
      assert(!html.includes(secret), `no ${secret} in the page without JavaScript`);
    // (axe needs JavaScript in the page: the same markup is checked above with it on.)
    const [download2] = await Promise.all([p.waitForEvent("download"), p.getByTestId("clip-form").getByRole("button", { name: "Download clip" }).click()]);
    assert(download2.suggestedFilename().endsWith(".mp4"), "the clip form downloads without JavaScript");
  } finally {
    await noJs.close();
  }
}
