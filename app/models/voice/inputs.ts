/**
 * One zod schema per voice studio use case, used by the API routes and the studio page's forms
 * alike. A form sends strings and flat fields, so each form schema is built from the same pieces
 * (ranges from the domain's SETTING_RANGES, the same text and id rules) and yields the API's shape.
 */
import { z } from "zod";
import {
  AUDIO_CONFIG_MAX_CHARS,
  CLONE_DESCRIPTION_MAX,
  CLONE_NAME_MAX,
  charCount,
  MAX_TEXT_CHARS,
  PRESET_USED_MAX,
  VOICE_NAME_MAX,
} from "~/domain/voice-input";
import { RECORDING_SEARCH_MAX_CHARS } from "~/domain/voice-recordings";
import { PRESET_NAME_MAX, SETTING_RANGES, type VoiceSettings } from "~/domain/voice-tiers";
import { ID_PATTERN } from "~/http/params.server";
import { catalogueProblem } from "~/i18n/problem-keys";

// Said in the request's language by parseInput (voice.fields.*); the API's English is the catalogue's.
const TEXT_LENGTH = catalogueProblem("voice.fields.text", { max: MAX_TEXT_CHARS });

export const TtsText = z
  .string()
  .refine((t) => t.trim().length > 0, TEXT_LENGTH)
  .refine((t) => charCount(t) <= MAX_TEXT_CHARS, TEXT_LENGTH);

export const VoiceIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, catalogueProblem("voice.fields.voiceId"));
const SystemPresetId = z.string().regex(/^[a-z0-9-]{1,40}$/, "Choose a preset from the list.");
const StoredId = z.string().regex(ID_PATTERN, "Choose one from the list.");

const SETTING_KEYS = Object.keys(SETTING_RANGES) as (keyof VoiceSettings)[];
const settingsShape = <S extends z.ZodType>(value: (key: keyof VoiceSettings) => S) =>
  Object.fromEntries(SETTING_KEYS.map((k) => [k, value(k)])) as Record<keyof VoiceSettings, S>;
const inRange = (n: z.ZodNumber, key: keyof VoiceSettings) => n.min(SETTING_RANGES[key].min).max(SETTING_RANGES[key].max);

/**
 * Slider values of a generation. Only finite numbers here: whether the tier may send them at all,
 * and their ranges, are the domain's decision (a locked feature wins over a value out of range).
 */
export const SettingsInput = z.object(settingsShape(() => z.number().finite().optional())).strict();

/** POST /api/tts (and the page's generate form, below). */
export const GenerateInput = z.object({
  voiceId: VoiceIdInput,
  text: TtsText,
  preset: SystemPresetId.nullish(),
  customPresetId: StoredId.nullish(),
  settings: SettingsInput.nullish(),
  // The advanced control (ElevenLabs use_speaker_boost); whether the tier has it is the domain's call.
  speakerBoost: z.boolean().nullish(),
});
export type GenerateInput = z.infer<typeof GenerateInput>;

/** The studio's generate form: one preset menu (system ids or `custom:<id>`), sliders used only when ticked. */
export const GenerateForm = z
  .object({
    voiceId: VoiceIdInput,
    text: TtsText,
    preset: z.union([z.literal(""), SystemPresetId, z.string().regex(new RegExp(`^custom:${ID_PATTERN.source.replace(/^\^/, "")}`))]).optional(),
    useSliders: z.literal("on").optional(),
    // "" = the voice's default; on/off only where the tier has the advanced control.
    speakerBoost: z.enum(["", "on", "off"]).optional(),
    ...settingsShape(() => z.coerce.number().finite().optional()),
  })
  .transform(({ voiceId, text, preset, useSliders, speakerBoost, ...sliders }): GenerateInput => {
    const custom = preset?.startsWith("custom:") ? preset.slice("custom:".length) : null;
    return {
      voiceId,
      text,
      preset: custom ? null : preset || null,
      customPresetId: custom,
      settings: useSliders ? sliders : null,
      ...(speakerBoost ? { speakerBoost: speakerBoost === "on" } : {}),
    };
  });

const PresetName = z
  .string()
  .trim()
  .min(1, catalogueProblem("voice.fields.presetNameMissing"))
  .max(PRESET_NAME_MAX, catalogueProblem("voice.fields.presetNameTooLong"));

/** POST /api/presets. */
export const PresetInput = z.object({ name: PresetName, ...settingsShape((k) => inRange(z.number(), k)) });
export type PresetInput = z.infer<typeof PresetInput>;

