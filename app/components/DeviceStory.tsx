import { TRIAL_DAYS } from "~/domain/device-ownership";
import { useT } from "~/i18n/react";
import { formatDateTime } from "~/lib/format";

export type StoryKind = "ownership" | "trial" | "plan";

/** Which strand of the story each audit event belongs to; its words are i18n devices.story.events.<event>. */
const EVENTS = {
  device_activated: "ownership",
  device_activation_repeated: "ownership",
  trial_granted: "trial",
  trial_denied_already_used: "trial",
  device_unbound: "ownership",
  unbind_blocked_active_subscription: "plan",
  transfer_offered: "ownership",
  transfer_cancelled: "ownership",
  transfer_expired: "ownership",
  transfer_accepted: "ownership",
  sim_left_with_previous_owner: "ownership",
  sim_transferred: "ownership",
  subscription_synced: "plan",
  checkout_started: "plan",
  entitlements_expired: "plan",
} as const satisfies Record<string, StoryKind>;

type StoryEvent = keyof typeof EVENTS;
const isStoryEvent = (event: string): event is StoryEvent => Object.hasOwn(EVENTS, event);

/**
 * A camera's history on this account as a drawn timeline, newest first: a line with a mark per
 * event, its shape by strand (ownership, trial, plan), and the strand named in words beside it.
 * Only events this person may see arrive here (since their ownership began).
 */
export function DeviceStory({ events, locale, zone }: { events: { event: string; at: number }[]; locale: string; zone: string }) {
  const t = useT("devices.story");
  const shown = events.flatMap((e) => (isStoryEvent(e.event) ? [{ event: e.event, at: e.at }] : [])).sort((a, b) => b.at - a.at);
  if (shown.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <ol className="story" aria-label={t("label")} data-testid="device-story">
      {shown.map((e, i) => {
        const kind = EVENTS[e.event];
        return (
          <li key={i} data-kind={kind}>
            <span className="story__kind">{t(`kinds.${kind}`)}</span>
            {t(`events.${e.event}`, { days: TRIAL_DAYS })}
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale, zone)}</time>
          </li>
        );
      })}
    </ol>
  );
}
