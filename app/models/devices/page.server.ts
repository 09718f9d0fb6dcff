/**
 * Everything /account/devices shows, read in ONE batch — the session check's own (see
 * `requireUserAndRead` in app/lib/auth.server.ts), so it must only read: the owner's devices with
 * their status and the transfer offers for and from them (a camera's history is on its own page).
 * Every statement is scoped by the reader's id (or verified email for offers addressed to them),
 * never by an id from the request.
 */
import type { Db } from "~/db/client.server";
import type { BatchRows } from "~/db/d1.server";
import { myDevicesQueries, toMyDevices } from "./reads.server";
import { toTransfers, transferQueries } from "./transfers.server";

type Reader = { id: string; email: string };

const statementsOf = (db: Db, reader: Reader, now: number) => [...myDevicesQueries(db, reader.id), ...transferQueries(db, reader, now)] as const;

/** The page's reads, for `requireUserAndRead`: its statements and what their rows make. */
export function devicesPageRead(db: Db, now = Date.now()) {
  return {
    statements: (reader: Reader) => statementsOf(db, reader, now),
    then: (rows: unknown[], user: { emailVerified: boolean }) => {
      const [owned, trials, subs, ents, incoming, outgoing] = rows as unknown as BatchRows<ReturnType<typeof statementsOf>>;
      return { now, devices: toMyDevices([owned, trials, subs, ents], now), ...toTransfers([incoming, outgoing], user) };
    },
  };
}
