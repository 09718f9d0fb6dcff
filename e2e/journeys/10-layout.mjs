// Journey 10: layout. Someone with a long (40-character) e-mail address signs in, activates a
// camera and visits every page of the app at 1280×800, 390×844 and 320×640: no page scrolls
// sideways (scrollWidth ≤ innerWidth), axe finds nothing serious or critical, and every page is
// screenshotted (e2e/artifacts/10-*.png) to be looked at. The header is one row on a phone, its
// menu a <details> disclosure, and the e-mail is truncated on screen but whole in its title.
import { activateProvisionedCamera, assert, ROOT, screenshot, signInBrowser } from "../lib.mjs";
import fs from "node:fs";
import path from "node:path";

const axeSource = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

const SIZES = [
  { name: "1280", width: 1280, height: 800 },
  { name: "390", width: 390, height: 844 },
  { name: "320", width: 320, height: 640 },
];

/** A 40-character @example.com address, unique per run. */
function longEmail() {
  const tag = Math.random().toString(36).slice(2, 7).padEnd(5, "0");
  const email = `christopher.montgomery.${tag}@example.com`;
  assert(email.length === 40, `the address has 40 characters (${email.length})`);
  return email;
}

async function axeSerious(page, label) {
  await page.evaluate(axeSource);
  const bad = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(" ")})`);
  });
  assert(bad.length === 0, `axe serious/critical on ${label}:\n  ${bad.join("\n  ")}`);
}

async function noOverflow(page, label) {
  const m = await page.evaluate(() => {
    const vw = window.innerWidth;
    // The widest offenders, to say what to fix.
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > vw + 1 && getComputedStyle(el).position !== "fixed")
      .filter((el) => !el.closest(".visually-hidden, .skip-link"))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} → ${Math.round(el.getBoundingClientRect().right)}`);
    return { scroll: document.documentElement.scrollWidth, inner: vw, wide };
  });
  assert(m.scroll <= m.inner, `${label} overflows: scrollWidth ${m.scroll} > innerWidth ${m.inner} (${m.wide.join("; ")})`);
}

export default async function layoutJourney({ context, baseUrl }) {
  const page = await context.newPage();
  const email = longEmail();
  await signInBrowser(page, baseUrl, email, "/account/devices");
  // Its own camera: the demo cameras are taken by the journeys before it.
  await activateProvisionedCamera(page, `N4K-${String((Date.now() % 900000) + 100000)}`);
  const deviceHref = await page.getByTestId("device").first().getByRole("link").first().getAttribute("href");
  await page.goto(`${baseUrl}/store`);
  const productHref = await page.locator('a[href^="/store/"]').first().getAttribute("href");
  assert(deviceHref && productHref, "a device page and a product page to visit");

  const pages = [
    ["home", "/"],
    ["store", "/store"],
    ["product", productHref],
    ["login", "/login"],
    ["account", "/account"],
    ["devices", "/account/devices"],
    ["device", deviceHref],
    ["services", "/account/services"],
    ["search", "/account/search"],
    ["voice", "/voice"],
    ["not-found", "/no-such-page"],
  ];

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const [name, href] of pages) {
      const label = `${name} at ${size.name}`;
      await page.goto(`${baseUrl}${href}`);
      await page.waitForLoadState("networkidle").catch(() => {});
      await noOverflow(page, label);
      await axeSerious(page, label);
      await screenshot(page, `10-${name}-${size.name}`);
    }
    // The e-mail is in the header, whole in its title, wherever it's shown.
    await page.goto(`${baseUrl}/account`);
    const shown = page.getByTestId(size.width < 720 ? "menu-email" : "header-email");
    assert((await shown.getAttribute("title")) === email, `the header keeps the full address at ${size.name}`);
    if (size.width < 720) {
      // The phone header: one row; the menu opens without JavaScript (<details>) and holds Sign out.
      const header = await page.locator(".site-header").boundingBox();
      assert(header && header.height < 80, `the header is one row at ${size.name} (${header?.height} px)`);
      await page.locator(".nav-menu > summary").click();
      const signOut = page.locator(".nav-menu").getByRole("button", { name: "Sign out" });
      const box = await signOut.boundingBox();
      assert(box && box.x + box.width <= size.width, `Sign out is on screen at ${size.name}`);
      await noOverflow(page, `the open menu at ${size.name}`);
      await axeSerious(page, `the open menu at ${size.name}`);
      await screenshot(page, `10-menu-open-${size.name}`);
    } else {
      const box = await page.locator(".site-header").getByRole("button", { name: "Sign out" }).boundingBox();
      assert(box && box.x + box.width <= size.width, `Sign out is on screen at ${size.name}`);
      await screenshot(page, `10-header-${size.name}`);
    }
  }
}
