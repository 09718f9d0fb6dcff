/**
 * GET /api/user/export (ADR 026): everything we hold about the signed-in customer, as one JSON
 * document. Every read is by the actor's own id; camera events are only those the app would show
 * them today (their current cameras, within each camera's access window: app/models/events/access).
 */
import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import {
  cameraEvents,
  deviceOwnerships,
  devices,
  deviceTransfers,
  entitlements,
  orders,
  subscriptions,
  users,
  voiceClones,
  voicePresets,
  voiceRecordings,
  voiceUsage,
} from "~/db/schema";
import type { Actor, Deps } from "../deps.server";
import { camerasOf } from "../events/access.server";

/** Newest events per camera in an export (an export is a download, not an archive of footage). */
export const EXPORT_EVENTS_PER_CAMERA = 5000;

export async function exportAccount(deps: Deps, actor: Actor) {
  const { db } = deps;
  const userId = actor.user.id;
  const now = actor.now ?? Date.now();
  const [[user], ownerships, subs, ents, orderRows, recordings, clones, presets, usage, offers, cameras] = await Promise.all([
    db.select().from(users).where(eq(users.id, userId)).limit(1),
    db
      .select({ ownership: deviceOwnerships, serial: devices.serial, model: devices.model })
      .from(deviceOwnerships)
      .innerJoin(devices, eq(devices.id, deviceOwnerships.deviceId))
      .where(eq(deviceOwnerships.userId, userId))
      .orderBy(asc(deviceOwnerships.startedAt)),
    db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).orderBy(asc(subscriptions.createdAt)),
    db.select().from(entitlements).where(eq(entitlements.userId, userId)).orderBy(asc(entitlements.startsAt)),
    db.select().from(orders).where(eq(orders.userId, userId)).orderBy(asc(orders.createdAt)),
    db.select().from(voiceRecordings).where(eq(voiceRecordings.userId, userId)).orderBy(asc(voiceRecordings.createdAt)),
    db.select().from(voiceClones).where(eq(voiceClones.userId, userId)),
    db.select().from(voicePresets).where(eq(voicePresets.userId, userId)),
    db.select().from(voiceUsage).where(eq(voiceUsage.userId, userId)),
    db.select().from(deviceTransfers).where(eq(deviceTransfers.fromUserId, userId)),
    camerasOf(deps, userId, now),
  ]);
  const events = await Promise.all(
    cameras.map(async (c) =>
      c.window
        ? db
            .select()
            .from(cameraEvents)
            .where(
              and(
                eq(cameraEvents.deviceId, c.device.id),
                gte(cameraEvents.at, Math.max(c.window.start, c.ownershipStartedAt)),
                lte(cameraEvents.at, c.window.end),
              ),
            )
            .orderBy(desc(cameraEvents.at))
            .limit(EXPORT_EVENTS_PER_CAMERA)
        : [],
    ),
  );
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  return {
    format: "aovis-account-export/1",
    exportedAt: iso(now),
    profile: user
      ? {
          id: user.id,
          email: user.email,
          emailVerified: user.emailVerified,
          name: user.name,
          timeZone: user.timeZone,
          locale: user.locale,
          createdAt: iso(user.createdAt),
          lastLoginAt: iso(user.lastLoginAt),
          stripeCustomerId: user.stripeCustomerId,
        }
      : null,
    cameras: ownerships.map(({ ownership: o, serial, model }) => ({
      deviceId: o.deviceId,
      serial,
      model,
      name: o.name,
      status: o.status,
      ownedFrom: iso(o.startedAt),
      ownedUntil: iso(o.endedAt),
      endReason: o.endReason,
    })),
    subscriptions: subs.map((s) => ({
      id: s.id,
      source: s.source,
      sku: s.sku,
      planCode: s.planCode,
      deviceId: s.deviceId,
      status: s.status,
      stripeSubscriptionId: s.source === "stripe" ? s.externalId : null,
      currentPeriodStart: iso(s.currentPeriodStart),
      currentPeriodEnd: iso(s.currentPeriodEnd),
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      endedAt: iso(s.endedAt),
      createdAt: iso(s.createdAt),
    })),
    entitlements: ents.map((e) => ({
      key: e.key,
      sku: e.sku,
      deviceId: e.deviceId,
      quota: e.quota,
      status: e.status,
      startsAt: iso(e.startsAt),
      expiresAt: iso(e.expiresAt),
    })),
    orders: orderRows.map((o) => ({
      id: o.id,
      sku: o.sku,
      quantity: o.quantity,
      amountTotal: o.amountTotal,
      currency: o.currency,
      status: o.status,
      shippingName: o.shippingName,
      shippingAddress: o.shippingAddressJson ? (JSON.parse(o.shippingAddressJson) as unknown) : null,
      createdAt: iso(o.createdAt),
    })),
    transferOffers: offers.map((t) => ({
      deviceId: t.deviceId,
      toEmail: t.toEmail,
      status: t.status,
      createdAt: iso(t.createdAt),
      decidedAt: iso(t.decidedAt),
    })),
    voice: {
      usage: usage.map((u) => ({ month: u.month, used: u.used })),
      recordings: recordings
        .filter((r) => r.status !== "deleting")
        .map((r) => ({
          id: r.id,
          text: r.text,
          voiceId: r.voiceId,
          voiceName: r.voiceName,
          settings: JSON.parse(r.settingsJson) as unknown,
          preset: r.preset ?? r.presetUsed,
          status: r.status,
          favorite: r.favorite,
          size: r.size,
          contentType: r.contentType,
          createdAt: iso(r.createdAt),
          expiresAt: iso(r.expiresAt),
          audioUrl: r.status === "ready" ? `/api/recordings/${encodeURIComponent(r.id)}/audio` : null,
        })),
      clones: clones.map((c) => ({ voiceId: c.voiceId, name: c.name, sampleCount: c.sampleCount, createdAt: iso(c.createdAt) })),
      presets: presets.map((p) => ({
        id: p.id,
        name: p.name,
        stability: p.stability,
        similarityBoost: p.similarityBoost,
        style: p.style,
        speed: p.speed,
        createdAt: iso(p.createdAt),
      })),
    },
    cameraEvents: cameras.map((c, i) => ({
      deviceId: c.device.id,
      window: c.window ? { from: iso(Math.max(c.window.start, c.ownershipStartedAt)), to: iso(c.window.end) } : null,
      events: events[i].map((e) => ({
        id: e.id,
        type: e.type,
        at: iso(e.at),
        confidence: e.confidence,
        labels: e.cameraLabels,
        description: e.description,
      })),
    })),
  };
}

export type AccountExport = Awaited<ReturnType<typeof exportAccount>>;
