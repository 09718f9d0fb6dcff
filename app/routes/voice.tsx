import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { z } from "zod";
import { getDb } from "~/db/client.server";
import { VOICE_TIERS, type VoiceTierCode } from "~/domain/plans";
import { SETTING_RANGES, tierFeatures, type VoiceSettings } from "~/domain/voice-tiers";
import { charCount, MAX_CLONE_FILES, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { getUser } from "~/lib/auth.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { ID_PATTERN } from "~/lib/http.server";
import { requestLocale } from "~/lib/locale.server";
import { readCloneForm, TtsText, VoiceIdInput } from "~/lib/voice-params.server";
import { cloneVoice, createPreset, deletePreset, getUsage, listPresets, listVoices, upgradeUrlFor } from "~/models/voice.server";
import { generateSpeech } from "~/models/voice-generation.server";
import { deleteRecording, getRecordingRow, listRecordings, setFavorite, toRecordingView } from "~/models/voice-recordings.server";
import { voiceTierForUser } from "~/models/voice-tier.server";
import voiceStylesHref from "~/styles/voice.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: voiceStylesHref }];

export const meta: MetaFunction = () => [{ title: "Voice studio — AOVIS Edge" }];

const tierName = (code: VoiceTierCode) => VOICE_TIERS.find((t) => t.code === code)!.name;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = requestLocale(request);
  const user = await getUser(request, context);
  if (!user) {
    return {
      signedIn: false as const,
      locale,
      tiers: VOICE_TIERS.map((t) => ({ code: t.code, name: t.name, features: t.features })),
    };
  }
  const env = context.cloudflare.env;
  const db = getDb(env);
  const now = Date.now();
  const tier = await voiceTierForUser(db, user.id, now);
  const currentId = new URL(request.url).searchParams.get("r");
  const [usage, voices, presets, recordings, currentRow] = await Promise.all([
    getUsage(env, user.id, tier, now),
    listVoices(env, user.id),
    listPresets(db, user.id, tier),
    listRecordings(env, user.id, { page: 1, limit: 20, favoritesOnly: false }, now),
    currentId && ID_PATTERN.test(currentId) ? getRecordingRow(env, user.id, currentId, now) : Promise.resolve(null),
  ]);
  return {
    signedIn: true as const,
    locale,
    tier,
    tierName: tierName(tier),
    features: tierFeatures(tier),
    usage,
    upgradeUrl: upgradeUrlFor(tier),
    voices: voices.ok ? voices.voices : [],
    voicesError: voices.ok ? null : voices.message,
    presets,
    recordings: recordings.recordings,
    totalRecordings: recordings.total,
    current: currentRow ? toRecordingView(currentRow) : null,
  };
}

const num = z.coerce.number().finite();
const GenerateForm = z.object({
  voiceId: VoiceIdInput,
  text: TtsText,
  preset: z.string().max(80).optional(),
  useSliders: z.literal("on").optional(),
  stability: num.optional(),
  similarityBoost: num.optional(),
  style: num.optional(),
  speed: num.optional(),
});
const SavePresetForm = z.object({
  presetName: z.string().trim().min(1, "Give the preset a name.").max(60),
  stability: num.min(0).max(1),
  similarityBoost: num.min(0).max(1),
  style: num.min(0).max(1),
  speed: num.min(0.7).max(1.2),
});
const IdForm = z.object({ id: z.string().regex(ID_PATTERN) });

export type StudioActionResult = { intent: string; ok: boolean; message: string; error?: string; upgradeUrl?: string };

