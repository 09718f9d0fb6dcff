// Journey 13: download my data from /account, then delete the account with the confirmation (ADR 026).
import fs from "node:fs";
import { assert, assertAxeClean, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

export default async function privacyJourney({ context, baseUrl }) {
  const page = await context.newPage();
  const email = uniqueEmail("privacy");
  await signInBrowser(page, baseUrl, email);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data" }).click()]);
  const data = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert(data.profile?.email === email, "the export is this account's");

  for (const [w, h, tag] of [
    [1280, 800, "desktop"],
    [390, 844, "mobile"],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(`${baseUrl}/account/delete`);
    await assertAxeClean(page, `/account/delete ${tag}`);
    await screenshot(page, `13-delete-${tag}`);
  }

  await page.getByLabel(/Type your e-mail address/).fill("not-me@example.com");
  await page.getByLabel(/cannot be undone/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.locator('[data-error="confirmation_mismatch"]').waitFor();
  await assertAxeClean(page, "/account/delete refused");
  await screenshot(page, "13-delete-refused");

  await page.getByLabel(/Type your e-mail address/).fill(email);
  await page.getByLabel(/cannot be undone/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.waitForURL(`${baseUrl}/account-deleted`);
  await assertAxeClean(page, "/account-deleted");
  await screenshot(page, "13-deleted");
  await page.goto(`${baseUrl}/account`);
  await page.waitForURL(/\/login/);
}
