/** What the account overview shows about the signed-in user besides the profile, read in one D1 batch. */
import { and, count, eq } from "drizzle-orm";
import { deviceOwnerships } from "~/db/schema";
import type { VoiceTierCode } from "~/domain/plans";
import type { Deps } from "../deps.server";
import { voiceTierFactsFrom, voiceTierQuery } from "../voice/tier.server";

export async function accountOverview(deps: Deps, userId: string, now: number = Date.now()): Promise<{ deviceCount: number; voiceTier: VoiceTierCode }> {
  const { db } = deps;
  const [[devices], tierRows] = await db.batch([
    db
      .select({ n: count() })
      .from(deviceOwnerships)
      .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active"))),
    voiceTierQuery(db, userId),
  ]);
  return { deviceCount: devices?.n ?? 0, voiceTier: voiceTierFactsFrom(tierRows, now).tier };
}
