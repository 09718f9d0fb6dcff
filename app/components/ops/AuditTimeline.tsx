import { formatDateTime } from "~/lib/format";

export interface AuditRow {
  id: string;
  at: number;
  event: string;
  actorUserId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  detailJson: string;
}

/** Refusals and staff actions get their own colour on the line; the text says it too. */
function tone(event: string): "staff" | "refused" | "plain" {
  if (event.endsWith("_by_staff") || event.includes("by_staff")) return "staff";
  if (/refused|denied|blocked|failed|paid_twice/.test(event)) return "refused";
  return "plain";
}

function staffOf(detailJson: string): string | null {
  try {
    const d = JSON.parse(detailJson) as { staff?: { email?: string } };
    return d.staff?.email ?? null;
  } catch {
    return null;
  }
}

/** The audit trail as a vertical timeline (an ordered list drawn with CSS; newest first). */
export function AuditTimeline({ rows, label }: { rows: AuditRow[]; label: string }) {
  if (rows.length === 0) return <p className="ops-muted">No audit events.</p>;
  return (
    <ol className="ops-timeline" aria-label={label}>
      {rows.map((r) => {
        const t = tone(r.event);
        const staff = staffOf(r.detailJson);
        return (
          <li key={r.id} className={`ops-tl-${t}`}>
            <time dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at, "en")} UTC</time>
            <span className="ops-tl-event">
              {r.event.replace(/_/g, " ")}
              {t === "refused" ? <span className="ops-tag">refused / failed</span> : null}
              {staff ? <span className="ops-tag ops-tag-staff">staff: {staff}</span> : null}
            </span>
            <details>
              <summary>Details</summary>
              <pre>
                {JSON.stringify(
                  { actor: r.actorUserId, subject: r.subjectType ? `${r.subjectType} ${r.subjectId}` : null, ...safeParse(r.detailJson) },
                  null,
                  2,
                )}
              </pre>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

function safeParse(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return {};
  }
}
