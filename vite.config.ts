import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Rollup } from "vite";

declare module "@remix-run/cloudflare" {
  interface Future {
    v3_singleFetch: true;
  }
}

// Rollup warnings that say nothing about our code: resource routes (no component) still get an
// empty client chunk each, and zod's sources carry /* @__PURE__ */ comments Rollup can't place.
const TOOL_NOISE = (w: Rollup.RollupLog) => w.code === "EMPTY_BUNDLE" || (w.code === "INVALID_ANNOTATION" && (w.id ?? "").includes("/node_modules/"));

// Remix builds the server bundle for workerd; workers/app.ts imports it and wrangler bundles the
// Worker. Conditions follow ../shared/TOOLCHAIN.md (workerd first, then browser builds).
export default defineConfig({
  plugins: [
    remix({
      // `npm test` builds into its own directory (see vitest.config.ts), so a test run never
      // rewrites the build/ that a running `npm start` serves.
      buildDirectory: process.env.AOVIS_BUILD_DIR ?? "build",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  resolve: {
    alias: { "~": new URL("./app", import.meta.url).pathname },
    mainFields: ["browser", "module", "main"],
  },
  ssr: {
    target: "webworker",
    noExternal: true,
    resolve: {
      conditions: ["workerd", "worker", "browser"],
      externalConditions: ["workerd", "worker"],
    },
  },
  build: {
    minify: process.env.AOVIS_NO_MINIFY ? false : true,
    rollupOptions: {
      onwarn(warning, warn) {
        if (!TOOL_NOISE(warning)) warn(warning);
      },
    },
  },
});
