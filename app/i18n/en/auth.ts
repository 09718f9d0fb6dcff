/** Strings of /login and the sign-in flow. Same keys in ../zh-CN/auth.ts (test/unit/i18n-catalogues.test.ts checks). */
export const auth = {
  login: {
    metaTitle: "Sign in — AOVIS Edge",
    title: "Sign in",
    intro: "Sign in with your AOVIS ID to manage your cameras, plans and voice studio.",
    failed: "We couldn't complete your sign-in. Please try again.",
    cancelled: "Sign-in was cancelled.",
    continue: "Continue to sign in",
    opening: "Opening sign-in…",
  },
  callback: {
    metaTitle: "Signing in — AOVIS Edge",
    title: "Sign-in didn't complete",
    again: "Sign in again",
    reference: "Reference:",
  },
};
