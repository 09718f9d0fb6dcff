/**
 * Everything /account/devices shows, read in ONE batch (read while D1 confirms the session, see
 * `requireUserAnd` in app/lib/auth.server.ts, so it must only read):
 * the owner's devices with their status, the transfer offers for and from them, and each device's
 * history since this owner's ownership began. Every statement is scoped by the reader's id (or
 * verified email for offers addressed to them), never by an id from the request.
 */
import type { Deps } from "../deps.server";
import { myDevicesQueries, ownershipHistoryQuery, toMyDevices } from "./reads.server";
import { toTransfers, transferQueries } from "./transfers.server";

export async function devicesPage({ db }: Deps, reader: { id: string; email: string }, now = Date.now()) {
  const [owned, trials, subs, ents, me, incoming, outgoing, history] = await db.batch([
    ...myDevicesQueries(db, reader.id),
    ...transferQueries(db, reader, now),
    ownershipHistoryQuery(db, reader.id),
  ]);
  return { now, devices: toMyDevices([owned, trials, subs, ents], now), ...toTransfers([me, incoming, outgoing]), history };
}
