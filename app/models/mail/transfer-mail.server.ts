/**
 * The transfer mails' outbox rows (ADR 019), for the offer's and the accept's batches. An offer is
 * mailed only to a user we know with that address, verified by Auth0: the address is what the
 * sender typed, so mailing it as typed would let anyone make us mail anyone. Whoever isn't a
 * verified user gets the link from the sender, who sees it on the page.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Stmt } from "~/db/d1.server";
import { cameraLabel } from "~/domain/camera-name";
import { getConfig } from "~/lib/config.server";
import { paths } from "~/lib/paths";
import type { Deps } from "../deps.server";
import { enqueueMail, userWithEmail, userWithId } from "./outbox.server";

export function transferOfferedMail(
  { db, env }: Deps,
  t: { transferId: string; toEmail: string; fromEmail: string; camera: { name: string | null; model: string }; token: string; expiresAt: number; now: number },
): Stmt {
  return enqueueMail(db, {
    kind: "transfer_offered",
    causeId: t.transferId,
    recipient: userWithEmail(t.toEmail),
    payload: {
      cameraName: cameraLabel(t.camera),
      fromEmail: t.fromEmail,
      acceptUrl: new URL(paths.transferLink(t.token), getConfig(env).APP_ORIGIN).toString(),
      expiresAt: t.expiresAt,
    },
    now: t.now,
  });
}

/** To the sender, written only WHERE `guard` (the accept's receipt) holds: only a batch that moved the camera mails. */
export function transferAcceptedMail(
  { db, env }: Deps,
  t: { transferId: string; fromUserId: string; toEmail: string; camera: { name: string | null; model: string }; guard: SQL; now: number },
): Stmt {
  return enqueueMail(db, {
    kind: "transfer_accepted",
    causeId: t.transferId,
    recipient: sql`${userWithId(t.fromUserId)} AND ${t.guard}`,
    payload: { cameraName: cameraLabel(t.camera), toEmail: t.toEmail, devicesUrl: new URL(paths.devices, getConfig(env).APP_ORIGIN).toString() },
    now: t.now,
  });
}
