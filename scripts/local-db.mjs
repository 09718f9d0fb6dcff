// Applies migrations to the local D1 and loads the catalogue + demo devices (idempotent).
// `node scripts/local-db.mjs` (run by `npm start`).
import fs from "node:fs";
import path from "node:path";
import { demoOwnerSql, seedSql } from "../app/db/seed.ts";
import { PASSWORD_DOMAIN, subFor } from "../standins/auth0.mjs";
import { parseDotenv } from "./lib/dotenv.mjs";
import { ROOT, runQuiet } from "./lib/run.mjs";

/** The demo account: a camera on a paid plan with a day of events (app/db/seed.ts, scripts/lib/demo-events.mjs). */
export const DEMO_EMAIL = `demo@${PASSWORD_DOMAIN}`;

/** Extra wrangler args when local state lives elsewhere (the e2e run uses a fresh, separate one). */
export function persistArgs() {
  return process.env.AOVIS_PERSIST_DIR ? ["--persist-to", process.env.AOVIS_PERSIST_DIR] : [];
}

/**
 * Wrangler's output (a table of every migration after each one applied) is kept back unless a step
 * fails: the rejection then carries it. Resolves with what was done, for a one-line summary.
 */
export async function prepareLocalDb() {
  const { output } = await runQuiet("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs()]);
  const migrations = Number(/About to apply (\d+) migration/.exec(output)?.[1] ?? 0);
  const vars = parseDotenv(fs.readFileSync(path.join(ROOT, ".dev.vars"), "utf8"));
  const sql = [
    ...(await seedSql(vars.ACTIVATION_CODE_PEPPER)),
    ...(await demoOwnerSql({ pepper: vars.ACTIVATION_CODE_PEPPER, email: DEMO_EMAIL, auth0Sub: subFor(DEMO_EMAIL), now: Date.now() })),
  ];
  const file = path.join(ROOT, ".wrangler", "seed.sql");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sql.join("\n") + "\n");
  await runQuiet("wrangler", ["d1", "execute", "DB", "--local", ...persistArgs(), `--file=${file}`]);
  return { migrations, seedRows: sql.length };
}

export const describeLocalDb = ({ migrations, seedRows }) =>
  `local D1: ${migrations === 0 ? "migrations up to date" : `${migrations} migration(s) applied`}, ${seedRows} catalogue/demo rows loaded (idempotent)`;

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeLocalDb(await prepareLocalDb()));
}
