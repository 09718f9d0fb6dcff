/**
 * Workers AI over its REST API (ADR 016): POST {base}/accounts/{account}/ai/run/{model} with a
 * Bearer token; the answer is Cloudflare's envelope `{ result, success, errors, messages }`. The
 * base URL is configuration, so the same client reaches the real service in production and the
 * stand-in (standins/workers-ai.mjs) locally and in tests. Text-generation models answer
 * `result: { response }`.
 */
import { getConfig } from "./config.server";

/** A request the model may take its time with; anything slower is a failure the cron retries. */
const TIMEOUT_MS = 25_000;

export class WorkersAiError extends Error {
  constructor(
    readonly status: number,
    /** Cloudflare's error code (errors[0].code), or ours: 0 network/timeout, -1 unreadable answer. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "WorkersAiError";
  }
  /** Throttling, their side, or the network: worth another try later. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500 || this.code <= 0;
  }
}

interface Envelope<T> {
  result?: T | null;
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  messages?: unknown[];
}

export interface WorkersAi {
  /** A text model's answer to a system and a user message. */
  generate(model: string, input: { system: string; prompt: string; maxTokens: number; image?: Uint8Array }): Promise<string>;
}

export type FetchLike = (request: Request) => Promise<Response>;

export function createWorkersAi(opts: { base: string; accountId: string; token: string; fetch?: FetchLike }): WorkersAi {
  const doFetch: FetchLike = opts.fetch ?? ((r) => fetch(r));
  const base = opts.base.replace(/\/+$/, "");
  return {
    async generate(model, input) {
      const body: Record<string, unknown> = {
        messages: [
          { role: "system", content: input.system },
          { role: "user", content: input.prompt },
        ],
        max_tokens: input.maxTokens,
        temperature: 0.2,
      };
      // The vision model takes the picture as a list of its bytes (0..255), per the model's schema.
      if (input.image) body.image = Array.from(input.image);
      // The model name keeps its slashes: /ai/run/@cf/meta/llama-3.2-11b-vision-instruct.
      const url = `${base}/accounts/${encodeURIComponent(opts.accountId)}/ai/run/${model}`;
      let res: Response;
      try {
        res = await doFetch(
          new Request(url, {
            method: "POST",
            headers: { Authorization: `Bearer ${opts.token}`, "Content-Type": "application/json" },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(TIMEOUT_MS),
          }),
        );
      } catch (err) {
        throw new WorkersAiError(599, 0, `Workers AI unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      let env: Envelope<{ response?: unknown }>;
      try {
        env = (await res.json()) as Envelope<{ response?: unknown }>;
      } catch {
        throw new WorkersAiError(res.status, -1, `Workers AI answered ${res.status} without JSON`);
      }
      if (!res.ok || env.success !== true) {
        const first = env.errors?.[0];
        throw new WorkersAiError(res.status, first?.code ?? -1, first?.message ?? `Workers AI answered ${res.status}`);
      }
      const text = env.result?.response;
      if (typeof text !== "string") throw new WorkersAiError(res.status, -1, "Workers AI answered without result.response");
      return text;
    },
  };
}

const clients = new WeakMap<object, WorkersAi>();

/** One client per Worker env (config parsed once). */
export function workersAiFor(env: Env): WorkersAi {
  let c = clients.get(env);
  if (!c) {
    const cfg = getConfig(env);
    c = createWorkersAi({ base: cfg.WORKERS_AI_API_BASE, accountId: cfg.WORKERS_AI_ACCOUNT_ID, token: cfg.WORKERS_AI_API_TOKEN });
    clients.set(env, c);
  }
  return c;
}
