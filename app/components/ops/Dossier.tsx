import { Form, useNavigation } from "@remix-run/react";
import { formatDate, formatDateTime } from "~/lib/format";
import type { CustomerCard, Dossier } from "~/models/ops/lookup.server";
import { AuditTimeline } from "./AuditTimeline";

// Loader data arrives JSON-serialised; the shapes are the same (numbers, strings, booleans).
type Json<T> = T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

const when = (ms: number | null | undefined) => (ms ? `${formatDateTime(ms, "en")} UTC` : "—");
const day = (ms: number | null | undefined) => (ms ? formatDate(ms, "en") : "—");

function ActionButton({ intent, fields, label, confirm }: { intent: string; fields: Record<string, string>; label: string; confirm?: string }) {
  const nav = useNavigation();
  const busy = nav.state !== "idle" && nav.formData?.get("intent") === intent && Object.entries(fields).every(([k, v]) => nav.formData?.get(k) === v);
  return (
    <Form method="post" className="ops-inline-form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {confirm ? <input type="hidden" name="reason" value={confirm} /> : null}
      <button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? "Working…" : label}
      </button>
    </Form>
  );
}

function Subscriptions({ rows }: { rows: Json<Dossier["subscriptions"]> }) {
  if (rows.length === 0) return <p className="ops-muted">No plans.</p>;
  return (
    <div className="ops-table-wrap" tabIndex={0} role="region" aria-label="Plans (scrolls sideways on a narrow screen)">
      <table>
        <thead>
          <tr>
            <th scope="col">Plan</th>
            <th scope="col">Status</th>
            <th scope="col">Period end</th>
            <th scope="col">Stripe</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id}>
              <td>
                {s.sku} <span className="ops-muted">({s.source})</span>
              </td>
              <td>
                {s.status}
                {s.stripeStatus ? <span className="ops-muted"> · {s.stripeStatus}</span> : null}
                {s.cancelAtPeriodEnd ? <span className="ops-muted"> · cancels at period end</span> : null}
              </td>
              <td>{day(s.currentPeriodEnd)}</td>
              <td>
                {s.subscriptionUrl ? <a href={s.subscriptionUrl}>Subscription {s.externalId}</a> : "—"}
                {s.customerUrl ? (
                  <>
                    {" · "}
                    <a href={s.customerUrl}>Customer</a>
                  </>
                ) : null}
              </td>
              <td>{s.source === "stripe" ? <ActionButton intent="resync" fields={{ subscriptionId: s.externalId }} label="Re-sync from Stripe" /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeviceSection({ d }: { d: Json<Dossier> }) {
  const id = `device-${d.device.id}`;
  return (
    <section className="ops-card" aria-labelledby={id}>
      <h2 id={id}>
        Camera {d.device.serial} <span className="ops-muted">· {d.device.model}</span>
      </h2>
      <dl className="ops-facts">
        <dt>Device id</dt>
        <dd>
          <code>{d.device.id}</code>
        </dd>
        <dt>Trial</dt>
        <dd>
          {d.trial
            ? `granted ${when(d.trial.grantedAt)} to ${d.trial.email ?? d.trial.userId}, ends ${when(d.trial.expiresAt)} (once per camera, ever)`
            : "never granted"}
        </dd>
        <dt>SIM</dt>
        <dd>
          {d.sims.length
            ? d.sims.map((s) => `${s.iccid} (user ${s.userId ?? "none"})`).join(", ")
            : d.device.iccid
              ? `ICCID ${d.device.iccid} (no SIM record)`
              : "none"}
        </dd>
        <dt>Retention</dt>
        <dd>
          {d.retention
            ? `${d.retention.retentionHours ?? "?"} h of ${d.retention.targetHours} h target · ${d.retention.status}`
            : "not checked yet (the hourly kvs_retention sweep records it)"}
        </dd>
      </dl>
      <h3>Ownership history</h3>
      {d.ownerships.length ? (
        <ol className="ops-list">
          {d.ownerships.map((o) => (
            <li key={o.id}>
              <strong>{o.email ?? o.userId}</strong> — {o.status === "active" ? "current owner" : `ended (${o.endReason ?? "?"}) ${when(o.endedAt)}`}, since{" "}
              {when(o.startedAt)}
            </li>
          ))}
        </ol>
      ) : (
        <p className="ops-muted">Never activated.</p>
      )}
      <h3>Plans</h3>
      <Subscriptions rows={d.subscriptions} />
      <h3>Transfers</h3>
      {d.transfers.length ? (
        <ol className="ops-list">
          {d.transfers.map((t) => (
            <li key={t.id}>
              to <strong>{t.toEmail}</strong> — {t.status}, offered {when(t.createdAt)},{" "}
              {t.status === "offered" ? `expires ${when(t.expiresAt)}` : `decided ${when(t.decidedAt)}`}
              {t.includeSim ? " · with SIM" : ""}
              {t.status === "offered" ? (
                <ActionButton intent="end_transfer" fields={{ transferId: t.id }} label="End this offer" confirm="stuck offer ended by support" />
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="ops-muted">No transfers.</p>
      )}
      <h3>Audit timeline</h3>
      <AuditTimeline rows={d.audit} label={`Audit timeline of camera ${d.device.serial}`} />
    </section>
  );
}

export function CustomerSection({ c }: { c: Json<CustomerCard> }) {
  const id = `customer-${c.user.id}`;
  return (
    <section className="ops-card" aria-labelledby={id}>
      <h2 id={id}>Customer {c.user.email}</h2>
      <dl className="ops-facts">
        <dt>User id</dt>
        <dd>
          <code>{c.user.id}</code>
        </dd>
        <dt>E-mail verified</dt>
        <dd>{c.user.emailVerified ? "yes" : "no (cannot receive transfers)"}</dd>
        <dt>Joined</dt>
        <dd>{when(c.user.createdAt)}</dd>
        <dt>Last sign-in</dt>
        <dd>{when(c.user.lastLoginAt)}</dd>
        <dt>Stripe customer</dt>
        <dd>{c.user.stripeCustomerUrl ? <a href={c.user.stripeCustomerUrl}>{c.user.stripeCustomerId}</a> : "none yet"}</dd>
      </dl>
      <h3>Voice plans</h3>
      <Subscriptions rows={c.voiceSubscriptions} />
      <h3>Mails</h3>
      {c.mails.length ? (
        <ol className="ops-list">
          {c.mails.map((m) => (
            <li key={m.id}>
              <strong>{m.kind.replace(/_/g, " ")}</strong> to {m.toEmail} — {m.status}, {m.attempts} attempt(s), queued {when(m.createdAt)}
              {m.sentAt ? `, sent ${when(m.sentAt)}` : ""}
              {m.lastError ? <span className="ops-muted"> · last error: {m.lastError}</span> : null}
              {m.resendable ? <ActionButton intent="resend_mail" fields={{ mailId: m.id }} label="Send now" /> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="ops-muted">No mails.</p>
      )}
      <h3>Audit timeline</h3>
      <AuditTimeline rows={c.audit} label={`Audit timeline of ${c.user.email}`} />
    </section>
  );
}
