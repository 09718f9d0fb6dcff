import { Link } from "@remix-run/react";
import { voiceTierByCode } from "~/domain/plans";
import { nextVoiceTier, UPGRADE_PROMPT_SHARE } from "~/domain/voice-tiers";
import { useT } from "~/i18n/react";
import { formatDate, formatNumber } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { StudioData } from "./types";

export function UsageLine({ usage, locale }: { usage: StudioData["usage"]; locale: string }) {
  const t = useT("voice");
  const n = (x: number) => formatNumber(x, locale);
  return (
    <div className="usage" data-testid="usage">
      <p>
        {usage.limit === null
          ? t.rich("usage.unlimited", { used: n(usage.used), strong: (c) => <strong>{c}</strong> })
          : t.rich("usage.limited", { used: n(usage.used), limit: n(usage.limit), count: (c) => <strong id="usage-count">{c}</strong> })}
        <span className="muted"> · {t("usage.resets", { date: formatDate(usage.resetDate, locale) })}</span>
      </p>
      {usage.limit === null ? null : (
        // The meter turns "high" where the upgrade offer starts (UPGRADE_PROMPT_SHARE).
        <meter
          className="usage-meter"
          aria-labelledby="usage-count"
          data-testid="usage-meter"
          min={0}
          max={usage.limit}
          value={Math.min(usage.used, usage.limit)}
          high={Math.ceil(usage.limit * UPGRADE_PROMPT_SHARE)}
          optimum={0}
        />
      )}
    </div>
  );
}

/** Above the Generate button from UPGRADE_PROMPT_SHARE of the allowance: the next tier, before the limit stops the studio. */
export function NearLimitPrompt({ usage, tier, locale }: { usage: StudioData["usage"]; tier: StudioData["tier"]; locale: string }) {
  const t = useT("voice");
  const next = nextVoiceTier(tier);
  if (!next || usage.limit === null) return null;
  const allowance =
    next.monthlyGenerations === null ? t("usage.allowanceUnlimited") : t("usage.allowanceMonthly", { count: formatNumber(next.monthlyGenerations, locale) });
  return (
    <div className="upgrade-prompt upgrade-prompt--soon" data-testid="near-limit-prompt">
      <p>{t("usage.nearLimit", { used: formatNumber(usage.used, locale), limit: formatNumber(usage.limit, locale), plan: next.name, allowance })}</p>
      <p className="actions">
        <button type="submit" form="voice-upgrade" className="button--ghost" data-testid="near-limit-upgrade">
          {t("usage.upgradeTo", { plan: next.name })}
        </button>
      </p>
    </div>
  );
}

/** In place of the Generate button once the month's allowance is used. */
export function UpgradePrompt({ usage, tier, locale }: { usage: StudioData["usage"]; tier: StudioData["tier"]; locale: string }) {
  const t = useT("voice");
  const next = nextVoiceTier(tier);
  // A paid tier is changed in the Billing Portal, not bought again (the page's upgrade intent).
  const paying = voiceTierByCode(tier)?.stripePriceKey != null;
  return (
    <div className="upgrade-prompt" data-testid="upgrade-prompt">
      <p>
        {t.rich("usage.allUsed", {
          limit: formatNumber(usage.limit ?? 0, locale),
          date: formatDate(usage.resetDate, locale),
          strong: (c) => <strong>{c}</strong>,
        })}
      </p>
      <p className="actions">
        {/* A plain form (UpgradeForm): the page answers with a redirect to Stripe, which a fetch can't follow. */}
        {next ? (
          <button type="submit" form="voice-upgrade" data-testid="upgrade-button">
            {t("usage.upgradeTo", { plan: next.name })}
          </button>
        ) : null}
        <Link to="/store">{t("usage.comparePlans")}</Link>
      </p>
      {next && paying ? <p className="field-hint">{t("usage.portalHint")}</p> : null}
    </div>
  );
}

/**
 * The form the upgrade button submits (outside the studio form, which can't nest forms). It posts to
 * the studio page itself: Checkout for a first tier, the Billing Portal for a tier change, and a
 * refusal as a message on the page (never the JSON API's answer).
 */
export function UpgradeForm({ tier }: { tier: StudioData["tier"] }) {
  const next = nextVoiceTier(tier);
  if (!next) return null;
  return (
    <form id="voice-upgrade" method="post" action={paths.voice} hidden>
      <input type="hidden" name="intent" value="upgrade" />
      <input type="hidden" name="tier" value={next.code} />
    </form>
  );
}
