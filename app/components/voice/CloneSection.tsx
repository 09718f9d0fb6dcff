import { Form, Link } from "@remix-run/react";
import { ACCEPTED_AUDIO_NAMES, MAX_CLONE_FILE_BYTES, MAX_CLONE_FILES, CLONE_NAME_MAX } from "~/domain/voice-input";
import { tiersWith, upgradeTier } from "~/domain/voice-tiers";
import { paths } from "~/lib/paths";
import { joinWords, type StudioData } from "./types";

const MB = `${MAX_CLONE_FILE_BYTES / (1024 * 1024)} MB`;

export function CloneSection({ tier, canClone, busy }: { tier: StudioData["tier"]; canClone: boolean; busy: boolean }) {
  const offer = upgradeTier(tier, { feature: "voice_cloning" });
  return (
    <section className="panel" aria-labelledby="clone-title">
      <h2 id="clone-title">Clone a voice</h2>
      {canClone ? (
        // The only multipart form on the page: the action reads it with the upload's own byte cap.
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="clone" />
          <p className="field-hint">
            Upload 1–{MAX_CLONE_FILES} clear recordings of one speaker ({joinWords(ACCEPTED_AUDIO_NAMES, "or")}, up to {MB} each). Only clone voices you have
            permission to use.
          </p>
          <div>
            <label htmlFor="clone-name">Voice name</label>
            <input id="clone-name" name="name" required maxLength={CLONE_NAME_MAX} />
          </div>
          <div>
            <label htmlFor="clone-files">Samples</label>
            <input id="clone-files" name="files" type="file" accept="audio/*" multiple required />
          </div>
          <p>
            <button type="submit" disabled={busy}>
              {busy ? "Cloning…" : "Clone voice"}
            </button>
          </p>
        </Form>
      ) : (
        <p>
          Instant voice cloning comes with{" "}
          {joinWords(
            tiersWith("voiceCloning").map((t) => t.name),
            "and",
          )}
          . <Link to={paths.store(offer.sku)}>See {offer.name}</Link>
        </p>
      )}
    </section>
  );
}
