/** Amounts and the timer in the digits of the copy's locale. */

/** Rupees with the Indian grouping in the locale's own digits, e.g. `₹1,24,999.50` or `₹১,২৪,৯৯৯.৫০`. */
export function formatRupees(amount: string, locale = 'en-IN'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'INR' }).format(Number(amount));
}

/** `m:ss`, as shown on the timer, in the digits `locale` writes numbers with. */
export function formatClock(seconds: number, locale = 'en-IN'): string {
  const whole = Math.max(0, seconds);
  const minutes = new Intl.NumberFormat(locale, { useGrouping: false }).format(Math.floor(whole / 60));
  const secs = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false }).format(whole % 60);
  return `${minutes}:${secs}`;
}
