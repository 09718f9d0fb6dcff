import { TRIAL_DAYS } from "~/domain/device-ownership";
import { formatDateTime } from "~/lib/format";

/** What each audit event means to the camera's owner, and which strand of its story it belongs to. */
const EVENTS: Record<string, { label: string; kind: StoryKind }> = {
  device_activated: { label: "Activated on this account", kind: "ownership" },
  device_activation_repeated: { label: "Activation repeated (no change)", kind: "ownership" },
  trial_granted: { label: `Free ${TRIAL_DAYS}-day cloud trial started`, kind: "trial" },
  trial_denied_already_used: { label: "Free trial not available (already used on this camera)", kind: "trial" },
  device_unbound: { label: "Removed from account", kind: "ownership" },
  unbind_blocked_active_subscription: { label: "Removal blocked: paid plan active", kind: "plan" },
  transfer_offered: { label: "Transfer offered", kind: "ownership" },
  transfer_cancelled: { label: "Transfer offer cancelled", kind: "ownership" },
  transfer_expired: { label: "Transfer offer expired", kind: "ownership" },
  transfer_accepted: { label: "Transfer accepted", kind: "ownership" },
  sim_left_with_previous_owner: { label: "SIM card stayed with its owner (needs a decision)", kind: "ownership" },
  sim_transferred: { label: "SIM card transferred", kind: "ownership" },
  subscription_synced: { label: "Cloud plan updated", kind: "plan" },
  checkout_started: { label: "Checkout for a cloud plan started", kind: "plan" },
  entitlements_expired: { label: "Cloud access ended", kind: "plan" },
};

export type StoryKind = "ownership" | "trial" | "plan";
const KIND_WORDS: Record<StoryKind, string> = { ownership: "Ownership", trial: "Trial", plan: "Plan" };

export function eventLabel(event: string): string {
  return EVENTS[event]?.label ?? event.replace(/_/g, " ");
}

/**
 * A camera's history on this account as a drawn timeline, newest first: a line with a mark per
 * event, its shape by strand (ownership, trial, plan), and the strand named in words beside it.
 * Only events this person may see arrive here (since their ownership began).
 */
export function DeviceStory({ events, locale, zone }: { events: { event: string; at: number }[]; locale: string; zone: string }) {
  const shown = events.filter((e) => e.event in EVENTS).sort((a, b) => b.at - a.at);
  if (shown.length === 0) return <p className="muted">Nothing has happened to this camera on your account yet.</p>;
  return (
    <ol className="story" aria-label="Camera history, newest first" data-testid="device-story">
      {shown.map((e, i) => {
        const { label, kind } = EVENTS[e.event];
        return (
          <li key={i} data-kind={kind}>
            <span className="story__kind">{KIND_WORDS[kind]}</span>
            {label}
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale, zone)}</time>
          </li>
        );
      })}
    </ol>
  );
}
