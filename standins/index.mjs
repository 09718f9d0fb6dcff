// Starts every local stand-in on its loopback port. Used by `npm start` (scripts/start.mjs), by the
// test harness (test/global-setup.ts) and directly: `node standins/index.mjs`.
import { startAccess } from "./access.mjs";
import { startAuth0 } from "./auth0.mjs";
import { startAws } from "./aws.mjs";
import { startElevenlabs } from "./elevenlabs.mjs";
import { startMail } from "./mail.mjs";
import { startStripe } from "./stripe.mjs";
import { startWorkersAi } from "./workers-ai.mjs";

export const DEFAULT_PORTS = { auth0: 8790, stripe: 8791, aws: 8792, elevenlabs: 8793, workersAi: 8795, mail: 8794, access: 8796 };

/**
 * @param {{ports?: Partial<typeof DEFAULT_PORTS>, appOrigin?: string, env?: Record<string,string>}} opts
 * `env` carries the same values as .dev.vars (keys, client id, webhook secret) so each stand-in
 * checks exactly what the real service would check against the app's configuration.
 */
export async function startStandins({ ports = {}, appOrigin = "http://localhost:8787", env = {} } = {}) {
  const p = { ...DEFAULT_PORTS, ...ports };
  const started = {};
  try {
    started.auth0 = await startAuth0({ port: p.auth0, appOrigin, env });
    started.stripe = await startStripe({ port: p.stripe, appOrigin, env });
    started.aws = await startAws({ port: p.aws, appOrigin, env });
    started.elevenlabs = await startElevenlabs({ port: p.elevenlabs, appOrigin, env });
    started.workersAi = await startWorkersAi({ port: p.workersAi, env });
    started.mail = await startMail({ port: p.mail, env });
    started.access = await startAccess({ port: p.access, appOrigin, env });
  } catch (err) {
    await Promise.all(Object.values(started).map((s) => s.close()));
    throw err;
  }
  return {
    urls: Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v.url])),
    ports: Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v.port])),
    services: started,
    close: () => Promise.all(Object.values(started).map((s) => s.close())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fs = await import("node:fs");
  const { parseDotenv } = await import("../scripts/lib/dotenv.mjs");
  const envFile = fs.existsSync(".dev.vars") ? ".dev.vars" : ".dev.vars.example";
  const env = parseDotenv(fs.readFileSync(envFile, "utf8"));
  const s = await startStandins({ env });
  console.log(JSON.stringify({ msg: "standins_ready", urls: s.urls }));
  const stop = async () => {
    await s.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
