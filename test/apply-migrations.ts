import { applyD1Migrations, env } from "cloudflare:test";
import { seedSql } from "~/db/seed";

// Runs before each test file: the real migrations, then the catalogue and demo devices exactly as
// `npm start` loads them (both idempotent).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const statements = await seedSql(env.ACTIVATION_CODE_PEPPER);
await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
