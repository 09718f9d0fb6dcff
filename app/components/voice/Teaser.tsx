import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { formatNumber } from "~/lib/format";
import { paths } from "~/lib/paths";

/** What a signed-out visitor is shown of each tier: its facts, worded here in the served language. */
export interface TeaserTier {
  code: string;
  name: string;
  monthlyGenerations: number | null;
  presetCount: number;
  allPresets: boolean;
  slidersUnlocked: boolean;
  advancedControls: boolean;
  customPresets: boolean;
  voiceCloning: boolean;
}

/** The studio for someone signed out: what it does, the plans, a way in. */
export function Teaser({ tiers, locale }: { tiers: TeaserTier[]; locale: string }) {
  const t = useT("voice");
  const n = (x: number) => formatNumber(x, locale);
  // The same promises, in the same order, as the tier's feature list in the catalogue (~/domain/plans).
  const features = (tier: TeaserTier) =>
    [
      tier.monthlyGenerations === null ? t("teaser.generationsUnlimited") : t("teaser.generationsMonthly", { count: n(tier.monthlyGenerations) }),
      tier.allPresets ? t("teaser.presetsAll", { count: n(tier.presetCount) }) : t("teaser.presetsSome", { count: n(tier.presetCount) }),
      tier.slidersUnlocked ? t("teaser.sliders") : null,
      tier.advancedControls ? t("teaser.speakerBoost") : null,
      tier.customPresets ? t("teaser.customPresets") : null,
      tier.voiceCloning ? t("teaser.cloning") : null,
    ].filter((f): f is string => f !== null);
  return (
    <>
      <section className="hero" aria-labelledby="voice-title">
        <h1 id="voice-title">{t("title")}</h1>
        <p className="lede">{t("teaser.lede")}</p>
        <p>
          <Link className="button" to={paths.login(paths.voice)} data-testid="voice-sign-in">
            {t("teaser.signIn")}
          </Link>{" "}
          <Link className="button button--ghost" to="/store">
            {t("teaser.comparePlans")}
          </Link>
        </p>
      </section>
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">{t("teaser.plans")}</h2>
        <div className="grid">
          {tiers.map((tier) => (
            <article className="card" key={tier.code}>
              <h3 className="card-title">{tier.name}</h3>
              <ul className="features">
                {features(tier).map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
