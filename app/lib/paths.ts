/**
 * The app's own paths that code outside the page itself links to (refusals' next steps, mails,
 * upgrade prompts), written once.
 */
export const paths = {
  account: "/account",
  services: "/account/services",
  /** Account deletion (ADR 026) and the data export it offers first. */
  accountDelete: "/account/delete",
  accountExport: "/api/user/export",
  /** Where a deletion lands, signed out (outside the /account layout, which needs a session). */
  accountDeleted: "/account-deleted",
  devices: "/account/devices",
  device: (id: string) => `/account/devices/${encodeURIComponent(id)}`,
  deviceThumbnail: (id: string, at: string) => `/api/devices/${encodeURIComponent(id)}/thumbnails?${new URLSearchParams({ at })}`,
  /** The device page's player at a moment (`at`, ISO-8601): where a search result or a timeline marker plays. */
  deviceAt: (id: string, at: number) => `/account/devices/${encodeURIComponent(id)}?at=${encodeURIComponent(new Date(at).toISOString())}`,
  search: "/account/search",
  /** "Today on your cameras" (the devices page loads it after it renders). */
  eventsToday: "/api/events/today",
  eventThumbnail: (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/thumbnail`,
  transferLink: (token: string) => `/account/devices?transfer=${encodeURIComponent(token)}`,
  store: (sku: string) => `/store/${encodeURIComponent(sku)}`,
  voice: "/voice",
  login: (returnTo: string) => `/login?returnTo=${encodeURIComponent(returnTo)}`,
  /** The server-side sign-in (ADR 012): start (?returnTo=), Auth0's way back, sign-out. */
  signIn: "/api/auth/login",
  signInCallback: "/api/auth/callback",
  signOut: "/api/auth/logout",
} as const;
