/** Strings of /account/search. Same keys in ../zh-CN/search.ts (test/unit/i18n-catalogues.test.ts checks). */
export const search = {
  meta: { title: "Search your cameras — AOVIS Edge" },
  title: "Search your cameras",
  intro: "Ask for what happened, in your own words: “package yesterday”, “person since 8am”, “car last Tuesday”.",
  upgrade: {
    title: "Smart search comes with every paid cloud plan",
    noCameras: "You have no cameras yet. Activate one, then choose a cloud plan to search what it saw.",
    noPlan: "None of your cameras has a paid cloud plan: cameras on Local or on the free trial can't be searched.",
    devices: "Go to your devices",
    plans: "See the plans",
  },
  form: {
    q: "What are you looking for?",
    camera: "Camera",
    all: "All my cameras",
    noSmartSearch: " (no Smart search)",
    submit: "Search",
    searching: "Searching…",
  },
  errors: {
    empty: "Type what you are looking for.",
    tooLong: "Use at most {max} characters.",
    cursor: "This isn't a page of these results. Start the search again.",
    notYours: "That camera isn't one of yours.",
  },
  suggestions: {
    label: "Suggestions",
    try: "Try:",
    /** Searches offered as links: English words and phrases, or Chinese the search reads as well. */
    person: "person",
    package: "package",
    car: "car",
    yesterdayEvening: "yesterday evening",
    since8am: "since 8am",
  },
  results: {
    results: "Results",
    none: "No results",
    range: "From {start} to {end} ({zone})",
    detected: "{type} detected",
    play: "Play this moment",
    playOn: " on {camera}",
    older: "Older results",
  },
  empty: {
    outsideWindow: "That time is outside what your plans keep.",
    outsideWindowSince: "That time is outside what your plans keep: history is searchable from {since}.",
    notYet: "That time hasn't come yet.",
    noMatch: "Nothing matched those words. Try fewer words, or one of the suggestions.",
    noEvents: "Your cameras haven't recorded any events yet.",
    noEventsSince: "Your cameras haven't recorded any events since {since} yet.",
  },
};
