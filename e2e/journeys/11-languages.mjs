// Journey 11 (issue #16 §7): the store and account in Simplified Chinese. A visitor whose browser
// asks for zh-CN gets /, /store and a camera page in Chinese, with <html lang="zh-CN">; the demo
// customer, signed in, picks 简体中文 with the footer's switcher (a plain form) and gets
// /account/devices, /account/services and /voice in Chinese; a German visitor gets English with
// lang="en" (we don't write German: WCAG 3.1.1 asks lang to name what is served).
// "No English UI string": every visible text and every accessible name/alt/placeholder, less what is
// a name (products, plans, people's camera and voice names, e-mail addresses, serials, codes) or is
// marked translate="no" / written in another lang on purpose (the switcher's "English").
// axe-clean and no horizontal overflow at 1280×800 and 390×844; a screenshot of each.
import { AUTH0_URL, assert, assertAxeClean, assertEqual, screenshot } from "../lib.mjs";

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
];

// Names, not words: they stay as they are in every language.
const NAMES = [
  /AOVIS SIM Data \d+ GB/g, // product names, longest first
  /Voice (?:Free|Basic|Premium)/g, // voice studio tiers
  /Nano SIM/g, // the card's size, as printed on it
  /AOVIS Edge/g,
  /AOVIS/g,
  /NEXA(?: [A-Z][\w-]*)*(?: \d?K)?/g, // NEXA Prime 4K, NEXA Mini 2K, NEXA SIM …
  /\b(?:Daily Backup|Standard|Premium|Basic|Free|Starter|Pro|Plus|Max|Lite)\b/g, // plan and tier names
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // e-mail addresses
  /\b[A-Z0-9]{2,}(?:-[A-Z0-9]+)+\b/g, // serials, codes, SKUs (N4K-000099, DEMO-0001)
  /\b(?:USD|US\$|SIM|AI|HLS|MP4|WebRTC|LTE|4G|5G|Wi-?Fi|PoE|IP\d\d|H\.26[45]|HDR|USB-C|microSD|Stripe|Auth0|ElevenLabs|Intl|AWS|KVS|GB|TB|MB|KB|GHz|MHz|Hz|mAh|Wh|fps|px|mm|cm|dB|lux|V|W|°C|°F|am|pm)\b/gi,
];

/** Visible strings a person reads (text, alt, aria-label, placeholder, title, value of buttons). */
async function readableStrings(page) {
  return page.evaluate(() => {
    const out = [];
    const skip = (el) =>
      el.closest('[translate="no"], [lang]:not([lang="zh-CN"]), script, style, noscript, code, kbd, samp, template, [hidden], [aria-hidden="true"]');
    const shown = (el) => {
      const s = getComputedStyle(el);
      return s.display !== "none" && s.visibility !== "hidden" && el.getClientRects().length > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || skip(el) || !shown(el)) continue;
      out.push(text);
    }
    for (const el of document.body.querySelectorAll("[alt], [aria-label], [placeholder], [title], input[type=submit], input[type=button]")) {
      if (skip(el)) continue;
      for (const a of ["alt", "aria-label", "placeholder", "title"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
      if (el.matches("input[type=submit], input[type=button]") && el.value) out.push(el.value);
    }
    out.push(document.title);
    return out;
  });
}

function englishIn(strings, names) {
  const found = new Set();
  for (const s of strings) {
    let rest = s;
    for (const re of [...names.map((n) => new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g")), ...NAMES]) rest = rest.replace(re, " ");
    // An English word: three letters or more (one- and two-letter tokens are units and marks).
    if (/[A-Za-z]{3,}/.test(rest)) found.add(s.length > 80 ? s.slice(0, 80) + "…" : s);
  }
  return [...found];
}

async function checkChinesePage(page, label, shot, names = []) {
  assertEqual(await page.evaluate(() => document.documentElement.lang), "zh-CN", `${label}: <html lang>`);
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(150);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert(scrollWidth <= innerWidth, `${label} at ${s.width}px: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
    await assertAxeClean(page, `${label} zh-CN (${s.width}×${s.height})`);
    await screenshot(page, `11-${shot}-${s.name}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  const english = englishIn(await readableStrings(page), names);
  assertEqual(english, [], `${label} in zh-CN: English strings on the page`);
}

export default async function languagesJourney({ browser, baseUrl }) {
  // A visitor whose browser asks for Chinese (Accept-Language: zh-CN).
  const zh = await browser.newContext({ locale: "zh-CN" });
  try {
    const page = await zh.newPage();
    await page.goto(`${baseUrl}/`);
    await checkChinesePage(page, "/", "home");
    await page.goto(`${baseUrl}/store`);
    await checkChinesePage(page, "/store", "store");
    await page.goto(`${baseUrl}/store/nexa-prime-4k`);
    await checkChinesePage(page, "/store/nexa-prime-4k", "product");
  } finally {
    await zh.close();
  }

  // A German visitor: English, and the page says so.
  const de = await browser.newContext({ locale: "de-DE" });
  try {
    const page = await de.newPage();
    await page.goto(`${baseUrl}/store`);
    assertEqual(await page.evaluate(() => document.documentElement.lang), "en", "de-DE visitor: <html lang>");
    assert((await page.locator("h1").first().textContent()).match(/[A-Za-z]{3,}/), "de-DE visitor reads English");
  } finally {
    await de.close();
  }

  // The demo customer, with an English browser, chooses 简体中文 in the footer: the choice is kept.
  const en = await browser.newContext({ locale: "en-US" });
  try {
    const page = await en.newPage();
    await page.goto(`${baseUrl}/login?returnTo=${encodeURIComponent("/account/devices")}`);
    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await page.waitForURL((u) => u.href.startsWith(AUTH0_URL));
    await page.getByLabel("Email address").fill("demo@example.com");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${baseUrl}/account/devices`, { timeout: 20_000 });
    assertEqual(await page.evaluate(() => document.documentElement.lang), "en", "English browser: <html lang> before switching");

    await page.getByTestId("language-switcher").getByRole("button", { name: "简体中文" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    assertEqual(new URL(page.url()).pathname, "/account/devices", "the switcher returns to the page");
    // People's own names for their cameras, and the voices' names, stay as they were written: the
    // account's own API says what they are.
    const names = await page.evaluate(async () => {
      const devices = (await (await fetch("/api/devices")).json()).devices ?? [];
      const voices = await (await fetch("/api/voices")).json();
      const voiceList = Array.isArray(voices) ? voices : (voices.voices ?? []);
      return [...devices.map((d) => d.name), ...voiceList.map((v) => v.name)].filter(Boolean);
    });
    await checkChinesePage(page, "/account/devices", "devices", names);

    // Client-side navigations (Remix links) into pages of other catalogue areas: the root sends
    // their messages along (ADR 034), so nothing shows a bare key or English.
    await page.getByRole("navigation").getByRole("link", { name: "服务", exact: true }).click();
    await page.waitForURL(`${baseUrl}/account/services`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await checkChinesePage(page, "/account/services", "services", names);

    await page.getByRole("banner").getByRole("link", { name: "语音工作室", exact: true }).click();
    await page.waitForURL(`${baseUrl}/voice`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await checkChinesePage(page, "/voice", "voice", names);

    // Back to English from the switcher, and the account says lang="en" again.
    await page.getByTestId("language-switcher").getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
  } finally {
    await en.close();
  }
}
