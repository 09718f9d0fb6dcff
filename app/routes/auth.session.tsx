import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { getDb } from "~/db/client.server";
import { createSession, destroySession, readSessionId } from "~/lib/auth.server";
import { clientIp } from "~/lib/client-ip.server";
import { getConfig } from "~/lib/config.server";
import { jsonError, jsonOk, parseBody } from "~/lib/http.server";
import { IdTokenRejected, verifyIdToken } from "~/lib/id-token.server";
import { log } from "~/lib/log.server";
import { reserveRateLimit } from "~/lib/rate-limit.server";
import { upsertUserFromIdentity } from "~/models/users.server";
import { voiceTierForUser } from "~/models/voice-tier.server";

const Body = z.object({
  id_token: z.string().min(20).max(8192),
  nonce: z.string().min(1).max(512).optional(),
});

/** 10 sign-ins per minute per client IP: generous for people, useless for token stuffing. */
const SIGNIN_LIMIT = { limit: 10, windowMs: 60_000 };

// POST /auth/session {id_token} → verifies the Auth0 ID token and starts a session.
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST.");
  const env = context.cloudflare.env;
  const rl = await reserveRateLimit(getDb(env), `signin:ip:${clientIp(request)}`, SIGNIN_LIMIT);
  if (!rl.ok) {
    return jsonError(429, "rate_limited", "Too many sign-in attempts. Please wait a minute and try again.", {}, { headers: { "Retry-After": String(rl.retryAfterSeconds) } });
  }
  const body = await parseBody(request, Body);
  const config = getConfig(env);
  let identity;
  try {
    identity = await verifyIdToken(body.id_token, { auth0Domain: config.AUTH0_DOMAIN, clientId: config.AUTH0_CLIENT_ID, nonce: body.nonce });
  } catch (err) {
    if (err instanceof IdTokenRejected) {
      log("warn", "signin_rejected", { requestId: context.requestId, code: err.code });
      return jsonError(401, err.code, err.message);
    }
    throw err;
  }
  const db = getDb(env);
  // email_verified is stored as the provider states it now (it can go back to false when the
  // address changes); transfer offers, addressed by email, trust only a verified one.
  const user = await upsertUserFromIdentity(db, identity);
  // A fresh id at every sign-in; any session this browser had before is ended (no fixation).
  const previous = readSessionId(request);
  if (previous) await destroySession(env, previous);
  const session = await createSession(env, user);
  log("info", "signin", { requestId: context.requestId, userId: user.id, emailVerified: user.emailVerified });
  return jsonOk(
    { user: { id: user.id, email: user.email, emailVerified: user.emailVerified, voiceTier: await voiceTierForUser(db, user.id) } },
    { headers: { "Set-Cookie": session.cookie } },
  );
}

export async function loader() {
  return jsonError(405, "method_not_allowed", "Use POST with a JSON body { id_token }.");
}
