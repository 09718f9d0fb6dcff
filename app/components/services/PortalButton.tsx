import { Form } from "@remix-run/react";

/** A button to Stripe's billing portal (the page's "portal" intent), for one subscription or the whole account. */
export function PortalButton({
  subscriptionId,
  label,
  flow,
  busy,
  describedBy,
}: {
  subscriptionId?: string;
  label: string;
  flow?: string;
  busy: boolean;
  describedBy?: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="portal" />
      {subscriptionId ? <input type="hidden" name="subscriptionId" value={subscriptionId} /> : null}
      {flow ? <input type="hidden" name="flow" value={flow} /> : null}
      <button type="submit" className="button--ghost" disabled={busy} aria-describedby={describedBy}>
        {label}
      </button>
    </Form>
  );
}