export async function action({ request, context }: ActionFunctionArgs): Promise<StudioActionResult | ReturnType<typeof data<StudioActionResult>> | Response> {
  const user = await getUser(request, context);
  if (!user) throw redirect("/login?returnTo=%2Fvoice");
  const env = context.cloudflare.env;
  const db = getDb(env);

  // The clone form is the only multipart form on the page.
  if ((request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    const tier = await voiceTierForUser(db, user.id);
    const form = await readCloneForm(request);
    if (!form.ok) return { intent: "clone", ok: false, message: form.message, error: form.error };
    const r = await cloneVoice(env, user.id, tier, form.value);
    if (!r.ok) return { intent: "clone", ok: false, message: r.message, error: r.error, upgradeUrl: r.extra?.upgradeUrl as string | undefined };
    return { intent: "clone", ok: true, message: `Your voice "${r.voice.name}" is ready. Pick it from the voice list.` };
  }

  // The page only posts forms; a JSON or text body (same-origin script, a misbehaving client) is a
  // 400, not a 500 from formData() throwing.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data({ intent: "unknown", ok: false, message: "Please use the form on this page.", error: "invalid_body" }, { status: 400 });
  }
  const fields = Object.fromEntries(form);
  const intent = String(fields.intent ?? "");
  switch (intent) {
    case "generate": {
      const parsed = GenerateForm.safeParse(fields);
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]?.path[0] ?? "");
        const message = field === "text" ? `Enter between 1 and ${MAX_TEXT_CHARS.toLocaleString("en-US")} characters of text.` : "Please choose a voice and enter some text.";
        return { intent, ok: false, message, error: "invalid_request" };
      }
      const f = parsed.data;
      const custom = f.preset?.startsWith("custom:") ? f.preset.slice("custom:".length) : null;
      const settings: Partial<VoiceSettings> | null = f.useSliders
        ? { stability: f.stability, similarityBoost: f.similarityBoost, style: f.style, speed: f.speed }
        : null;
      const r = await generateSpeech(env, user.id, { voiceId: f.voiceId, text: f.text, preset: custom ? null : f.preset || null, customPresetId: custom, settings }, { deliver: "store" });
      if (!r.ok) return { intent, ok: false, message: r.message, error: r.error, upgradeUrl: r.extra?.upgradeUrl as string | undefined };
      if (!(await r.stored)) {
        return { intent, ok: false, message: "The audio could not be saved. Your generation was not counted; please try again.", error: "storage_failed" };
      }
      // Post/redirect/get: a reload shows the recording instead of generating again.
      throw redirect(`/voice?r=${r.recording.id}`);
    }
    case "favorite": {
      const parsed = IdForm.extend({ favorite: z.enum(["true", "false"]) }).safeParse(fields);
      if (!parsed.success) return { intent, ok: false, message: "That recording could not be updated." };
      const r = await setFavorite(env, user.id, parsed.data.id, parsed.data.favorite === "true");
      return r
        ? { intent, ok: true, message: r.favorite ? "Added to favorites: kept until you remove it." : "Removed from favorites: it will be deleted in 7 days." }
        : { intent, ok: false, message: "That recording no longer exists." };
    }
    case "delete": {
      const parsed = IdForm.safeParse(fields);
      const ok = parsed.success && (await deleteRecording(env, user.id, parsed.data.id));
      return { intent, ok, message: ok ? "Recording deleted." : "That recording no longer exists." };
    }
    case "save-preset": {
      const parsed = SavePresetForm.safeParse(fields);
      if (!parsed.success) return { intent, ok: false, message: parsed.error.issues[0]?.message ?? "Please check the preset values." };
      const { presetName, ...settings } = parsed.data;
      const r = await createPreset(db, user.id, await voiceTierForUser(db, user.id), { name: presetName, ...settings });
      return r.ok ? { intent, ok: true, message: `Preset "${r.preset.name}" saved.` } : { intent, ok: false, message: r.message, error: r.error };
    }
    case "delete-preset": {
      const parsed = IdForm.safeParse(fields);
      const ok = parsed.success && (await deletePreset(db, user.id, parsed.data.id));
      return { intent, ok, message: ok ? "Preset deleted." : "That preset no longer exists." };
    }
    default:
      return { intent: "unknown", ok: false, message: "Unknown action." };
  }
}

// ---------------------------------------------------------------------------------------------

type StudioData = Extract<Awaited<ReturnType<typeof loader>>, { signedIn: true }>;
type Recording = StudioData["recordings"][number];

const SLIDERS: { key: keyof VoiceSettings; label: string; step: number }[] = [
  { key: "stability", label: "Stability", step: 0.05 },
  { key: "similarityBoost", label: "Similarity", step: 0.05 },
  { key: "style", label: "Style", step: 0.05 },
  { key: "speed", label: "Speed", step: 0.05 },
];

const preview = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export default function VoiceStudio() {
  const data = useLoaderData<typeof loader>();
  if (!data.signedIn) return <Teaser tiers={data.tiers} />;
  return <Studio data={data as StudioData} />;
}

