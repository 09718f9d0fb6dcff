import { z } from "zod";
import { PRICE_VARIABLE_ALIASES, stripePriceKeys } from "~/domain/plans";

/**
 * The app's configuration, parsed from the Worker `env` on each request (never from process.env,
 * never at module load, so a bad deploy fails loudly on the first request and names the variable).
 * Local mode gets every value from `.dev.vars` (created from `.dev.vars.example` by `npm start`).
 */

const url = z.url({ protocol: /^https?$/ });
const nonEmpty = z.string().trim().min(1);

const isSet = (v: unknown) => v !== undefined && v !== null && v !== "";

/** `env` with each aliased price under our key; the variable each value came from; conflicts. */
function resolvePriceAliases(env: Record<string, unknown>) {
  const out = { ...env };
  const source: Record<string, string> = {};
  const conflicts: { variable: string; problem: string }[] = [];
  for (const [ours, theirs] of Object.entries(PRICE_VARIABLE_ALIASES)) {
    if (isSet(env[ours]) && isSet(env[theirs])) {
      conflicts.push({ variable: `${ours} and ${theirs}`, problem: `are both set (they name the same price: keep one of them)` });
    } else if (isSet(env[theirs])) {
      out[ours] = env[theirs];
      source[ours] = theirs;
    }
  }
  return { env: out, source, conflicts };
}

const priceShape = Object.fromEntries(
  stripePriceKeys().map((k) => [k, z.string().regex(/^price_[A-Za-z0-9_]+$/, "must be a Stripe price id (price_…)")]),
) as Record<string, z.ZodString>;

export const configSchema = z.object({
  APP_ENV: z.enum(["local", "test", "production"]).default("production"),
  /** Public origin of the app, e.g. https://account.aovis.example or http://localhost:8787. */
  APP_ORIGIN: url,

  AUTH0_DOMAIN: url,
  AUTH0_CLIENT_ID: nonEmpty,
  /** Authenticates the server's code exchange (a Regular Web Application, ADR 012). */
  AUTH0_CLIENT_SECRET: nonEmpty,

  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, "must be a Stripe secret key (sk_test_… or sk_live_…)"),
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, "must be a Stripe publishable key (pk_…)"),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9_]+$/, "must be a webhook signing secret (whsec_…)"),
  STRIPE_API_BASE: url.default("https://api.stripe.com"),
  ...priceShape,

  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1"),
  AWS_ACCESS_KEY_ID: nonEmpty,
  AWS_SECRET_ACCESS_KEY: nonEmpty,
  /** KVS control plane endpoint; defaults to the regional AWS endpoint. */
  KVS_ENDPOINT: url.optional(),
  IOT_ENDPOINT: url.optional(),
  KVS_DATA_RETENTION_HOURS: z.coerce.number().int().min(1).max(87600).default(720),
  CRON_SUBREQUEST_BUDGET: z.coerce.number().int().min(10).max(900).default(500),

  ELEVENLABS_API_KEY: nonEmpty,
  ELEVENLABS_API_BASE: url.default("https://api.elevenlabs.io"),

  /**
   * The token the IoT Rule's HTTP action sends (header x-aovis-rule-token, from Secrets Manager via
   * get_secret, ADR 015). IOT_RULE_TOKEN_NEXT is accepted too while a new token is rolled out.
   */
  IOT_RULE_TOKEN: z.string().min(32, "must be at least 32 characters"),
  IOT_RULE_TOKEN_NEXT: z.string().min(32, "must be at least 32 characters").optional(),

  /** Workers AI over its REST API (ADR 016): {base}/accounts/{account}/ai/run/{model}, Bearer token. */
  WORKERS_AI_API_BASE: url.default("https://api.cloudflare.com/client/v4"),
  WORKERS_AI_ACCOUNT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a Cloudflare account id"),
  WORKERS_AI_API_TOKEN: nonEmpty,
  WORKERS_AI_VISION_MODEL: z
    .string()
    .regex(/^@cf\/[a-z0-9._-]+\/[a-z0-9._-]+$/, "must be a model name such as @cf/meta/llama-3.2-11b-vision-instruct")
    .default("@cf/meta/llama-3.2-11b-vision-instruct"),
  WORKERS_AI_TEXT_MODEL: z
    .string()
    .regex(/^@cf\/[a-z0-9._-]+\/[a-z0-9._-]+$/, "must be a model name such as @cf/meta/llama-3.1-8b-instruct-fp8-fast")
    .default("@cf/meta/llama-3.1-8b-instruct-fp8-fast"),

  /**
   * Transactional mail through Resend's HTTP API (ADR 019): POST {RESEND_API_BASE}/emails with a
   * Bearer key, From MAIL_FROM (an address on a domain verified in Resend). Optional: without a key
   * mails wait in the outbox (logged) and go out once it is set.
   */
  RESEND_API_KEY: nonEmpty.optional(),
  RESEND_API_BASE: url.default("https://api.resend.com"),
  MAIL_FROM: z
    .string()
    .trim()
    .regex(/^([^<>@]+<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, "must be an address, optionally with a name: AOVIS Edge <no-reply@example.com>")
    .optional(),

  /** Key for the activation-code HMAC. Rotating it invalidates every stored code hash. */
  ACTIVATION_CODE_PEPPER: z.string().min(16, "must be at least 16 characters"),

  /** A Billing Portal configuration (bpc_…) for the portal sessions, e.g. one that cancels at period end; unset: the account default. */
  STRIPE_PORTAL_CONFIGURATION_ID: z
    .string()
    .regex(/^bpc_[A-Za-z0-9_]+$/, "must be a Billing Portal configuration id (bpc_…)")
    .optional(),
});

export type AppConfig = z.infer<typeof configSchema> & {
  stripePrices: Record<string, string>;
  kvsEndpoint: string;
  iotEndpoint: string;
};

export class ConfigError extends Error {
  constructor(public readonly issues: { variable: string; problem: string }[]) {
    super("Invalid configuration: " + issues.map((i) => `${i.variable} ${i.problem}`).join("; ") + ". See .dev.vars.example.");
    this.name = "ConfigError";
  }
}

const cache = new WeakMap<object, AppConfig>();

export function parseConfig(rawEnv: Record<string, unknown>): AppConfig {
  const { env, source, conflicts } = resolvePriceAliases(rawEnv);
  if (conflicts.length) throw new ConfigError(conflicts);
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const key = String(i.path[0] ?? "?");
        if (env[key] === undefined) {
          const alias = PRICE_VARIABLE_ALIASES[key];
          return { variable: key, problem: alias ? `is missing (or set ${alias})` : "is missing" };
        }
        return { variable: source[key] ?? key, problem: `is malformed (${i.message})` };
      }),
    );
  }
  const c = result.data;
  const stripePrices = Object.fromEntries(stripePriceKeys().map((k) => [k, String((c as Record<string, unknown>)[k])]));
  return {
    ...c,
    stripePrices,
    kvsEndpoint: c.KVS_ENDPOINT ?? `https://kinesisvideo.${c.AWS_REGION}.amazonaws.com`,
    iotEndpoint: c.IOT_ENDPOINT ?? `https://iot.${c.AWS_REGION}.amazonaws.com`,
  };
}

/** Parsed once per `env` object (the same object for the isolate's lifetime). */
export function getConfig(env: object): AppConfig {
  let c = cache.get(env);
  if (!c) {
    c = parseConfig(env as Record<string, unknown>);
    cache.set(env, c);
  }
  return c;
}
