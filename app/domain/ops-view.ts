/**
 * Pure rules of the support view (ADR 025): what a staff search means, where a Stripe object
 * lives in the Dashboard, and which mails staff may send again.
 */

export type OpsQuery = { kind: "email"; email: string } | { kind: "serial"; serial: string };

/** "demo@example.com" is a customer, "n4k-000099" a camera serial (upper-cased, as serials are stored). */
export function parseOpsQuery(raw: string): OpsQuery | null {
  const q = raw.trim();
  if (q.length === 0 || q.length > 254) return null;
  if (q.includes("@")) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(q) ? { kind: "email", email: q.toLowerCase() } : null;
  return /^[A-Za-z0-9-]{3,64}$/.test(q) ? { kind: "serial", serial: q.toUpperCase() } : null;
}

/** The Stripe Dashboard page of a customer or subscription, in the key's mode (test keys: /test/). */
export function stripeDashboardUrl(kind: "customer" | "subscription", id: string, secretKey: string): string {
  const test = /^(sk|rk)_test_/.test(secretKey);
  const section = kind === "customer" ? "customers" : "subscriptions";
  return `https://dashboard.stripe.com/${test ? "test/" : ""}${section}/${encodeURIComponent(id)}`;
}

/**
 * A mail staff may send now: only one still pending (waiting for its retry). A sent or given-up
 * mail has had its payload cleared on purpose (a transfer offer's carries a usable accept link,
 * ADR 019), so it cannot be sent again; the customer repeats the action that caused it instead.
 */
export function mailResendable(m: { status: string; payload: string | null }): boolean {
  return m.status === "pending" && m.payload !== null;
}

/** A stuck offer is one still open: staff can end it whatever its age (the cron ends it at 72 h). */
export function transferEndable(t: { status: string }): boolean {
  return t.status === "offered";
}
