// `npm run stripe:verify-config`: checks that the Stripe keys and every configured price id belong
// to the same mode (test or live) before a deploy. A price created in test mode but configured
// next to a live key (or the reverse) would make Checkout fail for real customers, or worse, sell
// a test-mode plan. Exit code 0 = consistent, 1 = a problem (each one is printed).
//
// Values: process.env first (CI / `STRIPE_SECRET_KEY=… npm run stripe:verify-config`), then
// .dev.vars, else .dev.vars.example. Against the local stand-in this needs `npm start` running
// (or the stand-in alone: `node standins/index.mjs`).
import fs from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { PRICE_VARIABLE_ALIASES, stripePriceKeys } from "../app/domain/plans.ts";
import { parseDotenv } from "./lib/dotenv.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const file = [".dev.vars", ".dev.vars.example"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
const fromFile = file ? parseDotenv(fs.readFileSync(file, "utf8")) : {};
const value = (k) => process.env[k] ?? fromFile[k];

const modeOf = (key) => /^(?:sk|rk|pk)_(test|live)_/.exec(key ?? "")?.[1] ?? null;

const problems = [];
const secret = value("STRIPE_SECRET_KEY");
const publishable = value("STRIPE_PUBLISHABLE_KEY");
const secretMode = modeOf(secret);
const publishableMode = modeOf(publishable);
if (!secretMode) problems.push("STRIPE_SECRET_KEY is missing or not a Stripe secret key (sk_test_… / sk_live_…)");
if (!publishableMode) problems.push("STRIPE_PUBLISHABLE_KEY is missing or not a publishable key (pk_test_… / pk_live_…)");
if (secretMode && publishableMode && secretMode !== publishableMode) {
  problems.push(`STRIPE_SECRET_KEY is a ${secretMode} key but STRIPE_PUBLISHABLE_KEY is a ${publishableMode} key`);
}

if (secretMode) {
  const base = new URL(value("STRIPE_API_BASE") || "https://api.stripe.com");
  const protocol = base.protocol === "http:" ? "http" : "https";
  const stripe = new Stripe(secret, {
    host: base.hostname,
    port: base.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 1,
    timeout: 15_000,
  });
  const wantLive = secretMode === "live";
  console.log(`Stripe ${base.origin} with a ${secretMode} key (${file ? path.basename(file) : "environment"} / environment)`);
  for (const ours of stripePriceKeys()) {
    // The existing deployment's name for the same price is accepted instead (ADR 021), never both.
    const theirs = PRICE_VARIABLE_ALIASES[ours];
    if (theirs && value(ours) && value(theirs)) problems.push(`${ours} and ${theirs} are both set (they name the same price: keep one of them)`);
    const key = theirs && !value(ours) && value(theirs) ? theirs : ours;
    const id = value(key);
    if (!id) {
      problems.push(`${ours}${theirs ? ` (or ${theirs})` : ""} is not set`);
      continue;
    }
    try {
      const price = await stripe.prices.retrieve(id);
      const ok = price.livemode === wantLive;
      console.log(
        `${ok ? "ok  " : "FAIL"} ${key}=${id} livemode=${price.livemode} active=${price.active} ${price.unit_amount ?? "?"} ${price.currency}${price.recurring ? `/${price.recurring.interval}` : ""}`,
      );
      if (!ok) problems.push(`${key}=${id} is a ${price.livemode ? "live" : "test"}-mode price but the key is a ${secretMode} key`);
      if (!price.active) problems.push(`${key}=${id} is archived (active=false): Checkout would refuse it`);
    } catch (err) {
      console.log(`FAIL ${key}=${id}`);
      problems.push(`${key}=${id} could not be retrieved: ${err?.message ?? err}`);
    }
  }
}

if (problems.length) {
  console.error(`\nStripe configuration has ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log("\nStripe configuration is consistent: keys and every price are in the same mode.");
