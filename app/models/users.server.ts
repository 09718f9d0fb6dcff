import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { users, type User } from "~/db/schema";
import type { MailLocale } from "~/domain/mail-policy";
import type { VerifiedIdentity } from "~/lib/id-token.server";
import type { Deps } from "./deps.server";

/**
 * The upsert by Auth0 subject that a sign-in runs: email, whether the provider has verified it,
 * name and last login follow the identity provider at every sign-in (an address changed at the
 * provider comes back unverified), the mail language the browser's Accept-Language (ADR 019). An existing user is only updated WHERE `guard` holds (the
 * sign-in's receipt, app/models/identity/sign-in.server.ts); a new one has nothing to guard.
 */
export function userUpsertStatement(db: Db, identity: VerifiedIdentity, now: number, guard: SQL, locale: MailLocale | null = null) {
  return db
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      auth0Sub: identity.sub,
      email: identity.email,
      emailVerified: identity.emailVerified,
      name: identity.name,
      locale,
      createdAt: now,
      lastLoginAt: now,
    })
    .onConflictDoUpdate({
      target: users.auth0Sub,
      // A sign-in without a language we write keeps the one seen before.
      set: {
        email: identity.email,
        emailVerified: identity.emailVerified,
        name: identity.name,
        lastLoginAt: now,
        locale: sql`COALESCE(excluded.locale, ${users.locale})`,
      },
      setWhere: guard,
    })
    .returning();
}

export async function getUserById({ db }: Deps, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

/**
 * Ends every session of the user at once, everywhere (ADR 006), and refuses every ID token issued
 * before now (ADR 012), in one statement. Returns the new epoch.
 */
export async function bumpSessionEpoch({ db }: Deps, userId: string, now = Date.now()): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionEpoch: sql`${users.sessionEpoch} + 1`, sessionsValidAfter: now })
    .where(eq(users.id, userId))
    .returning({ epoch: users.sessionEpoch });
  return row?.epoch ?? 0;
}

/** The language the user chose with the switcher: their mails follow it from now on (ADR 028). */
export async function setUserLocale({ db }: Deps, userId: string, locale: MailLocale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
