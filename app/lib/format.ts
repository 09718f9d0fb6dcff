/** Money and dates go through Intl for the visitor's locale; amounts are integer minor units. */

// Building an Intl formatter costs far more than formatting with it (ICU resolves the locale and
// builds its patterns): a page with a dozen dates spent most of its render doing that. Formatters
// are kept per locale and options; the bound only matters for a flood of distinct locales.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
const FORMATTERS_KEPT = 200;

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    if (formatters.size >= FORMATTERS_KEPT) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f;
}

const currencyFormat = (locale: string, currency: string, whole: boolean) =>
  cached(
    `n|${locale}|${currency}|${whole}`,
    () => new Intl.NumberFormat(locale, { style: "currency", currency, ...(whole ? { maximumFractionDigits: 0 } : {}) }),
  );

export function formatMoney(minor: number, currency: string, locale: string): string {
  return currencyFormat(locale, currency.toUpperCase(), false).format(minor / 100);
}

export function formatPrice(minor: number, currency: string, interval: string | null, locale: string): string {
  if (minor === 0) return currencyFormat(locale, currency.toUpperCase(), true).format(0);
  const money = formatMoney(minor, currency, locale);
  return interval === "month" ? `${money}/mo` : money;
}

export function formatNumber(n: number, locale: string): string {
  return cached(`n|${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}

export function formatDate(ms: number, locale: string, timeZone = "UTC"): string {
  return cached(`d|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone })).format(new Date(ms));
}

export function formatDateTime(ms: number, locale: string, timeZone = "UTC"): string {
  return cached(`dt|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone })).format(new Date(ms));
}

/** "10:15" (or "10:15:02" with seconds) in `timeZone`. */
export function formatTime(ms: number, locale: string, timeZone = "UTC", seconds = false): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}), timeZone }).format(new Date(ms));
}

/** "Tue, Dec 1" in `timeZone`. */
export function formatDay(ms: number, locale: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric", timeZone }).format(new Date(ms));
}

/** "Front door, Garage and Porch" / "Front door、Garage和Porch": a list in the served locale. */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);
}
