import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

const COOKIE = "aovis_tz"; // TIME_ZONE_COOKIE in app/lib/time-zone.server.ts

/**
 * Tells the server the browser's time zone (a cookie), so pages render dates in it; when it was
 * missing or changed and the page was rendered in another zone, its data is loaded again once in
 * the right one. A zone chosen in the profile wins over the browser's (the server decides).
 */
export function TimeZoneSync({ rendered }: { rendered: { zone: string; source: "profile" | "browser" | "default" } | null }) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    const current = document.cookie
      .split("; ")
      .find((c) => c.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1);
    if (current && decodeURIComponent(current) === zone) return;
    document.cookie = `${COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
    if (rendered && rendered.source !== "profile" && rendered.zone !== zone) revalidate();
    // Once per page load: the zone doesn't change while the page is open.
  }, []);
  return null;
}
