// Journey 4: an owner buys Standard for a camera on the Stripe stand-in's hosted checkout page,
// comes back to /account/services showing Standard, active, "Renews on <date>", and the camera's
// history window is 7 days.
import { assert, assertAxeClean, assertEqual, screenshot, signInBrowser, submitForResult, uniqueEmail } from "../lib.mjs";

export default async function billingJourney({ context, baseUrl }) {
  const page = await context.newPage();
  await signInBrowser(page, baseUrl, uniqueEmail("buyer"), "/account/devices");

  // A demo device with its trial still available (journey 03 used the first one).
  let serial = null;
  for (let n = 2; n <= 5 && !serial; n++) {
    await page.getByLabel(/Serial number/).fill(`N4K-00000${n}`);
    await page.getByLabel("Activation code").fill(`DEMO-000${n}`);
    if ((await submitForResult(page, page.getByRole("button", { name: "Activate", exact: true }))).includes("activated")) serial = `N4K-00000${n}`;
  }
  assert(serial, "a demo device could be activated");

  await page.goto(`${baseUrl}/account/services`);
  await assertAxeClean(page, "/account/services (trial)");
  await page.getByRole("button", { name: "Choose Standard" }).click();

  // Stripe's hosted checkout (stand-in): pay with the prefilled test card.
  await page.waitForURL(/127\.0\.0\.1:8791\/c\/pay\//, { timeout: 20_000 });
  assert((await page.content()).includes("$4.99"), "checkout shows the Standard price");
  await assertAxeClean(page, "Stripe stand-in checkout");
  await screenshot(page, "stripe-checkout");
  await page.getByRole("button", { name: "Pay" }).click();

  // Back in the app: the success page, then the services page.
  await page.waitForURL(new RegExp(`^${baseUrl}/checkout/success`), { timeout: 20_000 });
  await page.getByRole("heading", { level: 1, name: /Standard is active/ }).waitFor();
  await page.goto(`${baseUrl}/account/services`);
  const row = page.locator("tr", { hasText: serial });
  const plan = (await row.getByTestId("plan-name").textContent()) ?? "";
  const status = (await row.getByTestId("plan-status").textContent()) ?? "";
  const renewal = (await row.getByTestId("plan-renewal").textContent()) ?? "";
  assert(plan.includes("Standard") && plan.includes("7-day history"), `plan cell: ${plan}`);
  assert(/active/i.test(status), `status cell: ${status}`);
  // Bought during the camera's free trial: billing starts when the trial ends (issue #14 §3, ADR 018).
  assert(/^Free until [A-Z][a-z]{2} \d{1,2}, \d{4}; billing starts then$/.test(renewal.trim()), `renewal cell: ${renewal}`);
  await assertAxeClean(page, "/account/services (Standard)");
  await screenshot(page, "services-standard");

  // The camera's history window is now 7 days.
  await page.goto(`${baseUrl}/account/devices`);
  await page.locator(`[data-testid="device"][data-serial="${serial}"] h3 a`).click();
  await page.getByTestId("history-reason").waitFor();
  const reason = (await page.getByTestId("history-reason").textContent()) ?? "";
  assert(reason.includes("7 days"), `history reason mentions 7 days: ${reason}`);
  // One plan and what happens next (issue #14 §3), the same line as on the device list.
  const outlook = ((await page.getByTestId("plan-outlook").textContent()) ?? "").trim();
  assert(/^Standard — free until [A-Z][a-z]{2} \d{1,2}, \d{4}, billing starts then\.$/.test(outlook), `device plan line: ${outlook}`);
  assertEqual(await page.getByTestId("plan-outlook").count(), 1, "exactly one plan line on the device page");
  await assertAxeClean(page, "/account/devices/:id (Standard during the trial)");
  await screenshot(page, "device-standard");
}
