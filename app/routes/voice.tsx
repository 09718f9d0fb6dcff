import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { Studio } from "~/components/voice/Studio";
import { Teaser, type TeaserTier } from "~/components/voice/Teaser";
import type { StudioData } from "~/components/voice/types";
import { VOICE_TIERS, voiceTierFacts } from "~/domain/plans";
import { refuse } from "~/domain/result";
import { MAX_CLONE_UPLOAD_BYTES, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { RECORDING_TTL_DAYS, UNDO_DELETE_MINUTES } from "~/domain/voice-recordings";
import { cappedAction } from "~/http/api-route.server";
import { formAction, intent, refusalReply, type FormReply } from "~/http/form-action.server";
import { ID_PATTERN } from "~/http/params.server";
import { refusalMessage } from "~/http/refusals";
import { requestLanguage, translatorFor } from "~/i18n/i18n.server";
import { seeOther } from "~/http/responses.server";
import { readCloneUpload } from "~/http/voice-upload.server";
import { getUser, requireUser } from "~/lib/auth.server";
import { requestLocale } from "~/lib/locale.server";
import { viewerTimeZone } from "~/lib/time-zone.server";
import { paths } from "~/lib/paths";
import { VoiceCheckoutInput } from "~/models/billing/inputs";
import { startVoiceUpgrade } from "~/models/billing/voice-upgrade.server";
import { depsOf } from "~/models/deps.server";
import { cloneVoice } from "~/models/voice/clones.server";
import { generateSpeech } from "~/models/voice/generation.server";
import { FavoriteForm, GenerateForm, ListQuery, PresetIdForm, RecordingIdForm, SavePresetForm } from "~/models/voice/inputs";
import { createPreset, deletePreset } from "~/models/voice/presets.server";
import { deleteRecording, restoreRecording, setFavorite } from "~/models/voice/recordings.server";
import { studioView } from "~/models/voice/studio.server";
import voiceStylesHref from "~/styles/voice.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: voiceStylesHref }];

// The title is the loader's, in the served language (meta can't use the page's translator).
// No data: the root error page says what happened, in the served language.
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const teaserTiers = (): TeaserTier[] => VOICE_TIERS.map((t) => ({ code: t.code, name: t.name, ...voiceTierFacts(t) }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = requestLocale(request);
  const language = requestLanguage(request);
  const t = translatorFor(language, "voice");
  const title = t("meta.title");
  const user = await getUser(request, context);
  if (!user) return { signedIn: false as const, title, locale, tiers: teaserTiers() };
  const search = new URL(request.url).searchParams;
  const r = search.get("r");
  // The list's links carry page and favoritesOnly as GET /api/recordings does; an edited or stale
  // value shows the first page of everything rather than an error page.
  const list = ListQuery.safeParse(Object.fromEntries(search));
  const { voices, ...view } = await studioView(
    depsOf(context),
    {
      currentId: r && ID_PATTERN.test(r) ? r : null,
      ...(list.success ? { page: list.data.page, favoritesOnly: list.data.favoritesOnly, q: list.data.q } : {}),
    },
    { user, requestId: context.requestId },
  );
  const studio: StudioData = {
    signedIn: true,
    title,
    locale,
    zone: viewerTimeZone(request, user).zone,
    ...view,
    voices: voices.ok ? voices.voices : [],
    voicesError: voices.ok ? null : refusalMessage(voices, language),
  };
  return studio;
}

// A recording or preset the page listed a moment ago that is gone now (deleted in another tab, expired).
const gone = (subject: "recording" | "preset") => refuse("gone", { subject });

const studioForms = formAction({
  // The page only posts forms; a JSON or text body (a same-origin script, a misbehaving client) is a 400.
  unreadableMessage: (language) => translatorFor(language, "voice")("replies.unreadable"),
  // A refused generation keeps the whole text that was typed.
  maxEchoChars: MAX_TEXT_CHARS,
  intents: {
    generate: intent(GenerateForm, async ({ context, input, actor }) => {
      const r = await generateSpeech(depsOf(context), input, actor, { deliver: "store" });
      if (!r.ok) return r;
      const stored = await r.stored;
      if (!stored.ok) return stored;
      // Post/redirect/get: a reload shows the recording instead of generating again.
      return redirect(`${paths.voice}?r=${r.recording.id}`);
    }),
    favorite: intent(FavoriteForm, async ({ request, context, input, actor }) => {
      const r = await setFavorite(depsOf(context), input, actor);
      if (!r.ok) return gone("recording");
      const t = translatorFor(request, "voice");
      return { ok: true, message: r.recording.favorite ? t("replies.favorited") : t("replies.unfavorited", { days: RECORDING_TTL_DAYS }) };
    }),
    delete: intent(RecordingIdForm, async ({ request, context, input, actor }) => {
      const r = await deleteRecording(depsOf(context), input.id, actor);
      const t = translatorFor(request, "voice");
      // The list keeps the row in place with its "Undo" button (RecordingItem) while undoUntil lasts.
      return r.ok ? { ok: true, message: r.undoUntil ? t("replies.deletedUndo", { minutes: UNDO_DELETE_MINUTES }) : t("replies.deleted") } : gone("recording");
    }),
    restore: intent(RecordingIdForm, async ({ request, context, input, actor }) => {
      const r = await restoreRecording(depsOf(context), input.id, actor);
      const t = translatorFor(request, "voice");
      if (r.ok) return { ok: true, message: t("replies.restored") };
      return r.error === "duplicate_recording" ? r : gone("recording");
    }),
    "save-preset": intent(SavePresetForm, async ({ request, context, input, actor }) => {
      const r = await createPreset(depsOf(context), input, actor);
      const t = translatorFor(request, "voice");
      return r.ok ? { ok: true, message: t("replies.presetSaved", { name: r.preset.name }) } : r;
    }),
    // The Upgrade button: Checkout for a first tier, the Billing Portal for a tier change; a 303 either
    // way (a plain form navigation, so it works without JavaScript), a message on the page if refused.
    upgrade: intent(VoiceCheckoutInput, async ({ context, input, actor }) => {
      const r = await startVoiceUpgrade(depsOf(context), input, actor, paths.voice);
      return r.ok ? seeOther(r.url) : r;
    }),
    "delete-preset": intent(PresetIdForm, async ({ request, context, input, actor }) => {
      const r = await deletePreset(depsOf(context), input.id, actor);
      const t = translatorFor(request, "voice");
      return r.ok ? { ok: true, message: t("replies.presetDeleted") } : gone("preset");
    }),
  },
});

/** The clone form: multipart, read with the upload's own byte cap (the same reader as POST /api/ivc). */
async function cloneFromPage({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const language = requestLanguage(request);
  const upload = await readCloneUpload(request);
  // Past the upload's cap the page answers 413 like every form (the reply says why, in place).
  if (!upload.ok) return data<FormReply>(refusalReply("clone", upload, undefined, language), { status: upload.error === "payload_too_large" ? 413 : 200 });
  const r = await cloneVoice(depsOf(context), upload.value, { user, requestId: context.requestId });
  if (!r.ok) return data<FormReply>(refusalReply("clone", r, undefined, language));
  const t = translatorFor(language, "voice");
  return data<FormReply>({ intent: "clone", ok: true, message: t("replies.cloned", { name: r.voice.name }) });
}

/** The clone upload (multipart, its own cap) or a studio form (the form cap); both readers are byte-capped. */
export const action = cappedAction(
  MAX_CLONE_UPLOAD_BYTES,
  async (args: ActionFunctionArgs) => {
    const multipart = (args.request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
    return multipart ? cloneFromPage(args) : studioForms(args);
  },
  { readsOwnBody: true },
);

export default function VoiceStudio() {
  const page = useLoaderData<typeof loader>();
  if (!page.signedIn) return <Teaser tiers={page.tiers} locale={page.locale} />;
  return <Studio data={page as StudioData} />;
}
