import fs from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { parseDotenv } from "./scripts/lib/dotenv.mjs";

const root = path.dirname(new URL(import.meta.url).pathname);

// Tests run inside workerd with the real wrangler.toml bindings (D1, KV, R2) and the real
// migrations. Config comes from .dev.vars.example (never a developer's .dev.vars), with the
// external base URLs pointed at stand-ins that test/global-setup.ts starts on free ports.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  const vars = parseDotenv(fs.readFileSync(path.join(root, ".dev.vars.example"), "utf8")) as Record<string, string>;
  return {
    resolve: { alias: { "~": path.join(root, "app") } },
    plugins: [
      cloudflareTest(({ inject }) => {
        const urls = inject<Record<string, string>>("standinUrls");
        return {
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            bindings: {
              ...vars,
              APP_ENV: "test",
              AUTH0_DOMAIN: urls.auth0,
              STRIPE_API_BASE: urls.stripe,
              KVS_ENDPOINT: urls.aws,
              IOT_ENDPOINT: urls.aws,
              ELEVENLABS_API_BASE: urls.elevenlabs,
              TEST_MIGRATIONS: migrations,
              TEST_STANDIN_URLS: urls,
            },
          },
        };
      }),
    ],
    test: {
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      include: ["test/**/*.test.ts"],
      // App log lines (one JSON line per request) only for failing tests: keeps CI output readable.
      silent: "passed-only" as const,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: [
              "@remix-run/cloudflare",
              "@remix-run/server-runtime",
              "@remix-run/react",
              "react",
              "react-dom",
              "react-dom/server",
              "react/jsx-runtime",
              "drizzle-orm",
              "drizzle-orm/d1",
              "drizzle-orm/sqlite-core",
              "zod",
              "jose",
              "stripe",
              "aws4fetch",
              "isbot",
            ],
          },
        },
      },
    },
  };
});
