import { Form, Link } from "@remix-run/react";
import { useId, useState } from "react";
import { charCount, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { PRESET_NAME_MAX, SETTING_RANGES, upgradeTier, type VoiceSettings } from "~/domain/voice-tiers";
import type { FormReply } from "~/http/form-action.server";
import { useT } from "~/i18n/react";
import { formatNumber } from "~/lib/format";
import { paths } from "~/lib/paths";
import type { StudioData } from "./types";
import { UpgradePrompt } from "./Usage";
import { VoiceSamples } from "./VoiceSamples";

const SLIDERS: { key: keyof VoiceSettings; step: number }[] = [
  { key: "stability", step: 0.05 },
  { key: "similarityBoost", step: 0.05 },
  { key: "style", step: 0.05 },
  { key: "speed", step: 0.05 },
];

function FieldError({ id, reply, name }: { id: string; reply: FormReply | null; name: string }) {
  const error = reply?.fieldErrors?.[name];
  return error ? (
    <span className="field-error" id={id}>
      {error}
    </span>
  ) : null;
}

/**
 * The generate form (voice, text, preset, sliders), which also saves the sliders as a preset.
 * `reply` is the page action's answer to this form, for field errors and what was typed.
 */
export function GenerateForm({ data, reply, generating }: { data: StudioData; reply: FormReply | null; generating: boolean }) {
  const t = useT("voice");
  type Key = Parameters<typeof t>[0];
  // System presets and the provider's labels by their ids; a name or label we don't list is shown as it is.
  const presetName = (p: { id: string; name: string }) => (t.has(`presets.${p.id}` as Key) ? t(`presets.${p.id}` as Key) : p.name);
  const label = (value: string) => (t.has(`labels.${value}` as Key) ? t(`labels.${value}` as Key) : value);
  const { features, usage, presets } = data;
  const atLimit = usage.limit !== null && usage.used >= usage.limit;
  const systemPresets = presets.system.filter((p) => p.available);
  const defaultPreset = systemPresets[0];
  const valuesOf = (presetValue: string): VoiceSettings => {
    const p = presetValue.startsWith("custom:")
      ? presets.custom.find((c) => `custom:${c.id}` === presetValue)
      : systemPresets.find((s) => s.id === presetValue);
    const src = p ?? defaultPreset;
    return { stability: src.stability, similarityBoost: src.similarityBoost, style: src.style, speed: src.speed };
  };
  const kept = reply && !reply.ok ? reply.values : undefined;
  const [text, setText] = useState(kept?.text ?? data.current?.text ?? "");
  const [preset, setPreset] = useState(defaultPreset.id);
  const [sliders, setSliders] = useState<VoiceSettings>(() => valuesOf(defaultPreset.id));
  const chars = charCount(text);
  const textHintId = useId();
  const sliderOffer = upgradeTier(data.tier, { feature: "sliders" });
  const ownVoices = data.voices.filter((v) => v.own);
  const libraryVoices = data.voices.filter((v) => !v.own);

  return (
    <Form method="post" className="studio-form">
      <div>
        <label htmlFor="voiceId">{t("form.voice")}</label>
        <select
          id="voiceId"
          name="voiceId"
          required
          defaultValue={kept?.voiceId ?? data.current?.voiceId}
          aria-describedby={reply?.fieldErrors?.voiceId ? "voiceId-error" : undefined}
        >
          {ownVoices.length ? (
            <optgroup label={t("form.ownVoices")}>
              {ownVoices.map((v) => (
                <option key={v.voiceId} value={v.voiceId}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label={t("form.library")}>
            {libraryVoices.map((v) => (
              <option key={v.voiceId} value={v.voiceId}>
                {!v.labels.accent
                  ? v.name
                  : v.labels.gender
                    ? t("form.voiceWithLabels", { name: v.name, accent: label(v.labels.accent), gender: label(v.labels.gender) })
                    : t("form.voiceWithAccent", { name: v.name, accent: label(v.labels.accent) })}
              </option>
            ))}
          </optgroup>
        </select>
        <FieldError id="voiceId-error" reply={reply} name="voiceId" />
        <VoiceSamples voices={libraryVoices} />
      </div>

      <div>
        <label htmlFor="text">{t("form.text")}</label>
        <textarea
          id="text"
          name="text"
          rows={5}
          required
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={reply?.fieldErrors?.text ? `${textHintId} text-error` : textHintId}
          aria-invalid={chars > MAX_TEXT_CHARS || !!reply?.fieldErrors?.text || undefined}
        />
        <p id={textHintId} className={chars > MAX_TEXT_CHARS ? "field-hint char-count char-count--over" : "field-hint char-count"} data-testid="char-count">
          {t("form.charCount", { count: formatNumber(chars, data.locale), max: formatNumber(MAX_TEXT_CHARS, data.locale) })}
        </p>
        <FieldError id="text-error" reply={reply} name="text" />
      </div>

      <div>
        <label htmlFor="preset">{t("form.preset")}</label>
        <select
          id="preset"
          name="preset"
          value={preset}
          onChange={(e) => {
            setPreset(e.target.value);
            setSliders(valuesOf(e.target.value));
          }}
        >
          <optgroup label={t("form.tierPresets", { tier: data.tierName })}>
            {systemPresets.map((p) => (
              <option key={p.id} value={p.id}>
                {presetName(p)}
              </option>
            ))}
          </optgroup>
          {features.customPresets && presets.custom.length ? (
            <optgroup label={t("form.yourPresets")}>
              {presets.custom.map((p) => (
                <option key={p.id} value={`custom:${p.id}`}>
                  {p.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        {presets.system.length > systemPresets.length ? (
          <p className="field-hint">{t("form.morePresets", { count: formatNumber(presets.system.length - systemPresets.length, data.locale) })}</p>
        ) : null}
      </div>

      {features.advancedControls ? (
        <div>
          <label htmlFor="speakerBoost">{t("form.speakerBoost")}</label>
          <select id="speakerBoost" name="speakerBoost" defaultValue={kept?.speakerBoost ?? ""} aria-describedby="speakerBoost-hint">
            <option value="">{t("form.speakerBoostDefault")}</option>
            <option value="on">{t("form.on")}</option>
            <option value="off">{t("form.off")}</option>
          </select>
          <p id="speakerBoost-hint" className="field-hint">
            {t("form.speakerBoostHint")}
          </p>
        </div>
      ) : null}

      <div className="sliders-wrap">
        <fieldset className={features.slidersUnlocked ? "sliders" : "sliders sliders--locked"} disabled={!features.slidersUnlocked}>
          <legend>{t("form.fineTuning")}</legend>
          {SLIDERS.map((s) => (
            <div className="slider" key={s.key}>
              <label htmlFor={`slider-${s.key}`}>{t(`sliders.${s.key}`)}</label>
              <input
                id={`slider-${s.key}`}
                type="range"
                name={s.key}
                min={SETTING_RANGES[s.key].min}
                max={SETTING_RANGES[s.key].max}
                step={s.step}
                value={sliders[s.key]}
                onChange={(e) => setSliders({ ...sliders, [s.key]: Number(e.target.value) })}
              />
              <output htmlFor={`slider-${s.key}`}>{sliders[s.key].toFixed(2)}</output>
            </div>
          ))}
          {features.slidersUnlocked ? (
            <>
              <label className="checkbox">
                <input type="checkbox" name="useSliders" /> {t("form.useSliders")}
              </label>
              <div className="save-preset">
                <label htmlFor="presetName">{t("form.savePresetLabel")}</label>
                <div className="inline-field">
                  <input
                    id="presetName"
                    name="presetName"
                    maxLength={PRESET_NAME_MAX}
                    placeholder={t("form.presetNamePlaceholder")}
                    defaultValue={kept?.presetName}
                    aria-describedby={reply?.fieldErrors?.presetName ? "presetName-error" : undefined}
                  />
                  <button type="submit" name="intent" value="save-preset" formNoValidate className="button--ghost">
                    {t("form.savePreset")}
                  </button>
                </div>
                <FieldError id="presetName-error" reply={reply} name="presetName" />
              </div>
            </>
          ) : null}
        </fieldset>
        {!features.slidersUnlocked ? (
          <div className="locked-overlay" data-testid="sliders-locked">
            <p>{t.rich("form.slidersLocked", { plan: sliderOffer.name, link: (c) => <Link to={paths.store(sliderOffer.sku)}>{c}</Link> })}</p>
          </div>
        ) : null}
      </div>

      {atLimit ? (
        <UpgradePrompt usage={usage} tier={data.tier} locale={data.locale} />
      ) : (
        <p className="actions">
          <button type="submit" name="intent" value="generate" disabled={generating} data-testid="generate">
            {generating ? t("form.generating") : t("form.generate")}
          </button>
        </p>
      )}
    </Form>
  );
}
