/** Strings of export and deletion (wp/privacy). Same keys in ../zh-CN/privacy.ts (test/unit/i18n-catalogues.test.ts checks). */
export const privacy = {
  delete: {
    metaTitle: "Delete your account — AOVIS Edge",
    title: "Delete your account",
    goesTitle: "What is deleted",
    goesProfile: "Your profile: e-mail address, name, time zone and language. You are signed out everywhere.",
    goesVoice: "Your voice studio: {count, plural, one {# recording} other {# recordings}} and their audio, favourites, cloned voices and saved presets.",
    goesCameras:
      "Your cameras: {count, plural, =0 {you own none.} one {# camera is released, so someone else can activate it.} other {# cameras are released, so someone else can activate them.}} The names you gave them and their daily summaries go too.",
    keptTitle: "What we keep, and why",
    keptBilling: "Orders, invoices and plan history: the law requires us to keep billing records. They no longer carry your e-mail or name here.",
    keptTrial: "That a camera has used its free trial: a camera gets one trial, ever, whoever owns it.",
    keptLog: "The security log of account and camera changes, linked to the deleted account rather than to you by name.",
    copyFirst: "Want a copy first? <link>Download your data</link> (JSON).",
    confirmTitle: "Confirm",
    blocked:
      "You have a paid plan that renews ({plans}). Cancel it in the <link>billing portal</link> first; you can delete the account once it is set to cancel.",
    openBilling: "Open billing",
    typeEmail: "Type your e-mail address ({email}) to confirm",
    understand: "I understand this cannot be undone.",
    submit: "Delete my account",
    deleting: "Deleting…",
    keep: "Keep my account",
    emailMissing: "Type your e-mail address to confirm.",
    tickBox: "Tick the box to confirm you understand.",
  },
  deleted: {
    metaTitle: "Account deleted — AOVIS Edge",
    title: "Your account is deleted",
    signedOut: "You are signed out everywhere and your recordings are being removed.",
    newAccount: "If you sign in again with the same e-mail address, you start a new, empty account.",
    store: "Back to the store",
  },
};
