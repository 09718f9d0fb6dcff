import { Link, useActionData, useNavigation } from "@remix-run/react";
import { nearGenerationLimit } from "~/domain/voice-tiers";
import type { FormReply } from "~/http/form-action.server";
import { useT } from "~/i18n/react";
import { CloneSection } from "./CloneSection";
import { CustomPresets } from "./CustomPresets";
import { GenerateForm } from "./GenerateForm";
import { RecordingsSection } from "./RecordingsSection";
import { preview, type StudioData } from "./types";
import { NearLimitPrompt, UpgradeForm, UsageLine } from "./Usage";

/** The studio for a signed-in user: generate, clone, presets, and the recordings list. */
export function Studio({ data }: { data: StudioData }) {
  const t = useT("voice");
  const result = useActionData() as FormReply | undefined;
  const nav = useNavigation();
  const busyIntent = nav.state !== "idle" ? String(nav.formData?.get("intent") ?? (nav.formEncType === "multipart/form-data" ? "clone" : "")) : "";
  const { features, usage, presets } = data;
  const atLimit = usage.limit !== null && usage.used >= usage.limit;
  const nearLimit = nearGenerationLimit(data.tier, usage.used);
  const generateReply = result && (result.intent === "generate" || result.intent === "save-preset") ? result : null;

  return (
    <>
      <div className="studio-head">
        <h1>{t("title")}</h1>
        <p>
          <span className="badge" data-testid="tier">
            {data.tierName}
          </span>
        </p>
        <UsageLine usage={usage} locale={data.locale} />
      </div>

      {result && result.intent !== "favorite" && result.intent !== "delete" ? (
        <div className={result.ok ? "notice notice--ok" : "notice notice--error"} role={result.ok ? "status" : "alert"} data-testid="studio-result">
          <p>{result.message}</p>
          {result.link ? (
            <p>
              <Link to={result.link}>{t("studio.seeUpgrades")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {data.voicesError ? (
        <p className="notice notice--error" role="alert">
          {data.voicesError}
        </p>
      ) : null}

      <div className="studio-layout">
        <section className="panel" aria-labelledby="generate-title">
          <h2 id="generate-title">{t("studio.generateTitle")}</h2>
          {nearLimit ? <NearLimitPrompt usage={usage} tier={data.tier} locale={data.locale} /> : null}
          <GenerateForm data={data} reply={generateReply} generating={busyIntent === "generate"} />
          {atLimit || nearLimit ? <UpgradeForm tier={data.tier} /> : null}
        </section>

        <div className="studio-side">
          {data.current ? (
            <section className="panel" aria-labelledby="result-title" data-testid="result">
              <h2 id="result-title">{t("studio.resultTitle")}</h2>
              <p className="recording-text">{preview(data.current.text, 160)}</p>
              <audio controls src={data.current.audioUrl} data-testid="player" aria-label={t("studio.playNew")} />
            </section>
          ) : null}

          <CloneSection tier={data.tier} canClone={features.voiceCloning} busy={busyIntent === "clone"} />

          {features.customPresets && presets.custom.length ? <CustomPresets presets={presets.custom} /> : null}
        </div>
      </div>

      <RecordingsSection data={data} />
    </>
  );
}
