import { TRIAL_DAYS } from "~/domain/device-ownership";
import { useT } from "~/i18n/react";
import { formatDate, formatNumber } from "~/lib/format";

/**
 * The free trial's days left as a bar (a <meter>, named by the sentence beside it, so the number
 * is read out and never carried by colour alone).
 */
export function TrialMeter({ id, daysLeft, endsAt, locale, zone }: { id: string; daysLeft: number; endsAt: number; locale: string; zone: string }) {
  const t = useT("services");
  const left = Math.max(0, Math.min(TRIAL_DAYS, daysLeft));
  const textId = `trial-left-${id}`;
  return (
    <div className="trial-meter" data-testid="trial-meter">
      <meter aria-labelledby={textId} min={0} max={TRIAL_DAYS} value={left} low={Math.ceil(TRIAL_DAYS / 6)} high={TRIAL_DAYS} optimum={TRIAL_DAYS} />
      <span id={textId}>
        {t.rich("trialMeter", {
          left: formatNumber(left, locale),
          total: formatNumber(TRIAL_DAYS, locale),
          date: formatDate(endsAt, locale, zone),
          b: (c) => <strong>{c}</strong>,
        })}
      </span>
    </div>
  );
}
