// Journey 3: activate a demo device (trial active, 30 days), offer it to bob, bob accepts in a
// second browser context and sees "trial already used".
import { assert, assertAxeClean, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

export default async function devicesJourney({ browser, context, baseUrl }) {
  const alice = uniqueEmail("alice");
  const bob = uniqueEmail("bob");
  const page = await context.newPage();
  await signInBrowser(page, baseUrl, alice, "/account/devices");
  await assertAxeClean(page, "/account/devices (empty)");

  // Demo devices are shared by every run against the same local D1: try them in turn until one
  // activates with a fresh trial or is already used (then the journey still checks the transfer).
  let activated = null;
  for (let n = 1; n <= 5 && !activated; n++) {
    const serial = `N4K-00000${n}`;
    await page.getByLabel(/Serial number/).fill(serial);
    await page.getByLabel("Activation code").fill(`DEMO-000${n}`);
    await page.getByRole("button", { name: "Check free trial first" }).click();
    await page.getByTestId("action-result").waitFor();
    const checked = await page.getByTestId("action-result").textContent();
    if (!checked.includes("still available")) continue;
    await page.getByLabel(/Serial number/).fill(serial);
    await page.getByLabel("Activation code").fill(`DEMO-000${n}`);
    await page.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByTestId("action-result").filter({ hasText: "activated" }).waitFor();
    activated = serial;
  }
  assert(activated, "one of the demo devices still had its trial (reset local D1 with: rm -rf .wrangler/state)");
  const card = page.locator(`[data-testid="device"][data-serial="${activated}"]`);
  // One plan and what comes next (issue #14 §3): the trial, its days, then no cloud history.
  const status = await card.getByTestId("plan-outlook").textContent();
  assert(
    /^Free trial — 30 days left, until .+; then no cloud history unless you choose a plan\.$/.test(status),
    `the plan line says trial, 30 days: ${status}`,
  );
  await assertAxeClean(page, "/account/devices (one device)");
  await screenshot(page, "devices-activated");

  // Offer the transfer to bob.
  await card.getByText("Transfer to someone").click();
  await card.getByLabel("New owner's email").fill(bob);
  await card.getByLabel(/Include the SIM card/).check();
  await card.getByRole("button", { name: "Send transfer offer" }).click();
  await page.getByTestId("action-result").filter({ hasText: "Transfer offered" }).waitFor();

  // Bob, in his own browser context.
  const bobContext = await browser.newContext({ locale: "en-US" });
  try {
    const bobPage = await bobContext.newPage();
    await signInBrowser(bobPage, baseUrl, bob, "/account/devices");
    const offer = bobPage.getByTestId("incoming-offer");
    await offer.waitFor();
    await assertAxeClean(bobPage, "/account/devices (incoming offer)");
    await offer.getByRole("button", { name: /Accept/ }).click();
    await bobPage.getByTestId("action-result").filter({ hasText: "now on your account" }).waitFor();
    const bobCard = bobPage.locator(`[data-testid="device"][data-serial="${activated}"]`);
    const bobStatus = await bobCard.getByTestId("device-status").textContent();
    assert(bobStatus.includes("Trial already used"), `bob sees trial already used: ${bobStatus}`);
    await screenshot(bobPage, "devices-bob");
  } finally {
    await bobContext.close();
  }

  // Alice no longer has it.
  await page.goto(`${baseUrl}/account/devices`);
  assert((await page.locator(`[data-testid="device"][data-serial="${activated}"]`).count()) === 0, "alice no longer lists the device");
}
