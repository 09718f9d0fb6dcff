/** Money and dates go through Intl for the visitor's locale; amounts are integer minor units. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}

export function formatPrice(minor: number, currency: string, interval: string | null, locale: string): string {
  if (minor === 0) return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase(), maximumFractionDigits: 0 }).format(0);
  const money = formatMoney(minor, currency, locale);
  return interval === "month" ? `${money}/mo` : money;
}

export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatDate(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(ms));
}

export function formatDateTime(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(ms));
}
