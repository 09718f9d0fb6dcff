// Journey 2: sign in through Auth0 (stand-in) and back to /account; sign out; /account → /login.
import { assert, assertAxeClean, screenshot, signInBrowser, uniqueEmail } from "../lib.mjs";

export default async function signInJourney({ context, baseUrl }) {
  const page = await context.newPage();
  const email = uniqueEmail("alice");
  await page.goto(`${baseUrl}/account`);
  await page.waitForURL(/\/login\?returnTo=%2Faccount/);
  await assertAxeClean(page, "/login");
  await screenshot(page, "login");

  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL(/localhost:8790\/authorize/);
  await assertAxeClean(page, "Auth0 stand-in login");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${baseUrl}/account`, { timeout: 20_000 });
  assert((await page.getByTestId("account-email").textContent()) === email, "account shows the email");
  assert((await page.getByTestId("header-email").textContent()) === email, "header shows the email");
  const cookies = await context.cookies(baseUrl);
  const session = cookies.find((c) => c.name === "__Host-aovis_session");
  assert(session && session.httpOnly && session.secure && session.sameSite === "Lax", "session cookie is HttpOnly, Secure, SameSite=Lax");
  await assertAxeClean(page, "/account");
  await screenshot(page, "account");

  await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
  await page.waitForURL(`${baseUrl}/`);
  await page.goto(`${baseUrl}/account`);
  await page.waitForURL(/\/login/);
  assert(await page.getByRole("heading", { name: "Sign in" }).isVisible(), "back on the sign-in page after sign-out");

  // Signing in again (with the Auth0 stand-in's SSO cookie cleared by logout) works.
  await signInBrowser(page, baseUrl, email);
}
