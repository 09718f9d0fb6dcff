// `npm start`: the whole product locally, with nothing external.
// 1. .dev.vars from .dev.vars.example if missing  2. stand-ins on 8790–8793
// 3. migrations + catalogue/demo data into local D1  4. Remix build  5. wrangler dev on :8787
import fs from "node:fs";
import path from "node:path";
import { startStandins } from "../standins/index.mjs";
import { parseDotenv } from "./lib/dotenv.mjs";
import { persistArgs, prepareLocalDb } from "./local-db.mjs";
import { ROOT, runTool, startTool } from "./lib/run.mjs";

const devVars = path.join(ROOT, ".dev.vars");
if (!fs.existsSync(devVars)) {
  fs.copyFileSync(path.join(ROOT, ".dev.vars.example"), devVars);
  console.log("created .dev.vars from .dev.vars.example (local stand-in values)");
}
const env = parseDotenv(fs.readFileSync(devVars, "utf8"));
const port = Number(process.env.PORT ?? 8787);
const appOrigin = env.APP_ORIGIN ?? `http://localhost:${port}`;

const ports = {};
for (const [name, v] of Object.entries({ auth0: "AUTH0_STANDIN_PORT", stripe: "STRIPE_STANDIN_PORT", aws: "AWS_STANDIN_PORT", elevenlabs: "ELEVENLABS_STANDIN_PORT" })) {
  if (process.env[v]) ports[name] = Number(process.env[v]);
}
const standins = await startStandins({ ports, appOrigin, env });
console.log("stand-ins:", JSON.stringify(standins.urls));

let wrangler;
const shutdown = async (code = 0) => {
  wrangler?.kill("SIGTERM");
  await standins.close();
  process.exit(code);
};
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  await prepareLocalDb();
  if (!process.env.SKIP_BUILD) await runTool("remix", ["vite:build"]);
} catch (err) {
  console.error(String(err));
  await shutdown(1);
}

wrangler = startTool("wrangler", ["dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled", "--show-interactive-dev-session=false", ...persistArgs()]);
wrangler.on("exit", (code) => shutdown(code ?? 0));
