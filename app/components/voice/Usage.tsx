import { Link } from "@remix-run/react";
import { voiceTierByCode } from "~/domain/plans";
import { nextVoiceTier } from "~/domain/voice-tiers";
import { formatDate } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { StudioData } from "./types";

export function UsageLine({ usage, locale }: { usage: StudioData["usage"]; locale: string }) {
  return (
    <p className="usage" data-testid="usage">
      {usage.limit === null ? (
        <>
          <strong>{usage.used}</strong> generations this month · unlimited
        </>
      ) : (
        <>
          <strong>
            {usage.used} / {usage.limit}
          </strong>{" "}
          generations this month
        </>
      )}
      <span className="muted"> · resets {formatDate(usage.resetDate, locale)}</span>
    </p>
  );
}

/** In place of the Generate button once the month's allowance is used. */
export function UpgradePrompt({ usage, tier, locale }: { usage: StudioData["usage"]; tier: StudioData["tier"]; locale: string }) {
  const next = nextVoiceTier(tier);
  // A paid tier is changed in the Billing Portal, not bought again (the page's upgrade intent).
  const paying = voiceTierByCode(tier)?.stripePriceKey != null;
  return (
    <div className="upgrade-prompt" data-testid="upgrade-prompt">
      <p>
        <strong>You've used all {usage.limit} generations this month.</strong> They reset on {formatDate(usage.resetDate, locale)}.
      </p>
      <p className="actions">
        {/* A plain form (UpgradeForm): the page answers with a redirect to Stripe, which a fetch can't follow. */}
        {next ? (
          <button type="submit" form="voice-upgrade" data-testid="upgrade-button">
            Upgrade to {next.name}
          </button>
        ) : null}
        <Link to="/store">Compare plans</Link>
      </p>
      {next && paying ? <p className="field-hint">You'll change your plan in Stripe's secure billing portal.</p> : null}
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
