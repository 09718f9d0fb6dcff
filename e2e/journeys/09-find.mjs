// Journey 9: find. A trial camera's owner sees the Smart search upgrade prompt; after buying
// Standard, the simulator publishes detections through IoT Core and the rule, and within seconds
// "package" finds them on /account/search, newest first, with picture and description; the first
// result opens the device page at that moment, where today's brief names the parcels.
import { spawn } from "node:child_process";
import path from "node:path";
import { assert, assertAxeClean, ROOT, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

function simulate(thing) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "scripts/simulate-devices.mjs"), "--device", thing, "--events", "3", "--live", "--interval", "1", "--types", "package", "--no-wait"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`devices:simulate exited ${code}:\n${out}`))));
  });
}

export default async function findJourney({ context, baseUrl }) {
  const page = await context.newPage();
  await signInBrowser(page, baseUrl, uniqueEmail("dana"), "/account/devices");

  // A demo camera nobody holds (the earlier journeys took some).
  let n = 0;
  for (const candidate of [3, 4, 5, 2, 1]) {
    await page.getByLabel(/Serial number/).fill(`N4K-00000${candidate}`);
    await page.getByLabel("Activation code").fill(`DEMO-000${candidate}`);
    // Wait for this attempt's answer: the previous attempt's result stays on the page until then.
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/account/devices")),
      page.getByRole("button", { name: "Activate", exact: true }).click(),
    ]);
    await answer.finished();
    await page.waitForLoadState("networkidle");
    const result = page.getByTestId("action-result");
    await result.waitFor();
    if (((await result.textContent()) ?? "").includes(" activated. ")) {
      n = candidate;
      break;
    }
  }
  assert(n, "a demo camera could be activated");

  // On the trial: no Smart search, and the page says what would give it.
  await page.goto(`${baseUrl}/account/search`);
  await page.getByTestId("search-upgrade").waitFor();
  await assertAxeClean(page, "/account/search (trial)");

  // Standard through the Stripe stand-in's checkout.
  await page.goto(`${baseUrl}/account/services`);
  await page.getByRole("button", { name: "Choose Standard" }).first().click();
  await page.waitForURL(/127\.0\.0\.1:8791\/c\/pay\//, { timeout: 20_000 });
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForURL(new RegExp(`^${baseUrl}/checkout/success`), { timeout: 20_000 });

  // The camera reports through IoT Core → rule → /api/iot/events.
  const published = await simulate(`aovis-n4k-00000${n}`);
  assert((published.match(/ 202$/gm) ?? []).length === 3, `the app recorded all 3 messages:\n${published}`);

  // The search form, typed and submitted like a person would; descriptions follow within seconds.
  await page.goto(`${baseUrl}/account/search`);
  const deadline = Date.now() + 30_000;
  let described = 0;
  let total = 0;
  while (Date.now() < deadline) {
    await page.getByLabel("What are you looking for?").fill("package");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("search-results").waitFor();
    total = await page.getByTestId("search-result").count();
    described = await page.locator('[data-testid="search-result"] .search-desc', { hasText: /parcel/i }).count();
    if (total > 0 && described === total) break;
    await page.waitForTimeout(1000);
  }
  assert(total > 0 && described === total, `package results with descriptions (${described}/${total})`);
  const times = await page.locator('[data-testid="search-result"] time').evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  assert(
    times.every((t, i) => i === 0 || t <= times[i - 1]),
    `newest first: ${times.join(", ")}`,
  );
  assert((await page.locator('[data-testid="search-result"] img').count()) > 0, "results show their snapshot");
  await assertAxeClean(page, "/account/search (results)");
  await screenshot(page, "search-results");

  // The first result opens the camera's page at that moment.
  await page.getByTestId("search-play").first().click();
  await page.waitForURL(/\/account\/devices\/[0-9a-f-]{36}\?at=/);
  const at = new URL(page.url()).searchParams.get("at");
  assert(at === times[0], `the player link is the first result's moment (${at} vs ${times[0]})`);
  const brief = (await page.getByTestId("camera-brief").textContent()) ?? "";
  assert(/parcel/i.test(brief), `today's brief names the parcels: ${brief}`);
  await assertAxeClean(page, "/account/devices/:id (today)");
  await screenshot(page, "device-today");
}
