import { Form, Link } from "@remix-run/react";
import { ACCEPTED_AUDIO_NAMES, MAX_CLONE_FILE_BYTES, MAX_CLONE_FILES, CLONE_NAME_MAX } from "~/domain/voice-input";
import { tiersWith, upgradeTier } from "~/domain/voice-tiers";
import { useT } from "~/i18n/react";
import { paths } from "~/lib/paths";
import { useJoinWords, type StudioData } from "./types";

export function CloneSection({ tier, canClone, busy }: { tier: StudioData["tier"]; canClone: boolean; busy: boolean }) {
  const t = useT("voice");
  const join = useJoinWords();
  const offer = upgradeTier(tier, { feature: "voice_cloning" });
  return (
    <section className="panel" aria-labelledby="clone-title">
      <h2 id="clone-title">{t("clone.title")}</h2>
      {canClone ? (
        // The only multipart form on the page: the action reads it with the upload's own byte cap.
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="clone" />
          <p className="field-hint">
            {t("clone.hint", {
              max: MAX_CLONE_FILES,
              formats: join(ACCEPTED_AUDIO_NAMES, "or"),
              size: t("clone.megabytes", { count: MAX_CLONE_FILE_BYTES / (1024 * 1024) }),
            })}
          </p>
          <div>
            <label htmlFor="clone-name">{t("clone.name")}</label>
            <input id="clone-name" name="name" required maxLength={CLONE_NAME_MAX} />
          </div>
          <div>
            <label htmlFor="clone-files">{t("clone.samples")}</label>
            <input id="clone-files" name="files" type="file" accept="audio/*" multiple required />
          </div>
          <p>
            <button type="submit" disabled={busy}>
              {busy ? t("clone.busy") : t("clone.submit")}
            </button>
          </p>
        </Form>
      ) : (
        <p>
          {t.rich("clone.locked", {
            tiers: join(
              tiersWith("voiceCloning").map((x) => x.name),
              "and",
            ),
            plan: offer.name,
            link: (c) => <Link to={paths.store(offer.sku)}>{c}</Link>,
          })}
        </p>
      )}
    </section>
  );
}
