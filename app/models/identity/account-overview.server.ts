/** What the account overview shows about the signed-in user besides the profile. */
import { and, count, eq } from "drizzle-orm";
import { deviceOwnerships } from "~/db/schema";
import type { VoiceTierCode } from "~/domain/plans";
import type { Deps } from "../deps.server";
import { voiceTier as voiceTierOf } from "../voice/tier.server";

export async function accountOverview(deps: Deps, userId: string): Promise<{ deviceCount: number; voiceTier: VoiceTierCode }> {
  const { db } = deps;
  const [[devices], voiceTier] = await Promise.all([
    db
      .select({ n: count() })
      .from(deviceOwnerships)
      .where(and(eq(deviceOwnerships.userId, userId), eq(deviceOwnerships.status, "active"))),
    voiceTierOf(deps, userId),
  ]);
  return { deviceCount: devices?.n ?? 0, voiceTier };
}
