// `npm start`: the whole product locally, with nothing external.
// 1. .dev.vars from .dev.vars.example if missing  2. stand-ins on 8790–8796
// 3. migrations + catalogue/demo data into local D1  4. Remix build  5. wrangler dev on :8787
// Each step prints one line; a step that fails prints everything its tool said. Wrangler's start-up
// output is held back until it serves (and shown if it never does); after that the app's log lines
// follow, one readable line each. AOVIS_VERBOSE=1 shows every tool's output as it comes.
import fs from "node:fs";
import path from "node:path";
import { demoDevices } from "../app/db/seed.ts";
import { LOCAL_PASSWORD, PASSWORD_DOMAIN } from "../standins/auth0.mjs";
import { startStandins } from "../standins/index.mjs";
import { parseDotenv } from "./lib/dotenv.mjs";
import { eachLine, isProblem, presentLine, readyUrl } from "./lib/dev-output.mjs";
import { DEMO_EMAIL, describeLocalDb, persistArgs, prepareLocalDb } from "./local-db.mjs";
import { seedDemoEvents } from "./lib/demo-events.mjs";
import { opsConfig } from "./lib/ops.mjs";
import { ROOT, runQuiet, startTool } from "./lib/run.mjs";

const verbose = Boolean(process.env.AOVIS_VERBOSE);
const READY_PATIENCE_MS = 120_000;
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

console.log("AOVIS Edge, local mode: every external service is a stand-in on this machine");
const devVars = path.join(ROOT, ".dev.vars");
if (!fs.existsSync(devVars)) {
  fs.copyFileSync(path.join(ROOT, ".dev.vars.example"), devVars);
  console.log("  created .dev.vars from .dev.vars.example (local stand-in values)");
}
const env = parseDotenv(fs.readFileSync(devVars, "utf8"));
// A .dev.vars made by an older checkout lacks variables added since; the app then refuses to serve
// those parts. Say which, rather than copying local stand-in values over a deliberate setup.
const missing = Object.keys(parseDotenv(fs.readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8"))).filter((k) => !(k in env));
if (missing.length > 0) {
  console.log(`  .dev.vars lacks ${missing.join(", ")}: copy them from .dev.vars.example (or delete .dev.vars to start afresh)`);
}
const port = Number(process.env.PORT ?? 8787);
const appOrigin = env.APP_ORIGIN ?? `http://localhost:${port}`;

const ports = {};
for (const [name, v] of Object.entries({
  auth0: "AUTH0_STANDIN_PORT",
  stripe: "STRIPE_STANDIN_PORT",
  aws: "AWS_STANDIN_PORT",
  elevenlabs: "ELEVENLABS_STANDIN_PORT",
  workersAi: "WORKERS_AI_STANDIN_PORT",
  mail: "MAIL_STANDIN_PORT",
  access: "ACCESS_STANDIN_PORT",
})) {
  if (process.env[v]) ports[name] = Number(process.env[v]);
}
const standins = await startStandins({ ports, appOrigin, env });
const names = {
  auth0: "Auth0",
  stripe: "Stripe",
  aws: "AWS",
  elevenlabs: "ElevenLabs",
  workersAi: "Workers AI",
  mail: "Mail (Resend; inbox at /)",
  access: "Cloudflare Access (staff /ops)",
};
console.log(
  `  stand-ins: ${Object.entries(standins.ports)
    .map(([k, p]) => `${names[k] ?? k} :${p}`)
    .join(", ")}`,
);

let wrangler;
const shutdown = async (code = 0) => {
  if (wrangler) {
    try {
      // Its whole process group: wrangler leaves its esbuild service behind when it fails to start.
      process.kill(-wrangler.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await standins.close();
  process.exit(code);
};
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  console.log(`  ${describeLocalDb(await prepareLocalDb())}`);
  if (!process.env.SKIP_BUILD) {
    // --logLevel warn: the build prints only warnings and errors, and those are shown.
    const { output } = await runQuiet("remix", ["vite:build", ...(verbose ? [] : ["--logLevel", "warn"])]);
    if (output.trim()) console.log(output.trimEnd());
    console.log(`  built the app into build/ (${seconds()})`);
  }
} catch (err) {
  console.error(`\nnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}

function announce() {
  const url = `http://localhost:${port}`;
  const demo = demoDevices();
  const first = demo[0];
  const last = demo[demo.length - 1];
  console.log(`
AOVIS Edge is ready on ${url}   (${seconds()}; Ctrl-C stops it)
  Sign in with any @${PASSWORD_DOMAIN} address (e.g. alice@${PASSWORD_DOMAIN}) on the Auth0 stand-in's page;
  scripted sign-in (password grant) uses the password ${LOCAL_PASSWORD}.
  Demo cameras to activate at ${url}/account/devices: codes ${first.activationCode} … ${last.activationCode}
  (serials ${first.serial} … ${last.serial}). Fresh demo data: stop, delete .wrangler/state, start again.
  ${DEMO_EMAIL} holds a camera on a paid plan with a day of events (markers, brief, search).
Requests and app log lines follow.
`);
}

wrangler = startTool(
  "wrangler",
  ["dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled", "--show-interactive-dev-session=false", ...persistArgs()],
  // Its own process group (see shutdown); Ctrl-C reaches it through our SIGINT handler.
  { stdio: ["ignore", "pipe", "pipe"], detached: true },
);

// Until wrangler serves, its output is kept (and warnings/errors shown as they come); if it exits
// or takes too long, everything it said is printed.
let ready = false;
let showingProblem = false;
const held = [];
const dumpHeld = (why) => {
  console.error(`\n${why}; wrangler dev said:\n${held.join("\n")}`);
  held.length = 0;
};
const patience = setTimeout(() => {
  if (ready) return;
  dumpHeld(`wrangler dev is not serving after ${READY_PATIENCE_MS / 1000} s`);
  ready = true; // from here on, show everything as it comes
}, READY_PATIENCE_MS);

const onLine = (out) => (line) => {
  if (!ready) {
    const url = readyUrl(line);
    if (url) {
      ready = true;
      clearTimeout(patience);
      announce();
      // A day of events for the demo cameras with a paid plan, through the IoT rule (needs the app up).
      // AOVIS_DEMO_EVENTS=off skips it (npm run bench: nothing else running while it measures).
      if (process.env.AOVIS_DEMO_EVENTS !== "off")
        seedDemoEvents(opsConfig(), `http://127.0.0.1:${standins.ports.aws}`)
          .then((summary) => console.log(`  ${summary}`))
          .catch((err) => console.error(`  demo events not published: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    held.push(line);
    if (verbose) out.write(`${line}\n`);
    else if (isProblem(line) || (showingProblem && line.trim() !== "")) {
      showingProblem = true;
      out.write(`${line}\n`);
    } else showingProblem = false;
    return;
  }
  const shown = verbose ? line : presentLine(line);
  if (shown !== null) out.write(`${shown}\n`);
};
eachLine(wrangler.stdout, onLine(process.stdout));
eachLine(wrangler.stderr, onLine(process.stderr));

wrangler.on("exit", (code, signal) => {
  clearTimeout(patience);
  if (!ready) dumpHeld(`wrangler dev exited (${signal ?? `code ${code}`}) before it served`);
  shutdown(code ?? (ready ? 0 : 1));
});
