/** Strings of /checkout/success. Same keys in ../zh-CN/checkout.ts (test/unit/i18n-catalogues.test.ts checks). */
export const checkout = {
  meta: {
    title: "Thank you — AOVIS Edge",
  },
  subscription: {
    titleActive: "Thank you: {name} is active",
    titleSetUp: "Thank you: {name} is set up",
    history: "Your camera now keeps {days, plural, =1 {24 hours} other {# days}} of cloud history.",
    voice: "Your voice studio has been upgraded.",
    endsOn: "It ends on {date}.",
    renewsOn: "It renews on {date}.",
    /** What the plan grants, then when it ends or renews. */
    summary: "{what} {when}",
    unconfirmed: "Stripe hasn't confirmed the payment yet. Your plan starts as soon as it does; you don't need to pay again.",
  },
  order: {
    title: "Thank you for your order",
    paid: "We've received your payment for {name} and will email you when it ships.",
    placed: "Your order for {name} is placed. We'll ship it once your payment clears.",
  },
  pending: {
    title: "We're confirming your payment",
    body: "This usually takes a few seconds. <again>Check again</again>; you won't be charged twice.",
  },
  error: {
    title: "We couldn't confirm your payment right now",
    body: "{message} If you completed the payment, your plan will appear shortly; you won't be charged twice.",
  },
  actions: {
    services: "View your services",
    devices: "Your cameras",
  },
};
