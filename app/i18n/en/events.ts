/** Strings of components/events. Same keys in ../zh-CN/events.ts (test/unit/i18n-catalogues.test.ts checks). */
export const events = {
  types: {
    person: "Person",
    package: "Package",
    vehicle: "Vehicle",
    animal: "Animal",
    motion: "Motion",
    sound: "Sound",
  },
  markers: {
    label: "Events on {day}",
    at: "{type} at {time}",
  },
  cameraDay: {
    title: "Today on this camera",
    noCloud: "Events are kept with the cloud history, which this camera's plan doesn't include.",
    noAi: "Descriptions, a daily brief and Smart search come with every paid cloud plan.",
    seePlans: "See plans",
    nothing: "Nothing has been detected today.",
    nothingUtc: "Nothing has been detected today (UTC).",
    playMoment: ", play this moment",
    total: "{count, plural, one {# event today.} other {# events today.}}",
    seeAll: "See them all",
    /** What the "see them all" link searches for (a time phrase app/domain/time-phrases.ts reads). */
    todayQuery: "today",
  },
  brief: {
    title: "Today on your cameras",
    fallback: "A one-line brief of each camera's day appears here with AI summaries.",
    fallbackLink: "See what your cameras saw today",
    failed: "Today's brief could not be loaded.",
    failedLink: "See today's events in search",
    /** Between a camera's name and its day's sentence. */
    separator: ": ",
    nothingYet: "nothing detected yet today.",
    withoutAi:
      "{who, select, mine {Your camera has} one {One camera has} all {Your cameras have} other {{count} cameras have}} no daily brief: AI summaries come with every paid cloud plan.",
    seePlans: "See plans",
    search: "Search what your cameras saw",
  },
};