function Teaser({ tiers }: { tiers: { code: string; name: string; features: string[] }[] }) {
  return (
    <>
      <section className="hero" aria-labelledby="voice-title">
        <h1 id="voice-title">Voice studio</h1>
        <p className="lede">
          Turn text into natural speech for camera announcements, greetings and clips. Pick a voice, type your text, and
          play it back instantly.
        </p>
        <p>
          <Link className="button" to="/login?returnTo=%2Fvoice" data-testid="voice-sign-in">
            Sign in to start generating
          </Link>{" "}
          <Link className="button button--ghost" to="/store">
            Compare plans
          </Link>
        </p>
      </section>
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Plans</h2>
        <div className="grid">
          {tiers.map((t) => (
            <article className="card" key={t.code}>
              <h3 className="card-title">{t.name}</h3>
              <ul className="features">
                {t.features.map((f) => (
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

function UsageLine({ usage, locale }: { usage: StudioData["usage"]; locale: string }) {
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

function Studio({ data }: { data: StudioData }) {
  const result = useActionData<typeof action>() as StudioActionResult | undefined;
  const nav = useNavigation();
  const busyIntent = nav.state !== "idle" ? String(nav.formData?.get("intent") ?? (nav.formEncType === "multipart/form-data" ? "clone" : "")) : "";
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
  const [text, setText] = useState(data.current?.text ?? "");
  const [preset, setPreset] = useState(defaultPreset.id);
  const [sliders, setSliders] = useState<VoiceSettings>(() => valuesOf(defaultPreset.id));
  const chars = charCount(text);
  const textHintId = useId();
  const generating = busyIntent === "generate";

  const ownVoices = data.voices.filter((v) => v.own);
  const libraryVoices = data.voices.filter((v) => !v.own);

  return (
    <>
      <div className="studio-head">
        <h1>Voice studio</h1>
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
          {result.upgradeUrl ? (
            <p>
              <Link to={result.upgradeUrl}>See upgrade options</Link>
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
          <h2 id="generate-title">Generate speech</h2>
          <Form method="post" className="studio-form">
            <div>
              <label htmlFor="voiceId">Voice</label>
              <select id="voiceId" name="voiceId" required defaultValue={data.current?.voiceId}>
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
                aria-describedby={textHintId}
                aria-invalid={chars > MAX_TEXT_CHARS || undefined}
              />
              <p id={textHintId} className={chars > MAX_TEXT_CHARS ? "field-hint char-count char-count--over" : "field-hint char-count"} data-testid="char-count">
                {chars.toLocaleString("en-US")} / {MAX_TEXT_CHARS.toLocaleString("en-US")} characters
              </p>
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
                <p className="field-hint">
                  {presets.system.length - systemPresets.length} more presets with a higher tier.
                </p>
              ) : null}
            </div>

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
                      <input id="presetName" name="presetName" maxLength={60} placeholder="Preset name" />
                      <button type="submit" name="intent" value="save-preset" formNoValidate className="button--ghost">
                        Save preset
                      </button>
                    </div>
                  </div>
                </>
              ) : null}
            </fieldset>
            {!features.slidersUnlocked ? (
              <div className="locked-overlay" data-testid="sliders-locked">
                <p>
                  Stability, similarity, style and speed are part of Voice Premium.{" "}
                  <Link to={`/store/${VOICE_TIERS[2].sku}`}>Upgrade to Premium</Link>
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
          {atLimit ? (
            <form id="upgrade-checkout" method="post" action="/api/stripe/checkout" hidden>
              <input type="hidden" name="tier" value={data.tier === "FREE" ? "BASIC" : "PREMIUM"} />
            </form>
          ) : null}
        </section>

        <div className="studio-side">
          {data.current ? (
            <section className="panel" aria-labelledby="result-title" data-testid="result">
              <h2 id="result-title">Your recording</h2>
              <p className="recording-text">{preview(data.current.text, 160)}</p>
              <audio controls src={data.current.audioUrl} data-testid="player" aria-label="Play the new recording" />
            </section>
          ) : null}

          <CloneSection upgradeUrl={data.upgradeUrl} canClone={features.voiceCloning} busy={busyIntent === "clone"} />

          {features.customPresets && presets.custom.length ? <CustomPresets presets={presets.custom} /> : null}
        </div>
      </div>

      <section aria-labelledby="recordings-title" className="recordings">
        <h2 id="recordings-title">Your recordings</h2>
        <p className="muted">Recordings are kept for 7 days. Favorites are kept until you remove them.</p>
        {data.recordings.length === 0 ? (
          <p data-testid="no-recordings">Nothing yet: your generations will appear here.</p>
        ) : (
          <ul className="plain-list recording-list">
            {data.recordings.map((r) => (
              <RecordingItem key={r.id} r={r} locale={data.locale} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function UpgradePrompt({ usage, tier, locale }: { usage: StudioData["usage"]; tier: VoiceTierCode; locale: string }) {
  const next: VoiceTierCode = tier === "FREE" ? "BASIC" : "PREMIUM";
  return (
    <div className="upgrade-prompt" data-testid="upgrade-prompt">
      <p>
        <strong>You've used all {usage.limit} generations this month.</strong> They reset on {formatDate(usage.resetDate, locale)}.
      </p>
      <p className="actions">
        {/* A plain form: checkout answers with a redirect to Stripe, which a fetch can't follow. */}
        <button type="submit" form="upgrade-checkout" data-testid="upgrade-button">
          Upgrade to {tierName(next)}
        </button>
        <Link to="/store">Compare plans</Link>
      </p>
    </div>
  );
}

function CloneSection({ upgradeUrl, canClone, busy }: { upgradeUrl: string | null; canClone: boolean; busy: boolean }) {
  return (
    <section className="panel" aria-labelledby="clone-title">
      <h2 id="clone-title">Clone a voice</h2>
      {canClone ? (
        <Form method="post" encType="multipart/form-data" className="stack">
          <p className="field-hint">
            Upload 1–{MAX_CLONE_FILES} clear recordings of one speaker (MP3, WAV, OGG, FLAC, WebM or M4A, up to 10 MB each). Only
            clone voices you have permission to use.
          </p>
          <div>
            <label htmlFor="clone-name">Voice name</label>
            <input id="clone-name" name="name" required maxLength={100} />
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
          Instant voice cloning comes with Voice Basic and Voice Premium.{" "}
          <Link to={upgradeUrl ?? "/store"}>See Voice Basic</Link>
        </p>
      )}
    </section>
  );
}

function CustomPresets({ presets }: { presets: StudioData["presets"]["custom"] }) {
  return (
    <section className="panel" aria-labelledby="custom-presets-title">
      <h2 id="custom-presets-title">Your presets</h2>
      <ul className="plain-list">
        {presets.map((p) => (
          <CustomPresetItem key={p.id} id={p.id} name={p.name} />
        ))}
      </ul>
    </section>
  );
}

function CustomPresetItem({ id, name }: { id: string; name: string }) {
  const fetcher = useFetcher<typeof action>();
  if (fetcher.formData) return null;
  return (
    <li className="preset-item">
      <span>{name}</span>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="delete-preset" />
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="button--ghost danger-outline small">
          Delete<span className="visually-hidden"> preset {name}</span>
        </button>
      </fetcher.Form>
    </li>
  );
}

function RecordingItem({ r, locale }: { r: Recording; locale: string }) {
  const fetcher = useFetcher<typeof action>();
  const pendingIntent = fetcher.formData?.get("intent");
  const outcome = fetcher.data as StudioActionResult | undefined;
  const failed = fetcher.state === "idle" && outcome && !outcome.ok ? outcome : null;
  // Optimistic: the row disappears / the star flips at once; a failure brings the truth back.
  if (pendingIntent === "delete") return null;
  const favorite = pendingIntent === "favorite" ? fetcher.formData?.get("favorite") === "true" : r.favorite;
  const label = preview(r.text, 60);
  return (
    <li className="recording" data-testid="recording" data-recording-id={r.id} data-favorite={favorite ? "true" : "false"}>
      <div className="recording-main">
        <p className="recording-text">{preview(r.text)}</p>
        <p className="muted recording-meta">
          {r.voiceName ?? r.voiceId} · {formatDateTime(r.createdAt, locale)} ·{" "}
          {favorite ? "Kept (favorite)" : r.expiresAt ? `Deleted after ${formatDate(r.expiresAt, locale)}` : ""}
        </p>
        {r.status === "ready" ? (
          <audio controls preload="none" src={r.audioUrl} aria-label={`Play: ${label}`} />
        ) : (
          <p className="muted">Saving…</p>
        )}
        {failed ? (
          <p className="notice notice--error" role="alert">
            {failed.message}
          </p>
        ) : null}
      </div>
      <div className="recording-actions">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="favorite" />
          <input type="hidden" name="id" value={r.id} />
          <input type="hidden" name="favorite" value={favorite ? "false" : "true"} />
          <button type="submit" className={favorite ? "fav fav--on" : "fav"} aria-pressed={favorite} data-testid="favorite">
            <span aria-hidden="true">{favorite ? "★" : "☆"}</span> Favorite<span className="visually-hidden">: {label}</span>
          </button>
        </fetcher.Form>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={r.id} />
          <button type="submit" className="danger-outline" data-testid="delete">
            Delete<span className="visually-hidden">: {label}</span>
          </button>
        </fetcher.Form>
      </div>
    </li>
  );
}
