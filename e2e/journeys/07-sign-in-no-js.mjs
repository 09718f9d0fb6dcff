// Journey 7: JavaScript off (issue #14 §4). /login's sign-in is a plain form to /api/auth/login,
// Auth0's page is a plain form, the callback is a redirect: a customer reaches /account, the
// account page works, and signing out works, without one script running.
import { assert, assertAxeClean, screenshot, uniqueEmail } from "../lib.mjs";

export default async function signInWithoutJavaScript({ browser, baseUrl }) {
  const context = await browser.newContext({ locale: "en-US", javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const email = uniqueEmail("nojs");
    let callbackUrl = null;
    page.on("request", (r) => {
      if (r.url().startsWith(`${baseUrl}/api/auth/callback?`)) callbackUrl = r.url();
    });
    await page.goto(`${baseUrl}/account/devices`);
    await page.waitForURL(/\/login\?returnTo=%2Faccount%2Fdevices/);
    assert(!(await page.getByText("needs JavaScript").count()), "no 'needs JavaScript' notice");
    await screenshot(page, "login-no-js");

    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await page.waitForURL(/localhost:8790\/authorize/);
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${baseUrl}/account/devices`, { timeout: 20_000 });
    const cookies = await context.cookies(baseUrl);
    assert(
      cookies.some((c) => c.name === "__Host-aovis_session" && c.httpOnly),
      "signed in: a session cookie",
    );

    await page.goto(`${baseUrl}/account`);
    assert((await page.getByTestId("account-email").textContent()) === email, "account shows the email");
    await screenshot(page, "account-no-js");

    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/account`);
    await page.waitForURL(/\/login/);

    // Replaying the callback URL (the back button, a shared link) never signs in again.
    assert(callbackUrl, "the sign-in came back through /api/auth/callback");
    const replay = await page.goto(callbackUrl);
    assert(replay.status() === 400, `replayed callback answers 400, got ${replay.status()}`);
    assert((await page.getByTestId("sign-in-error").textContent()) === "sign_in_state_invalid", "replay refused with its code");
    assert(!(await context.cookies(baseUrl)).some((c) => c.name === "__Host-aovis_session" && c.value), "no session after the replay");
  } finally {
    await context.close();
  }
  // The /login page as it is without JavaScript is also the page with it: axe-clean.
  const check = await browser.newContext({ locale: "en-US" });
  try {
    const page = await check.newPage();
    await page.goto(`${baseUrl}/login?returnTo=%2Faccount`);
    await assertAxeClean(page, "/login");
  } finally {
    await check.close();
  }
}
