/**
 * The support view's one read (ADR 025): a customer by e-mail or a camera by serial, with
 * everything a support answer needs on one page: ownership history, trial, plans (with their
 * Stripe Dashboard links), transfers, SIM, retention, mails and the audit timeline.
 */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { auditLog, deviceOwnerships, deviceRetention, devices, deviceTransfers, deviceTrials, mailOutbox, simCards, subscriptions, users } from "~/db/schema";
import { mailResendable, parseOpsQuery, stripeDashboardUrl } from "~/domain/ops-view";
import { refuse, type Refusal } from "~/domain/result";
import type { Deps } from "../deps.server";

const AUDIT_ROWS = 60;

export type Dossier = Awaited<ReturnType<typeof deviceDossier>>;
export type CustomerCard = Awaited<ReturnType<typeof customerCard>>;
export type LookupResult =
  | { ok: true; query: string; kind: "email" | "serial"; customers: CustomerCard[]; devices: Dossier[] }
  | Refusal<"invalid_request", { issues: { field: string; message: string }[] }>;

const withStripeLink = (secretKey: string) => (s: typeof subscriptions.$inferSelect) => ({
  ...s,
  subscriptionUrl: s.source === "stripe" ? stripeDashboardUrl("subscription", s.externalId, secretKey) : null,
  customerUrl: s.stripeCustomerId ? stripeDashboardUrl("customer", s.stripeCustomerId, secretKey) : null,
});

async function deviceDossier(db: Db, env: Env, deviceId: string) {
  const [rows, owners, trials, subs, transfers, sims, retention, audit] = await db.batch([
    db.select().from(devices).where(eq(devices.id, deviceId)).limit(1),
    db
      .select({ o: deviceOwnerships, email: users.email })
      .from(deviceOwnerships)
      .leftJoin(users, eq(users.id, deviceOwnerships.userId))
      .where(eq(deviceOwnerships.deviceId, deviceId))
      .orderBy(desc(deviceOwnerships.startedAt)),
    db
      .select({ t: deviceTrials, email: users.email })
      .from(deviceTrials)
      .leftJoin(users, eq(users.id, deviceTrials.userId))
      .where(eq(deviceTrials.deviceId, deviceId)),
    db.select().from(subscriptions).where(eq(subscriptions.deviceId, deviceId)).orderBy(desc(subscriptions.createdAt)),
    db.select().from(deviceTransfers).where(eq(deviceTransfers.deviceId, deviceId)).orderBy(desc(deviceTransfers.createdAt)),
    db.select().from(simCards).where(eq(simCards.deviceId, deviceId)),
    db.select().from(deviceRetention).where(eq(deviceRetention.deviceId, deviceId)).limit(1),
    db.select().from(auditLog).where(eq(auditLog.deviceId, deviceId)).orderBy(desc(auditLog.at)).limit(AUDIT_ROWS),
  ]);
  return {
    device: rows[0]!,
    ownerships: owners.map((r) => ({ ...r.o, email: r.email })),
    trial: trials[0] ? { ...trials[0].t, email: trials[0].email } : null,
    subscriptions: subs.map(withStripeLink(env.STRIPE_SECRET_KEY)),
    transfers: transfers.map(({ tokenHash: _hidden, ...t }) => t),
    sims,
    retention: retention[0] ?? null,
    audit,
  };
}

async function customerCard(db: Db, env: Env, user: typeof users.$inferSelect) {
  const [voice, mails, audit] = await db.batch([
    db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, user.id), isNull(subscriptions.deviceId)))
      .orderBy(desc(subscriptions.createdAt)),
    db
      .select({
        id: mailOutbox.id,
        kind: mailOutbox.kind,
        causeId: mailOutbox.causeId,
        toEmail: mailOutbox.toEmail,
        status: mailOutbox.status,
        attempts: mailOutbox.attempts,
        nextAttemptAt: mailOutbox.nextAttemptAt,
        lastError: mailOutbox.lastError,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
        hasPayload: sql<number>`${mailOutbox.payload} IS NOT NULL`,
      })
      .from(mailOutbox)
      .where(eq(mailOutbox.toUserId, user.id))
      .orderBy(desc(mailOutbox.createdAt))
      .limit(50),
    db
      .select()
      .from(auditLog)
      .where(or(eq(auditLog.actorUserId, user.id), sql`json_extract(${auditLog.detailJson}, '$.userId') = ${user.id}`))
      .orderBy(desc(auditLog.at))
      .limit(AUDIT_ROWS),
  ]);
  return {
    user: {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerified,
      name: user.name,
      createdAt: user.createdAt,
      lastLoginAt: user.lastLoginAt,
      stripeCustomerId: user.stripeCustomerId,
      stripeCustomerUrl: user.stripeCustomerId ? stripeDashboardUrl("customer", user.stripeCustomerId, env.STRIPE_SECRET_KEY) : null,
    },
    voiceSubscriptions: voice.map(withStripeLink(env.STRIPE_SECRET_KEY)),
    mails: mails.map((m) => ({ ...m, resendable: mailResendable({ status: m.status, payload: m.hasPayload ? "kept" : null }) })),
    audit,
  };
}

/** Everything about the customer(s) with this e-mail and their cameras, or about one camera. */
export async function lookUp({ db, env }: Deps, raw: string): Promise<LookupResult> {
  const q = parseOpsQuery(raw);
  if (!q) return refuse("invalid_request", { issues: [{ field: "q", message: "Enter a customer's e-mail address or a camera serial (e.g. N4K-000099)." }] });
  let customerRows: (typeof users.$inferSelect)[] = [];
  let deviceIds: string[] = [];
  if (q.kind === "email") {
    customerRows = await db
      .select()
      .from(users)
      .where(sql`lower(trim(${users.email})) = ${q.email}`)
      .limit(10);
    if (customerRows.length) {
      const ids = customerRows.map((u) => u.id);
      const owned = await db.selectDistinct({ deviceId: deviceOwnerships.deviceId }).from(deviceOwnerships).where(inArray(deviceOwnerships.userId, ids));
      const offered = await db
        .selectDistinct({ deviceId: deviceTransfers.deviceId })
        .from(deviceTransfers)
        .where(or(inArray(deviceTransfers.fromUserId, ids), eq(deviceTransfers.toEmail, q.email)));
      deviceIds = [...new Set([...owned, ...offered].map((r) => r.deviceId))];
    }
  } else {
    const [d] = await db.select({ id: devices.id }).from(devices).where(eq(devices.serial, q.serial)).limit(1);
    if (d) deviceIds = [d.id];
  }
  const dossiers = [];
  for (const id of deviceIds.slice(0, 20)) dossiers.push(await deviceDossier(db, env, id));
  const cards = [];
  for (const u of customerRows) cards.push(await customerCard(db, env, u));
  return { ok: true, query: raw.trim(), kind: q.kind, customers: cards, devices: dossiers.filter((d) => d.device) };
}
