import { Link } from "@remix-run/react";
import { cameraLabel } from "~/domain/camera-name";
import { useT } from "~/i18n/react";
import { planDisplayName, renewalText, type ServicesT } from "~/lib/billing-copy";
import { paths } from "~/lib/paths";
import { PortalButton } from "./PortalButton";

type DevicePlan = { source: string; status: string; code?: string | null; name: string; subscriptionId?: string | null } & Parameters<typeof renewalText>[0];

export interface CameraPlanRow {
  id: string;
  name: string | null;
  model: string;
  serial: string;
  historyDays: number;
  plan: DevicePlan;
}

function statusLabel(plan: DevicePlan, t: ServicesT): { text: string; tone: "ok" | "warn" | "plain" } {
  if (plan.source === "none") return { text: t("status.none"), tone: "plain" };
  if (plan.status === "ACTIVE") return { text: plan.source === "trial" ? t("status.trial") : t("status.active"), tone: "ok" };
  if (plan.status === "INACTIVE") return { text: t("status.paymentProblem"), tone: "warn" };
  if (plan.status === "CANCELLED") return { text: t("status.cancelled"), tone: "plain" };
  if (plan.status === "EXPIRED") return { text: t("status.expired"), tone: "plain" };
  return { text: plan.status.toLowerCase(), tone: "plain" };
}

/** /account/services: each camera with its one plan, status, renewal and a way to its billing. */
export function CameraPlansTable({ devices, locale, busy }: { devices: readonly CameraPlanRow[]; locale: string; busy: boolean }) {
  const t = useT("services");
  return (
    <>
      {devices.length === 0 ? (
        <p>{t.rich("cameras.empty", { link: (c) => <Link to={paths.devices}>{c}</Link> })}</p>
      ) : (
        <table className="services-table">
          <caption className="visually-hidden">{t("cameras.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cameras.camera")}</th>
              <th scope="col">{t("cameras.plan")}</th>
              <th scope="col">{t("cameras.status")}</th>
              <th scope="col">{t("cameras.renewal")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("cameras.billing")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => {
              const s = statusLabel(d.plan, t);
              return (
                <tr key={d.id} data-device-id={d.id}>
                  <th scope="row">
                    {cameraLabel(d)}
                    <span className="muted device-serial">{d.serial}</span>
                  </th>
                  <td data-testid="plan-name">
                    {planDisplayName(d.plan, t)}
                    <span className="muted device-serial">{d.historyDays > 0 ? t("cameras.history", { days: d.historyDays }) : t("cameras.noHistory")}</span>
                  </td>
                  <td>
                    <span className={s.tone === "ok" ? "badge badge--ok" : s.tone === "warn" ? "badge badge--warn" : "badge"} data-testid="plan-status">
                      {s.text}
                    </span>
                  </td>
                  <td data-testid="plan-renewal">{renewalText(d.plan, locale, t)}</td>
                  <td>
                    {d.plan.source === "stripe" && d.plan.subscriptionId ? (
                      <PortalButton subscriptionId={d.plan.subscriptionId} label={t("cameras.manageBilling")} busy={busy} describedBy={`cam-${d.id}`} />
                    ) : null}
                    <span id={`cam-${d.id}`} className="visually-hidden">
                      {t("cameras.forCamera", { camera: cameraLabel(d), serial: d.serial })}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
