import { useT } from "~/i18n/react";
import type { StudioVoice } from "~/models/voice/voices.server";

/**
 * A short sample of each library voice (ElevenLabs' `preview_url`), to hear before generating: the
 * browser's own audio player per voice, so it plays without our JavaScript and costs no generation.
 * Cloned voices have no sample (the provider gives none).
 */
export function VoiceSamples({ voices }: { voices: readonly StudioVoice[] }) {
  const t = useT("voice");
  const withSample = voices.filter((v) => v.previewUrl);
  if (withSample.length === 0) return null;
  return (
    <details className="voice-samples" data-testid="voice-samples">
      <summary>{t("samples.summary")}</summary>
      <ul className="plain-list">
        {withSample.map((v) => (
          <li key={v.voiceId} className="voice-sample" data-testid="voice-sample" data-voice-id={v.voiceId}>
            <span className="voice-sample-name">{v.name}</span>
            <audio controls preload="none" src={v.previewUrl!} aria-label={t("samples.label", { name: v.name })} />
          </li>
        ))}
      </ul>
    </details>
  );
}
