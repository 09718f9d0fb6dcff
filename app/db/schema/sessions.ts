import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A signed-out session's KV key hash, kept until the session could no longer be valid anyway.
 * KV deletes take up to ~60 s to reach every location; this row makes a sign-out effective at once
 * everywhere (every authenticated request reads it in the same batch as the user).
 */
export const sessionRevocations = sqliteTable(
  "session_revocations",
  {
    sessionHash: text("session_hash").primaryKey(),
    userId: text("user_id").notNull(),
    revokedAt: integer("revoked_at").notNull(),
    /** After this the session is past its absolute lifetime; the cron may delete the row. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("session_revocations_expires_idx").on(t.expiresAt)],
);

/** Fixed-window counters for rate limits (sign-in per IP; activation attempts per serial and account, account, client network: ADR 013). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

/**
 * A sign-in started by GET /api/auth/login (ADR 012): the state, nonce and PKCE verifier we sent
 * to Auth0, bound to the browser that started it, until its callback consumes the row (one DELETE …
 * RETURNING: single use) or it expires. Only hashes of the state and of the browser binding are
 * stored; the nonce and verifier must be readable to finish the exchange.
 */
export const signInTransactions = sqliteTable(
  "sign_in_transactions",
  {
    stateHash: text("state_hash").primaryKey(),
    browserHash: text("browser_hash").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    /** Already checked by safeReturnTo; checked again before the redirect. */
    returnTo: text("return_to").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sign_in_transactions_expires_idx").on(t.expiresAt)],
);

/**
 * The nonce (hashed) of every ID token that started a session, on either path: the primary key
 * makes a token single use. Kept until the token is too old to be accepted anyway.
 */
export const idTokenNonces = sqliteTable(
  "id_token_nonces",
  {
    nonceHash: text("nonce_hash").primaryKey(),
    sub: text("sub").notNull(),
    usedAt: integer("used_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("id_token_nonces_expires_idx").on(t.expiresAt)],
);
