import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import type { voiceTierFacts } from "~/domain/plans";
import { voiceTierFeatures } from "~/lib/billing-copy";
import { paths } from "~/lib/paths";

/** What a signed-out visitor is shown of each tier: its facts (~/domain/plans voiceTierFacts), worded here. */
export type TeaserTier = { code: string; name: string } & ReturnType<typeof voiceTierFacts>;

/** The studio for someone signed out: what it does, the plans, a way in. */
export function Teaser({ tiers }: { tiers: TeaserTier[]; locale?: string }) {
  const t = useT("voice");
  // The same lines, from the same facts, as the plan cards on /account/services.
  const ts = useT("services");
  const features = (tier: TeaserTier) => voiceTierFeatures(tier, ts);
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
