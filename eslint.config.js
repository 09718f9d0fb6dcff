// Lint for the whole repository (`npm run lint`). Formatting is prettier's job (eslint-config-prettier
// turns off the rules that would fight it); this file is about correctness and the layers:
// - app/domain is pure: it imports only other app/domain modules (no packages, no ~/ paths, no
//   node: builtins), so the Worker, the tests and the Node ops scripts can all load it.
// - app/domain, app/models and app/jobs never build HTTP answers: no response helpers, no Remix
//   json/redirect/data, no `new Response` (ADR 011: use cases return results, routes answer HTTP).
// - No import cycles in the Worker's code.
// - Request bodies are read only by app/http/body.server.ts, through a byte cap (issue #11): no
//   `request.json()`/`.formData()`/`.text()`/`.arrayBuffer()`/`.blob()`/`.body` anywhere else in app/.
// - @auth0/auth0-spa-js is browser-only: only *.client.ts(x) modules may load it.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import prettier from "eslint-config-prettier";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

const PURE = "app/domain is pure: it imports only other app/domain modules (no packages, no ~/ aliases outside it, no Node builtins).";
const NO_HTTP = "Use cases return results (app/domain/result.ts); only routes turn them into HTTP answers (ADR 011).";

/** Files that build HTTP answers, by resolved path (so `~/…` and relative imports are both caught). */
const RESPONSE_BUILDERS = ["app/http/responses.server.ts", "app/http/api-route.server.ts", "app/http/form-action.server.ts"];
const REMIX_RESPONSE_HELPERS = ["json", "redirect", "redirectDocument", "replace", "data", "defer"];
const NO_RESPONSE_SYNTAX = [
  { selector: "NewExpression[callee.name='Response']", message: NO_HTTP },
  { selector: "CallExpression[callee.object.name='Response'][callee.property.name=/^(json|redirect|error)$/]", message: NO_HTTP },
];
const BODY_READER = "Read request bodies through app/http/body.server.ts (byte-capped: readBodyFields, readFormData, readText, discardBody).";
const REQUEST = "[object.name='request'], [object.property.name='request']";
const NO_UNCAPPED_BODY_SYNTAX = [
  {
    selector: `CallExpression > MemberExpression.callee[property.name=/^(json|formData|text|arrayBuffer|blob|bytes)$/]:matches(${REQUEST})`,
    message: BODY_READER,
  },
  { selector: `MemberExpression[property.name='body']:matches(${REQUEST})`, message: BODY_READER },
];
const ERASABLE_ONLY_SYNTAX = [
  { selector: "TSEnumDeclaration", message: "Node's type stripping can't run enums: use a union of string literals." },
  { selector: "TSModuleDeclaration[kind!='global']", message: "Node's type stripping can't run namespaces." },
];

export default defineConfig(
  globalIgnores(["build/", "public/build/", ".wrangler/", "node_modules/", "e2e/artifacts/", ".standins/", "worker-configuration.d.ts"]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    plugins: { "import-x": importX },
    settings: {
      // import-x parses each imported module to follow cycles: tell it which files are TypeScript.
      "import-x/extensions": [".ts", ".tsx", ".mts", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" }), createNodeResolver()],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-self-import": "error",
      // `_name` marks a deliberately unused binding (a required parameter, a skipped tuple slot).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "no-unused-vars": "off",
      // `catch {}` is how this code says "not up yet / not JSON": an expected failure, handled by what follows.
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },

  // Where the code runs: the Worker and the browser (app/, workers/, tests in workerd), Node
  // (scripts, stand-ins, the e2e and bench runners, config files).
  {
    files: ["app/**", "workers/**", "test/**"],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker } },
  },
  {
    files: ["scripts/**", "standins/**", "e2e/**", "bench/**", "*.config.{js,ts,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Browser checks run code inside Chromium through page.evaluate: both worlds' globals apply.
    files: ["scripts/check-watch-standin.mjs", "e2e/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser, Hls: "readonly" } },
  },
  {
    // Tests read JSON bodies loosely typed and assert them with toMatchObject; `any` there costs nothing.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Journeys pass callbacks to page.evaluate(), which run in the browser.
    files: ["e2e/**"],
    languageOptions: { globals: { ...globals.browser } },
  },

  // The layers (docs/architecture.md).
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            { target: "app/domain", from: ".", except: ["app/domain"], message: PURE },
            ...["app/domain", "app/models", "app/jobs"].map((target) => ({ target, from: RESPONSE_BUILDERS, message: NO_HTTP })),
            {
              target: "app/**/!(*.client).{ts,tsx}",
              from: "node_modules/@auth0/auth0-spa-js",
              message: "auth0-spa-js is browser-only: load it from a *.client.ts module so it never reaches the server bundle.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/http/body.server.ts"],
    rules: { "no-restricted-syntax": ["error", ...NO_UNCAPPED_BODY_SYNTAX] },
  },
  {
    files: ["app/domain/**", "app/models/**", "app/jobs/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["@remix-run/cloudflare", "@remix-run/server-runtime", "@remix-run/node"].map((name) => ({
            name,
            importNames: REMIX_RESPONSE_HELPERS,
            message: NO_HTTP,
          })),
        },
      ],
      "no-restricted-syntax": ["error", ...NO_RESPONSE_SYNTAX, ...NO_UNCAPPED_BODY_SYNTAX],
    },
  },
  {
    // Loaded by the ops scripts with Node's type stripping as well (scripts/*.mjs).
    files: ["app/db/seed.ts", "app/lib/kvs.server.ts", "app/lib/kvs/**"],
    rules: {
      "@typescript-eslint/parameter-properties": ["error", { prefer: "class-property" }],
      "no-restricted-syntax": ["error", ...ERASABLE_ONLY_SYNTAX, ...NO_UNCAPPED_BODY_SYNTAX],
    },
  },
  {
    files: ["app/domain/**"],
    rules: {
      "import-x/no-nodejs-modules": "error",
      // Node scripts import the domain with plain type stripping: only erasable TypeScript.
      "@typescript-eslint/parameter-properties": ["error", { prefer: "class-property" }],
      "no-restricted-syntax": ["error", ...NO_RESPONSE_SYNTAX, ...ERASABLE_ONLY_SYNTAX, ...NO_UNCAPPED_BODY_SYNTAX],
    },
  },

  prettier,
);
