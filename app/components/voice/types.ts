import { useT } from "~/i18n/react";
import type { StudioView } from "~/models/voice/studio.server";
import type { StudioVoice } from "~/models/voice/voices.server";

/** What the studio page's loader hands a signed-in user's components. */
export type StudioData = Omit<StudioView, "voices"> & {
  signedIn: true;
  /** The page title in the served language. */
  title: string;
  locale: string;
  /** The viewer's time zone (profile, browser or UTC) for dates and times. */
  zone: string;
  voices: StudioVoice[];
  /** The refusal's sentence when the voice list could not be read. */
  voicesError: string | null;
};

export type Recording = StudioData["recordings"][number];

export const preview = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** "a, b or c" / "a and b" in the served language ("a、b或c" in Chinese; English without a serial comma). */
export function useJoinWords() {
  const t = useT("voice.list");
  return (items: readonly string[], word: "and" | "or") =>
    items.length <= 1 ? (items[0] ?? "") : t(word, { items: items.slice(0, -1).join(t("separator")), last: items[items.length - 1] });
}
