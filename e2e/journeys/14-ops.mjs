// Journey 14: the staff support view. /ops straight on the app (no Access in front) is refused;
// through the Cloudflare Access stand-in (:8796) a staff member signs in with an @aovis.example
// address, lands on /ops, looks up demo@example.com (customer, camera, plans, audit timeline) and
// the camera N4K-000099. Looked at (and axe-checked) at 1280 and 390 px.
import { assert, assertAxeClean, screenshot } from "../lib.mjs";

const ACCESS_URL = process.env.E2E_ACCESS_URL ?? "http://localhost:8796";

export default async function opsJourney({ context, baseUrl }) {
  const page = await context.newPage();

  // The app itself answers /ops only with an Access assertion: a customer's browser gets 403.
  const direct = await page.goto(`${baseUrl}/ops`);
  assert(direct?.status() === 403, `/ops without Access answers 403 (got ${direct?.status()})`);

  // Through Access: its sign-in first, then back to /ops.
  await page.goto(`${ACCESS_URL}/ops`);
  await page.getByLabel("Staff e-mail").fill("support@aovis.example");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${ACCESS_URL}/ops`);
  await page.getByRole("heading", { name: "Support view", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Dead-letter sweeps" }).waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });
  await assertAxeClean(page, "/ops");
  await screenshot(page, "14-ops-home-1280");

  // A customer by e-mail (client-side navigation: the .data request goes through Access too).
  await page.getByLabel("Customer e-mail or camera serial").fill("demo@example.com");
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByRole("heading", { name: /Customer demo@example\.com/ }).waitFor();
  await page.getByRole("heading", { name: /Camera N4K-000099/ }).waitFor();
  // The demo data is seeded without audit rows, so the timeline may say "No audit events."
  assert((await page.getByRole("heading", { name: "Audit timeline" }).count()) >= 2, "the customer's and the camera's audit timelines are shown");
  await assertAxeClean(page, "/ops/lookup demo@example.com");
  await screenshot(page, "14-ops-customer-1280");
  await page.setViewportSize({ width: 390, height: 844 });
  await assertAxeClean(page, "/ops/lookup demo@example.com (390)");
  await screenshot(page, "14-ops-customer-390");

  // A camera by serial.
  await page.goto(`${ACCESS_URL}/ops/lookup?q=N4K-000099`);
  await page.getByRole("heading", { name: /Camera N4K-000099/ }).waitFor();
  assert((await page.getByRole("heading", { name: /^Customer / }).count()) === 0, "a serial search shows the camera, not a customer card");
  await assertAxeClean(page, "/ops/lookup N4K-000099 (390)");
  await screenshot(page, "14-ops-camera-390");
  await page.setViewportSize({ width: 1280, height: 800 });
  await assertAxeClean(page, "/ops/lookup N4K-000099");
  await screenshot(page, "14-ops-camera-1280");
}
