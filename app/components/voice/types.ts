import type { StudioView } from "~/models/voice/studio.server";
import type { StudioVoice } from "~/models/voice/voices.server";

/** What the studio page's loader hands a signed-in user's components. */
export type StudioData = Omit<StudioView, "voices"> & {
  signedIn: true;
  locale: string;
  /** The viewer's time zone (profile, browser or UTC) for dates and times. */
  zone: string;
  voices: StudioVoice[];
  /** The refusal's sentence when the voice list could not be read. */
  voicesError: string | null;
};

export type Recording = StudioData["recordings"][number];

export const preview = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** "a, b or c" / "a and b" (the studio's copy, without a serial comma). */
export const joinWords = (items: readonly string[], word: "and" | "or") =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
