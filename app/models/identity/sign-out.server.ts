/** Signing out: this browser, or everywhere (ADR 006). */
import { log } from "~/lib/log.server";
import { destroySession } from "~/lib/sessions.server";
import type { Actor, Deps } from "../deps.server";
import { bumpSessionEpoch } from "../users.server";

/** Ends this browser's session (KV + D1 revocation). */
export async function signOut(deps: Deps, sessionId: string | null): Promise<void> {
  if (sessionId) await destroySession(deps, sessionId);
}

/**
 * Ends every session of the user at once, everywhere: the epoch bump makes D1 refuse them all from
 * the next request on, in every location; this browser's own session is revoked as well.
 */
export async function signOutEverywhere(deps: Deps, actor: Actor, sessionId: string | null): Promise<void> {
  await bumpSessionEpoch(deps, actor.user.id);
  await signOut(deps, sessionId);
  log("info", "signout_everywhere", { requestId: actor.requestId, userId: actor.user.id });
}
