import { Form, Link } from "@remix-run/react";
import { useId, useState } from "react";
import { charCount, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { PRESET_NAME_MAX, SETTING_RANGES, upgradeTier, type VoiceSettings } from "~/domain/voice-tiers";
import type { FormReply } from "~/http/form-action.server";
import { paths } from "~/lib/paths";
import { joinWords, type StudioData } from "./types";
import { UpgradePrompt } from "./Usage";
import { VoiceSamples } from "./VoiceSamples";

const SLIDERS: { key: keyof VoiceSettings; label: string; step: number }[] = [
  { key: "stability", label: "Stability", step: 0.05 },
  { key: "similarityBoost", label: "Similarity", step: 0.05 },
  { key: "style", label: "Style", step: 0.05 },
  { key: "speed", label: "Speed", step: 0.05 },
];
const SLIDER_NAMES = joinWords(
  SLIDERS.map((s, i) => (i === 0 ? s.label : s.label.toLowerCase())),
  "and",
);

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
        <label htmlFor="voiceId">Voice</label>
        <select
          id="voiceId"
          name="voiceId"
          required
          defaultValue={kept?.voiceId ?? data.current?.voiceId}
          aria-describedby={reply?.fieldErrors?.voiceId ? "voiceId-error" : undefined}
        >
          {ownVoices.length ? (
            <optgroup label="Your cloned voices">
              {ownVoices.map((v) => (
                <option key={v.voiceId} value={v.voiceId}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label="Voice library">
            {libraryVoices.map((v) => (
              <option key={v.voiceId} value={v.voiceId}>
                {v.name}
                {v.labels.accent ? ` (${v.labels.accent}${v.labels.gender ? `, ${v.labels.gender}` : ""})` : ""}
              </option>
            ))}
          </optgroup>
        </select>
        <FieldError id="voiceId-error" reply={reply} name="voiceId" />
        <VoiceSamples voices={libraryVoices} />
      </div>

      <div>
        <label htmlFor="text">Text</label>
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
          {chars.toLocaleString("en-US")} / {MAX_TEXT_CHARS.toLocaleString("en-US")} characters
        </p>
        <FieldError id="text-error" reply={reply} name="text" />
      </div>

      <div>
        <label htmlFor="preset">Preset</label>
        <select
          id="preset"
          name="preset"
          value={preset}
          onChange={(e) => {
            setPreset(e.target.value);
            setSliders(valuesOf(e.target.value));
          }}
        >
          <optgroup label={`${data.tierName} presets`}>
            {systemPresets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </optgroup>
          {features.customPresets && presets.custom.length ? (
            <optgroup label="Your presets">
              {presets.custom.map((p) => (
                <option key={p.id} value={`custom:${p.id}`}>
                  {p.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        {presets.system.length > systemPresets.length ? (
          <p className="field-hint">{presets.system.length - systemPresets.length} more presets with a higher tier.</p>
        ) : null}
      </div>

      {features.advancedControls ? (
        <div>
          <label htmlFor="speakerBoost">Speaker boost</label>
          <select id="speakerBoost" name="speakerBoost" defaultValue={kept?.speakerBoost ?? ""} aria-describedby="speakerBoost-hint">
            <option value="">The voice&apos;s default</option>
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
          <p id="speakerBoost-hint" className="field-hint">
            On brings the result closer to the original speaker; generation can take a little longer.
          </p>
        </div>
      ) : null}

      <div className="sliders-wrap">
        <fieldset className={features.slidersUnlocked ? "sliders" : "sliders sliders--locked"} disabled={!features.slidersUnlocked}>
          <legend>Fine-tuning</legend>
          {SLIDERS.map((s) => (
            <div className="slider" key={s.key}>
              <label htmlFor={`slider-${s.key}`}>{s.label}</label>
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
                <input type="checkbox" name="useSliders" /> Use these slider values instead of the preset
              </label>
              <div className="save-preset">
                <label htmlFor="presetName">Save the sliders as a preset</label>
                <div className="inline-field">
                  <input
                    id="presetName"
                    name="presetName"
                    maxLength={PRESET_NAME_MAX}
                    placeholder="Preset name"
                    defaultValue={kept?.presetName}
                    aria-describedby={reply?.fieldErrors?.presetName ? "presetName-error" : undefined}
                  />
                  <button type="submit" name="intent" value="save-preset" formNoValidate className="button--ghost">
                    Save preset
                  </button>
                </div>
                <FieldError id="presetName-error" reply={reply} name="presetName" />
              </div>
            </>
          ) : null}
        </fieldset>
        {!features.slidersUnlocked ? (
          <div className="locked-overlay" data-testid="sliders-locked">
            <p>
              {SLIDER_NAMES} are part of {sliderOffer.name}. <Link to={paths.store(sliderOffer.sku)}>Upgrade to Premium</Link>
            </p>
          </div>
        ) : null}
      </div>

      {atLimit ? (
        <UpgradePrompt usage={usage} tier={data.tier} locale={data.locale} />
      ) : (
        <p className="actions">
          <button type="submit" name="intent" value="generate" disabled={generating} data-testid="generate">
            {generating ? "Generating…" : "Generate"}
          </button>
        </p>
      )}
    </Form>
  );
}
