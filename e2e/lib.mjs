// Shared helpers for the browser journeys: headless Debian Chromium driven by playwright-core.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ARTIFACTS = path.join(ROOT, "e2e", "artifacts");
export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:8787";
export const AUTH0_URL = process.env.E2E_AUTH0_URL ?? "http://localhost:8790";
export const STRIPE_URL = process.env.E2E_STRIPE_URL ?? "http://127.0.0.1:8791";

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** Runs axe-core (WCAG 2 A/AA rules) on the current page; throws listing any violation. */
export async function assertAxeClean(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return r.violations.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")})`,
    );
  });
  if (violations.length) throw new Error(`axe violations on ${label}:\n  ${violations.join("\n  ")}`);
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** Signs in through the real browser flow: /login → /api/auth/login → stand-in login page → /api/auth/callback. */
export async function signInBrowser(page, baseUrl, email, returnTo = "/account") {
  await page.goto(`${baseUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${baseUrl}${returnTo}`, { timeout: 20_000 });
}

/** A unique address per run, so journeys never depend on what an earlier run left in local D1. */
export function uniqueEmail(name) {
  return `${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;
}

/**
 * On /account/devices: activates the first demo camera (tried in `order`) whose free trial is still
 * available — the journeys share them. The serial, its KVS stream and when it was activated.
 */
/**
 * Clicks `button` of a devices-page form and returns the notice of THIS submit: the previous
 * answer's notice stays on the page until the submit starts, so it is first seen to go.
 */
export async function submitForResult(page, button) {
  const old = await page.$('[data-testid="action-result"]');
  await button.click();
  if (old) await old.waitForElementState("hidden", { timeout: 15_000 }).catch(() => {});
  const result = page.getByTestId("action-result");
  await result.waitFor();
  return (await result.textContent()) ?? "";
}

export async function activateFreeDemoCamera(page, order = [1, 2, 3, 4, 5]) {
  for (const n of order) {
    const serial = `N4K-00000${n}`;
    await page.getByLabel(/Serial number/).fill(serial);
    await page.getByLabel("Activation code").fill(`DEMO-000${n}`);
    if (!(await submitForResult(page, page.getByRole("button", { name: "Check free trial first" }))).includes("still available")) continue;
    await page.getByLabel(/Serial number/).fill(serial);
    await page.getByLabel("Activation code").fill(`DEMO-000${n}`);
    const activatedAt = Date.now();
    const answer = await submitForResult(page, page.getByRole("button", { name: "Activate", exact: true }));
    if (!answer.includes("activated")) throw new Error(`${serial}: ${answer}`);
    return { serial, stream: `aovis-stream-aovis-n4k-00000${n}`, channel: `aovis-webrtc-aovis-n4k-00000${n}`, activatedAt };
  }
  throw new Error("no demo camera had its free trial left (reset local D1 with: rm -rf .wrangler/state)");
}

/**
 * A camera of its own for a journey that only needs one on the account (the five demo cameras are
 * taken by the journeys before it): provisioned like a real one (npm run devices:provision, the AWS
 * stand-in, the e2e D1), then activated on the page. Re-running for the same serial reuses nothing:
 * each run starts on a fresh e2e state.
 */
export async function activateProvisionedCamera(page, serial) {
  const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/provision-device.mjs"), "--serial", serial, "--model", "NEXA Prime 4K"], {
    cwd: ROOT,
    env: { ...process.env, AOVIS_PERSIST_DIR: process.env.AOVIS_PERSIST_DIR ?? path.join(ROOT, ".wrangler", "e2e-state"), WRANGLER_SEND_METRICS: "false" },
    encoding: "utf8",
  });
  const code = /Activation code: (\S+)/.exec(out)?.[1];
  if (!code) throw new Error(`devices:provision printed no code:\n${out}`);
  await page.getByLabel(/Serial number/).fill(serial);
  await page.getByLabel("Activation code").fill(code);
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await page.getByTestId("action-result").filter({ hasText: "activated" }).waitFor();
  return { serial };
}
