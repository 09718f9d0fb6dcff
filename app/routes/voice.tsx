import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { Studio } from "~/components/voice/Studio";
import { Teaser } from "~/components/voice/Teaser";
import type { StudioData } from "~/components/voice/types";
import { VOICE_TIERS } from "~/domain/plans";
import { refuse } from "~/domain/result";
import { MAX_CLONE_UPLOAD_BYTES, MAX_TEXT_CHARS } from "~/domain/voice-input";
import { RECORDING_TTL_DAYS, UNDO_DELETE_MINUTES } from "~/domain/voice-recordings";
import { cappedAction } from "~/http/api-route.server";
import { formAction, intent, refusalReply, type FormReply } from "~/http/form-action.server";
import { ID_PATTERN } from "~/http/params.server";
import { refusalMessage } from "~/http/refusals";
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

export const meta: MetaFunction = () => [{ title: "Voice studio — AOVIS Edge" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = requestLocale(request);
  const user = await getUser(request, context);
  if (!user) {
    return { signedIn: false as const, locale, tiers: VOICE_TIERS.map((t) => ({ code: t.code, name: t.name, features: t.features })) };
  }
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
    locale,
    zone: viewerTimeZone(request, user).zone,
    ...view,
    voices: voices.ok ? voices.voices : [],
    voicesError: voices.ok ? null : refusalMessage(voices),
  };
  return studio;
}

// A recording or preset the page listed a moment ago that is gone now (deleted in another tab, expired).
const gone = (subject: "recording" | "preset") => refuse("gone", { subject });

const studioForms = formAction({
  // The page only posts forms; a JSON or text body (a same-origin script, a misbehaving client) is a 400.
  unreadableMessage: "Please use the form on this page.",
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
    favorite: intent(FavoriteForm, async ({ context, input, actor }) => {
      const r = await setFavorite(depsOf(context), input, actor);
      if (!r.ok) return gone("recording");
      return {
        ok: true,
        message: r.recording.favorite
          ? "Added to favorites: kept until you remove it."
          : `Removed from favorites: it will be deleted in ${RECORDING_TTL_DAYS} days.`,
      };
    }),
    delete: intent(RecordingIdForm, async ({ context, input, actor }) => {
      const r = await deleteRecording(depsOf(context), input.id, actor);
      // The list keeps the row in place with its "Undo" button (RecordingItem) while undoUntil lasts.
      return r.ok
        ? { ok: true, message: r.undoUntil ? `Recording deleted. You can undo it for ${UNDO_DELETE_MINUTES} minutes.` : "Recording deleted." }
        : gone("recording");
    }),
    restore: intent(RecordingIdForm, async ({ context, input, actor }) => {
      const r = await restoreRecording(depsOf(context), input.id, actor);
      if (r.ok) return { ok: true, message: "Recording restored." };
      return r.error === "duplicate_recording" ? r : gone("recording");
    }),
    "save-preset": intent(SavePresetForm, async ({ context, input, actor }) => {
      const r = await createPreset(depsOf(context), input, actor);
      return r.ok ? { ok: true, message: `Preset "${r.preset.name}" saved.` } : r;
    }),
    // The Upgrade button: Checkout for a first tier, the Billing Portal for a tier change; a 303 either
    // way (a plain form navigation, so it works without JavaScript), a message on the page if refused.
    upgrade: intent(VoiceCheckoutInput, async ({ context, input, actor }) => {
      const r = await startVoiceUpgrade(depsOf(context), input, actor, paths.voice);
      return r.ok ? seeOther(r.url) : r;
    }),
    "delete-preset": intent(PresetIdForm, async ({ context, input, actor }) => {
      const r = await deletePreset(depsOf(context), input.id, actor);
      return r.ok ? { ok: true, message: "Preset deleted." } : gone("preset");
    }),
  },
});

/** The clone form: multipart, read with the upload's own byte cap (the same reader as POST /api/ivc). */
async function cloneFromPage({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const upload = await readCloneUpload(request);
  // Past the upload's cap the page answers 413 like every form (the reply says why, in place).
  if (!upload.ok) return data<FormReply>(refusalReply("clone", upload), { status: upload.error === "payload_too_large" ? 413 : 200 });
  const r = await cloneVoice(depsOf(context), upload.value, { user, requestId: context.requestId });
  if (!r.ok) return data<FormReply>(refusalReply("clone", r));
  return data<FormReply>({ intent: "clone", ok: true, message: `Your voice "${r.voice.name}" is ready. Pick it from the voice list.` });
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
  if (!page.signedIn) return <Teaser tiers={page.tiers} />;
  return <Studio data={page as StudioData} />;
}
