import fs from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { parseDotenv } from "./scripts/lib/dotenv.mjs";

const root = path.dirname(new URL(import.meta.url).pathname);
// `npm test` builds the app here (npm run build:test), never into build/: a running `npm start`
// serves build/ and must not have it rewritten under it. Imports of build/server/index.js (the
// Worker's and tests') resolve to this build instead.
const testBuild = path.join(root, ".wrangler", "test-build");
const appBuild = path.join(root, "build", "server", "index.js");
// wrangler's own info lines ("Using secrets defined in .dev.vars", once per test file) are not
// about the tests; its warnings and errors still show.
process.env.WRANGLER_LOG ??= "warn";

// Tests run inside workerd with the real wrangler.toml bindings (D1, KV, R2) and the real
// migrations. Config comes from .dev.vars.example (never a developer's .dev.vars), with the
// external base URLs pointed at stand-ins that test/global-setup.ts starts on free ports.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  const vars = parseDotenv(fs.readFileSync(path.join(root, ".dev.vars.example"), "utf8")) as Record<string, string>;
  return {
    resolve: { alias: { "~": path.join(root, "app") } },
    plugins: [
      {
        name: "aovis-test-build",
        enforce: "pre" as const,
        resolveId(source: string, importer: string | undefined) {
          if (!importer || !source.endsWith("build/server/index.js")) return null;
          if (path.resolve(path.dirname(importer.split("?")[0]), source) !== appBuild) return null;
          const built = path.join(testBuild, "server", "index.js");
          if (!fs.existsSync(built)) throw new Error(`no test build at ${built}: run \`npm run build:test\` first (npm test does)`);
          return built;
        },
      },
      cloudflareTest(({ inject }) => {
        const urls = inject<Record<string, string>>("standinUrls");
        return {
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            assets: { directory: path.join(testBuild, "client") },
            bindings: {
              ...vars,
              APP_ENV: "test",
              AUTH0_DOMAIN: urls.auth0,
              STRIPE_API_BASE: urls.stripe,
              KVS_ENDPOINT: urls.aws,
              IOT_ENDPOINT: urls.aws,
              ELEVENLABS_API_BASE: urls.elevenlabs,
              WORKERS_AI_API_BASE: `${urls.workersAi}/client/v4`,
              RESEND_API_BASE: urls.mail,
              ACCESS_TEAM_DOMAIN: urls.access,
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
