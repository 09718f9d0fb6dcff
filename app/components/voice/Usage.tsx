import { Link } from "@remix-run/react";
import { nextVoiceTier } from "~/domain/voice-tiers";
import { formatDate } from "~/lib/format";
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
  return (
    <div className="upgrade-prompt" data-testid="upgrade-prompt">
      <p>
        <strong>You've used all {usage.limit} generations this month.</strong> They reset on {formatDate(usage.resetDate, locale)}.
      </p>
      <p className="actions">
        {/* A plain form (UpgradeCheckoutForm): checkout answers with a redirect to Stripe, which a fetch can't follow. */}
        {next ? (
          <button type="submit" form="upgrade-checkout" data-testid="upgrade-button">
            Upgrade to {next.name}
          </button>
        ) : null}
        <Link to="/store">Compare plans</Link>
      </p>
    </div>
  );
}

/** The checkout form the upgrade button submits (outside the studio form, which can't nest forms). */
export function UpgradeCheckoutForm({ tier }: { tier: StudioData["tier"] }) {
  const next = nextVoiceTier(tier);
  if (!next) return null;
  return (
    <form id="upgrade-checkout" method="post" action="/api/stripe/checkout" hidden>
      <input type="hidden" name="tier" value={next.code} />
    </form>
  );
}