/** The studio's "save the sliders as a preset" (the name field is `presetName` in that form). */
export const SavePresetForm = z
  .object({ presetName: PresetName, ...settingsShape((k) => inRange(z.coerce.number(), k)) })
  .transform(({ presetName, ...settings }): PresetInput => ({ name: presetName, ...settings }));

/** PATCH /api/recordings/:id: `{favorite}` sets it, an empty body toggles it. */
export const FavoriteInput = z.object({ favorite: z.boolean().optional() }).strict();

export const FavoriteForm = z.object({ id: StoredId, favorite: z.enum(["true", "false"]).transform((v) => v === "true") });
export const RecordingIdForm = z.object({ id: StoredId });
export const PresetIdForm = z.object({ id: StoredId });

/** GET /api/recordings. */
export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  favoritesOnly: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  // Words in the recording's text or its voice's name; empty = no search.
  q: z
    .string()
    .trim()
    .refine((t) => charCount(t) <= RECORDING_SEARCH_MAX_CHARS, `Search for at most ${RECORDING_SEARCH_MAX_CHARS} characters.`)
    .optional()
    .transform((t) => t || undefined),
});

/**
 * POST /api/ivc and the studio's clone form (multipart: name, description?, files or files[]).
 * Sizes and types of the samples are the domain's (checkCloneSamples); here only their shape.
 */
const CLONE_NAME = `Give the voice a name (1–${CLONE_NAME_MAX} characters).`;
const CLONE_DESCRIPTION = `The description must be text of at most ${CLONE_DESCRIPTION_MAX} characters.`;
export const CloneInput = z.object({
  name: z.string({ error: CLONE_NAME }).trim().min(1, CLONE_NAME).max(CLONE_NAME_MAX, CLONE_NAME),
  description: z
    .string({ error: CLONE_DESCRIPTION })
    .max(CLONE_DESCRIPTION_MAX, CLONE_DESCRIPTION)
    .nullish()
    .transform((d) => d || null),
  files: z.array(z.instanceof(File, { error: "Samples must be files." })),
});
export type CloneInput = z.infer<typeof CloneInput>;

/** The clone form's fields as CloneInput reads them (every file part, under either name). */
export function cloneFields(form: FormData): Record<string, unknown> {
  return { name: form.get("name") ?? "", description: form.get("description"), files: [...form.getAll("files"), ...form.getAll("files[]")] };
}

const SPEED = SETTING_RANGES.speed;
const AUDIO_CONFIG = `audioConfig must be a JSON object of numbers, booleans or short texts (at most ${AUDIO_CONFIG_MAX_CHARS} characters).`;
const isJsonObject = (s: string) => {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
};
const blankAsNull = (max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(max, message)
    .nullish()
    .transform((v) => v || null);

/**
 * POST /api/recordings (multipart): a favourite made elsewhere, stored with its audio. The audio's
 * size and type are the domain's check (checkCloneSamples); here the fields' shapes.
 */
export const FavoriteUploadInput = z.object({
  audioBlob: z.instanceof(File, { error: "Attach the audio as the audioBlob file." }),
  voiceId: VoiceIdInput,
  voiceName: blankAsNull(VOICE_NAME_MAX, `The voice name must be at most ${VOICE_NAME_MAX} characters.`),
  text: TtsText,
  speed: z.coerce
    .number({ error: `speed must be a number from ${SPEED.min} to ${SPEED.max}.` })
    .min(SPEED.min, `speed must be a number from ${SPEED.min} to ${SPEED.max}.`)
    .max(SPEED.max, `speed must be a number from ${SPEED.min} to ${SPEED.max}.`)
    .default(1),
  audioConfig: z
    .string({ error: AUDIO_CONFIG })
    .max(AUDIO_CONFIG_MAX_CHARS, AUDIO_CONFIG)
    .refine(isJsonObject, AUDIO_CONFIG)
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(z.record(z.string().max(40), z.union([z.number().finite(), z.boolean(), z.string().max(100), z.null()]), { error: AUDIO_CONFIG }))
    .optional(),
  presetUsed: blankAsNull(PRESET_USED_MAX, `presetUsed must be at most ${PRESET_USED_MAX} characters.`),
});
export type FavoriteUploadInput = z.infer<typeof FavoriteUploadInput>;

/** The multipart fields FavoriteUploadInput reads (a form field that is absent is undefined, not null). */
export function favoriteUploadFields(form: FormData): Record<string, unknown> {
  const keys = ["audioBlob", "voiceId", "voiceName", "text", "speed", "audioConfig", "presetUsed"] as const;
  return Object.fromEntries(keys.map((k) => [k, form.get(k) ?? undefined]));
}
