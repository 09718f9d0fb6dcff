import type { D1Migration } from "@cloudflare/vitest-pool-workers";

declare global {
  namespace Cloudflare {
    interface Env extends __BaseEnv_Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_STANDIN_URLS: Record<string, string>;
    }
  }
}
export {};
