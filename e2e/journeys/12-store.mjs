// Journey 12 (issue #16 §1, §2, §6): a new customer's view of the store. Every camera has its
// picture (with alt text), a spec table and the plans compared; the demo customer (Standard on
// "Front door", N4K-000099) sees Standard marked as the current plan on /store and /account/services;
// a hardware purchase through the Stripe stand-in is listed on /account/services with its receipt.
// axe-clean and no horizontal overflow at 1280×800 and 390×844.
import { assert, assertAxeClean, assertEqual, screenshot, signInBrowser } from "../lib.mjs";

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
];
const CAMERAS = ["nexa-prime-4k", "nexa-mini-2k"];

/** The page at both sizes: axe-clean, nothing wider than the window, a full-page screenshot each. */
async function checkBothSizes(page, label, shot) {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(100);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert(scrollWidth <= innerWidth, `${label} at ${s.width}px: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
    await assertAxeClean(page, `${label} (${s.width}×${s.height})`);
    await screenshot(page, `12-${shot}-${s.name}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** An <img> that loaded (natural size > 0), is on screen and says what it shows. */
async function assertPicture(img, what) {
  await img.scrollIntoViewIfNeeded();
  assert(await img.isVisible(), `${what}: picture visible`);
  // Cards load their pictures lazily: wait for this one to finish (or fail) once it is on screen.
  const { alt, loaded } = await img.evaluate(
    (el) =>
      new Promise((resolve) => {
        const done = () => resolve({ alt: el.getAttribute("alt") ?? "", loaded: el.complete && el.naturalWidth > 0 });
        if (el.complete && el.naturalWidth > 0) return done();
        el.addEventListener("load", done, { once: true });
        el.addEventListener("error", done, { once: true });
        setTimeout(done, 5000);
      }),
  );
  assert(loaded, `${what}: picture loaded`);
  assert(alt.length > 20, `${what}: picture has alt text (${alt})`);
}

export default async function storeJourney({ context, baseUrl }) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });

  // A visitor: the home page's and the store's camera cards, each with its picture and a call to action.
  await page.goto(`${baseUrl}/`);
  for (const sku of CAMERAS) await assertPicture(page.locator(`[data-sku="${sku}"] img`), `home card ${sku}`);
  await checkBothSizes(page, "/", "home");

  await page.goto(`${baseUrl}/store`);
  for (const sku of CAMERAS) {
    const card = page.locator(`[data-sku="${sku}"]`);
    await assertPicture(card.locator("img"), `store card ${sku}`);
    assert(await card.getByTestId("card-cta").isVisible(), `store card ${sku}: call to action`);
  }
  // Two cameras fill their row: each card is about half of it, never a quarter.
  const [a, b] = await Promise.all(CAMERAS.map((sku) => page.locator(`[data-sku="${sku}"]`).boundingBox()));
  const grid = await page.locator("#section-hardware + p + .product-grid").boundingBox();
  assert(a && b && grid && a.width + b.width > grid.width * 0.9, `two camera cards fill the row (${a?.width} + ${b?.width} of ${grid?.width})`);
  const compare = page.getByTestId("plan-comparison");
  assertEqual(await compare.locator('[data-testid="current-plan"]').count(), 0, "a visitor has no current plan");
  assert((await compare.locator('tr[data-plan="trial"]').textContent()).includes("Free for 30 days"), "the trial row says 30 days free");
  assert((await compare.locator('tr[data-plan="trial"]').textContent()).includes("24 hours"), "the trial row says 24 hours of history");
  assertEqual(await compare.locator('tr[data-plan="standard"] [data-testid="recommended-plan"]').count(), 1, "Standard is recommended");
  await checkBothSizes(page, "/store", "store");

  // Each camera page: picture, spec table, what is in the box, shipping, and the plans.
  for (const sku of CAMERAS) {
    await page.goto(`${baseUrl}/store/${sku}`);
    await assertPicture(page.getByTestId("product-image"), `${sku} page`);
    assert((await page.getByTestId("spec-table").locator("tr").count()) >= 8, `${sku}: spec table rows`);
    assert((await page.getByTestId("in-the-box").locator("li").count()) >= 3, `${sku}: in the box`);
    assert(await page.getByTestId("shipping").isVisible(), `${sku}: shipping and returns`);
    assert(await page.getByTestId("plan-comparison").isVisible(), `${sku}: the plans that go with it`);
    await checkBothSizes(page, `/store/${sku}`, sku);
  }

  // A plan's page: its picture and the comparison it belongs to.
  await page.goto(`${baseUrl}/store/aovis-cloud-storage-standard`);
  await assertPicture(page.getByTestId("product-image"), "Standard page");
  assert(await page.getByTestId("plan-comparison").isVisible(), "Standard page: the plans compared");
  await checkBothSizes(page, "/store/aovis-cloud-storage-standard", "plan-standard");

  // The demo customer, on Standard: the comparison marks it as the current plan.
  await signInBrowser(page, baseUrl, "demo@example.com", "/store");
  await page.getByTestId("plan-comparison").waitFor();
  const current = page.locator('[data-testid="plan-comparison"] tr:has([data-testid="current-plan"])');
  assertEqual(await current.count(), 1, "one current plan row on /store");
  assertEqual(await current.getAttribute("data-plan"), "standard", "the current plan on /store is Standard");
  await checkBothSizes(page, "/store (signed in)", "store-signed-in");

  // A hardware purchase through the Stripe stand-in's hosted checkout.
  await page.goto(`${baseUrl}/store/nexa-mini-2k`);
  await page.getByRole("button", { name: "Buy with secure checkout" }).click();
  await page.waitForURL(/127\.0\.0\.1:8791\/c\/pay\//, { timeout: 20_000 });
  await page.getByLabel("Full name").fill("Demo Customer");
  await page.getByLabel("Address line 1").fill("1 Market St");
  await page.getByLabel("City", { exact: true }).fill("San Francisco");
  await page.getByLabel("Postal code").fill("94105");
  const email = page.getByLabel("Email");
  if (!(await email.inputValue())) await email.fill("demo@example.com");
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForURL(new RegExp(`^${baseUrl}/checkout/success`), { timeout: 20_000 });

  await page.goto(`${baseUrl}/account/services`);
  const servicesCurrent = page.locator('[data-testid="plan-comparison"] tr:has([data-testid="current-plan"])');
  assertEqual(await servicesCurrent.getAttribute("data-plan"), "standard", "the current plan on /account/services is Standard");
  const order = page.locator('[data-testid="order"][data-sku="nexa-mini-2k"]').first();
  await order.waitFor();
  assertEqual((await order.getByTestId("order-status").textContent())?.trim(), "Paid", "order status");
  const receipt = order.getByTestId("receipt-link");
  const href = await receipt.getAttribute("href");
  assert(/^http:\/\/127\.0\.0\.1:8791\/receipts\/payment\/ch_/.test(href ?? ""), `receipt link: ${href}`);
  await checkBothSizes(page, "/account/services (order)", "services-orders");

  // The receipt opens (Stripe's hosted receipt; here the stand-in's page).
  const receiptPage = await context.newPage();
  const res = await receiptPage.goto(href);
  assertEqual(res?.status(), 200, "receipt page status");
  assert((await receiptPage.content()).includes("$59.99"), "receipt shows the amount paid");
  await receiptPage.close();
}
