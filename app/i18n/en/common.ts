/** The layout every page shares: header, footer, language switcher, error pages (ADR 028). */
export const common = {
  meta: {
    title: "AOVIS Edge — NEXA cameras, cloud video and voice studio",
    description: "NEXA security cameras, cloud recording plans and the AOVIS voice studio.",
  },
  header: {
    skip: "Skip to content",
    home: "AOVIS Edge home",
    mainNav: "Main",
    store: "Store",
    voice: "Voice studio",
    account: "Account",
    signIn: "Sign in",
    signOut: "Sign out",
    loading: "Loading",
    menu: "Menu",
    menuNav: "Main (menu)",
  },
  footer: {
    line: "© AOVIS Edge · NEXA cameras · Prices in USD, taxes calculated at checkout.",
  },
  language: {
    label: "Language",
    current: "{language} (current)",
  },
  notFound: {
    title: "We couldn’t find that page",
    body: "The link may be old, or the page may have moved.",
    store: "Browse the store",
    home: "Go home",
  },
  error: {
    serverTitle: "Something went wrong on our side",
    serverBody: "We’ve logged the problem. Please try again in a moment.",
    clientTitle: "That didn’t work",
    clientBody: "The request could not be completed. Please check what you entered and try again.",
    home: "Go home",
  },
};
