/**
 * Everything /account/devices shows, read in ONE batch (one D1 round trip after the session check):
 * the owner's devices with their status, the transfer offers for and from them, and each device's
 * history since this owner's ownership began. Every statement is scoped by the actor's id (or
 * verified email for offers addressed to them), never by an id from the request.
 */
import type { Actor, Deps } from "../deps.server";
import { myDevicesQueries, ownershipHistoryQuery, toMyDevices } from "./reads.server";
import { toTransfers, transferQueries } from "./transfers.server";

export async function devicesPage({ db }: Deps, actor: Actor) {
  const now = actor.now ?? Date.now();
  const [owned, trials, subs, ents, me, incoming, outgoing, history] = await db.batch([
    ...myDevicesQueries(db, actor.user.id),
    ...transferQueries(db, actor.user, now),
    ownershipHistoryQuery(db, actor.user.id),
  ]);
  return { now, devices: toMyDevices([owned, trials, subs, ents], now), ...toTransfers([me, incoming, outgoing]), history };
}
