import { eq, sql } from "drizzle-orm";
import { users, type User } from "~/db/schema";
import type { VerifiedIdentity } from "~/lib/id-token.server";
import type { Deps } from "./deps.server";

/**
 * Upsert by Auth0 subject: email, whether the provider has verified it, name and last login follow
 * the identity provider at every sign-in (an address changed at the provider comes back unverified).
 */
export async function upsertUserFromIdentity({ db }: Deps, identity: VerifiedIdentity, now = Date.now()): Promise<User> {
  const [row] = await db
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      auth0Sub: identity.sub,
      email: identity.email,
      emailVerified: identity.emailVerified,
      name: identity.name,
      createdAt: now,
      lastLoginAt: now,
    })
    .onConflictDoUpdate({
      target: users.auth0Sub,
      set: { email: identity.email, emailVerified: identity.emailVerified, name: identity.name, lastLoginAt: now },
    })
    .returning();
  return row;
}

export async function getUserById({ db }: Deps, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

/** Ends every session of the user at once, everywhere (see ADR 006). Returns the new epoch. */
export async function bumpSessionEpoch({ db }: Deps, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionEpoch: sql`${users.sessionEpoch} + 1` })
    .where(eq(users.id, userId))
    .returning({ epoch: users.sessionEpoch });
  return row?.epoch ?? 0;
}
