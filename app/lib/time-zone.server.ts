/**
 * The viewer's time zone for server-rendered dates: the one chosen in the profile, else the
 * browser's (a cookie the page sets from Intl, see app/components/TimeZoneSync.tsx), else UTC.
 */
import { DEFAULT_TIME_ZONE, isTimeZone } from "~/domain/time-zone";
import { cookieValue } from "~/http/cookies.server";

/** Set by the browser itself; not a secret and not trusted beyond "a valid zone name". */
export const TIME_ZONE_COOKIE = "aovis_tz";

export interface ViewerTimeZone {
  zone: string;
  source: "profile" | "browser" | "default";
}

function cookieZone(request: Request): string | null {
  const raw = cookieValue(request, TIME_ZONE_COOKIE);
  if (raw === null) return null;
  try {
    const v = decodeURIComponent(raw);
    return isTimeZone(v) ? v : null;
  } catch {
    return null;
  }
}

export function viewerTimeZone(request: Request, user: { timeZone: string | null } | null): ViewerTimeZone {
  if (user?.timeZone && isTimeZone(user.timeZone)) return { zone: user.timeZone, source: "profile" };
  const browser = cookieZone(request);
  if (browser) return { zone: browser, source: "browser" };
  return { zone: DEFAULT_TIME_ZONE, source: "default" };
}

/** Every zone this runtime knows, for the profile's picker (UTC first). */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  return [DEFAULT_TIME_ZONE, ...zones.filter((z) => z !== DEFAULT_TIME_ZONE && isTimeZone(z))];
}
