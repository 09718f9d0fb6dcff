import fs from "node:fs";
import type { TestProject } from "vitest/node";
import { parseDotenv } from "../scripts/lib/dotenv.mjs";
import { startStandins } from "../standins/index.mjs";

// Starts every stand-in on a free loopback port (so tests never collide with a running
// `npm start`) and hands their URLs to the workerd tests via provide/inject.
export default async function setup(project: TestProject) {
  const env = parseDotenv(fs.readFileSync(".dev.vars.example", "utf8"));
  env.APP_ENV = "test";
  const standins = await startStandins({
    ports: { auth0: 0, stripe: 0, aws: 0, elevenlabs: 0, workersAi: 0, mail: 0, access: 0 },
    appOrigin: "http://localhost:8787",
    env,
  });
  // The stand-in must never deliver test events to a developer's running `npm start` on :8787:
  // tests deliver recorded events to the Worker themselves.
  await fetch(`${standins.urls.stripe}/__standin/config`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ webhookUrl: "http://127.0.0.1:9/api/stripe/webhook" }),
  });
  project.provide("standinUrls", standins.urls);
  return async () => {
    await standins.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    standinUrls: Record<string, string>;
  }
}
