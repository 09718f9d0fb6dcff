/** Money and dates go through Intl for the visitor's locale; amounts are integer minor units. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}

export function formatPrice(minor: number, currency: string, interval: string | null, locale: string): string {
  if (minor === 0) return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase(), maximumFractionDigits: 0 }).format(0);
  const money = formatMoney(minor, currency, locale);
  return interval === "month" ? `${money}/mo` : money;
}

export function formatDate(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(ms));
}

export function formatDateTime(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(ms));
}

/** "10:15" (or "10:15:02" with seconds) in `timeZone`. */
export function formatTime(ms: number, locale: string, timeZone = "UTC", seconds = false): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}), timeZone }).format(new Date(ms));
}

/** "Tue, Dec 1" in `timeZone`. */
export function formatDay(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric", timeZone }).format(new Date(ms));
}
