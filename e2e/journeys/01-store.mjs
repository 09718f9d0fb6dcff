// Journey 1: a visitor opens the store and sees every plan and tier with its price.
import { assert, assertAxeClean, assertEqual, screenshot } from "../lib.mjs";

const EXPECTED = {
  "aovis-cloud-local": "$0",
  "aovis-cloud-storage-starter": "$1.99/mo",
  "aovis-cloud-storage-standard": "$4.99/mo",
  "aovis-cloud-storage-premium": "$9.99/mo",
  "aovis-voice-free": "$0",
  "aovis-voice-basic": "$9.99/mo",
  "aovis-voice-premium": "$29.99/mo",
  "nexa-prime-4k": "$149.99",
  "aovis-sim-data-5gb": "$9.99",
};

export default async function storeJourney({ context, baseUrl }) {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.getByRole("link", { name: "Store", exact: true }).click();
  await page.waitForURL(`${baseUrl}/store`);
  await page.getByRole("heading", { level: 1, name: "Store" }).waitFor();
  assertEqual(await page.getByRole("heading", { level: 1 }).textContent(), "Store", "store heading");
  for (const [sku, price] of Object.entries(EXPECTED)) {
    const card = page.locator(`[data-sku="${sku}"]`);
    assertEqual(await card.count(), 1, `card for ${sku}`);
    assertEqual((await card.getByTestId("price").textContent())?.trim(), price, `price of ${sku}`);
  }
  await assertAxeClean(page, "/store");
  await screenshot(page, "store");

  // A product page, and the friendly 404 for a made-up one.
  await page.getByRole("link", { name: "Standard", exact: true }).click();
  await page.waitForURL(`${baseUrl}/store/aovis-cloud-storage-standard`);
  await page.getByRole("heading", { level: 1, name: "Standard" }).waitFor();
  assertEqual((await page.getByTestId("price").textContent())?.trim(), "$4.99/mo", "detail price");
  await assertAxeClean(page, "/store/aovis-cloud-storage-standard");
  const res = await page.goto(`${baseUrl}/store/does-not-exist`);
  assertEqual(res?.status(), 404, "unknown sku status");
  assert(await page.getByRole("heading", { name: /find that page/ }).isVisible(), "404 page heading");
  await screenshot(page, "not-found");
}
