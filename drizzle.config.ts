import { defineConfig } from "drizzle-kit";

// Generates SQL into migrations/ in the layout `wrangler d1 migrations apply` reads.
export default defineConfig({
  dialect: "sqlite",
  schema: "./app/db/schema/index.ts",
  out: "./migrations",
  migrations: { prefix: "index" },
});
