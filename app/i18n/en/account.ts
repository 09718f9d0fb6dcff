/** Strings of /account (wp/account-ux). Same keys in ../zh-CN/account.ts (test/unit/i18n-catalogues.test.ts checks). */
export const account = {
  nav: {
    label: "Account",
    overview: "Overview",
    devices: "Devices",
    search: "Search",
    services: "Services",
  },
  overview: {
    metaTitle: "Your account — AOVIS Edge",
    title: "Your account",
    profile: "Profile",
    email: "Email",
    name: "Name",
    memberSince: "Member since",
    voiceStudio: "Voice studio",
    cameras: "Cameras",
    manageDevices: "Manage devices",
  },
  timeZone: {
    title: "Time zone",
    // {zone} is the IANA name; the three forms say where it comes from.
    shownProfile: "Dates and times are shown in <strong>{zone}</strong>.",
    shownBrowser: "Dates and times are shown in <strong>{zone}</strong> (your browser's).",
    shownDefault: "Dates and times are shown in <strong>{zone}</strong> (your browser hasn't told us its zone yet).",
    label: "Show times in",
    browser: "My browser's time zone",
    save: "Save time zone",
    saving: "Saving…",
    saved: "Dates are now shown in {zone}.",
    savedBrowser: "Dates now follow your browser's time zone.",
    invalid: "Choose a time zone from the list.",
  },
  sessions: {
    title: "Sessions",
    intro: "Signing out everywhere ends every session of yours on all browsers and devices immediately.",
    signOut: "Sign out",
    everywhere: "Sign out everywhere…",
    confirm: "<b>Sign out on every browser and device?</b> You'll need to sign in again everywhere, this one too.",
    confirmButton: "Yes, sign out everywhere",
  },
  data: {
    title: "Your data",
    intro: "Download everything we hold about you as one JSON file, or delete your account.",
    download: "Download my data",
    delete: "Delete account…",
  },
};
