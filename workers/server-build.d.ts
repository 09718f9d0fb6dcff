// Types of the generated Remix server build, build/server/index.js (`npm run build`), so the
// Worker and tests import it typed, without @ts-ignore, and type-check before any build exists
// (CI type-checks first). `entry.module` is app/entry.server.tsx: the Worker's one way into the
// app graph (see workers/app.ts).
declare module "*/build/server/index.js" {
  import type { ServerBuild } from "@remix-run/cloudflare";
  import type * as entryServer from "~/entry.server";

  export const mode: ServerBuild["mode"];
  export const entry: { module: typeof entryServer };
  export const routes: ServerBuild["routes"];
  export const assets: ServerBuild["assets"];
  export const basename: ServerBuild["basename"];
  export const publicPath: ServerBuild["publicPath"];
  export const assetsBuildDirectory: ServerBuild["assetsBuildDirectory"];
  export const future: ServerBuild["future"];
  export const isSpaMode: ServerBuild["isSpaMode"];
}
