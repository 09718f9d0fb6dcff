// Applies migrations to the local D1 and loads the catalogue + demo devices (idempotent).
// `node scripts/local-db.mjs` (run by `npm start`).
import fs from "node:fs";
import path from "node:path";
import { seedSql } from "../app/db/seed.ts";
import { parseDotenv } from "./lib/dotenv.mjs";
import { ROOT, runTool } from "./lib/run.mjs";

/** Extra wrangler args when local state lives elsewhere (the e2e run uses a fresh, separate one). */
export function persistArgs() {
  return process.env.AOVIS_PERSIST_DIR ? ["--persist-to", process.env.AOVIS_PERSIST_DIR] : [];
}

export async function prepareLocalDb() {
  await runTool("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs()]);
  const vars = parseDotenv(fs.readFileSync(path.join(ROOT, ".dev.vars"), "utf8"));
  const sql = await seedSql(vars.ACTIVATION_CODE_PEPPER);
  const file = path.join(ROOT, ".wrangler", "seed.sql");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sql.join("\n") + "\n");
  await runTool("wrangler", ["d1", "execute", "DB", "--local", ...persistArgs(), `--file=${file}`], { capture: true });
  console.log(`seeded ${sql.length} catalogue/demo rows (idempotent)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareLocalDb();
}
