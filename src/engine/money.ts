// Money is integer minor units plus an ISO currency, never a float. Formatting follows the
// business's currency and locale: ₹12,500.00 (INR, en-IN), OMR 40.000 (OMR has 3 decimals).

export type Language = 'en' | 'hi';

const fractionDigitsCache = new Map<string, number>();

/** Decimal places of a currency's minor unit: INR 2, OMR 3, JPY 0. */
export function minorDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

export type ToMinorResult = { ok: true; minor: number } | { ok: false; reason: 'too_many_decimals' | 'too_large' };

/** 12500.5 INR -> 1250050. Refuses more decimals than the currency has, and unsafe integers. */
export function toMinorUnits(major: number, currency: string): ToMinorResult {
  const digits = minorDigits(currency);
  const scaled = Math.round(major * 10 ** digits);
  // Floating-point noise in major * 10^digits stays far below 1e-3 for any recordable amount;
  // a real extra decimal (12500.555 INR) leaves at least 0.1.
  if (Math.abs(scaled - major * 10 ** digits) > 1e-3) {
    return { ok: false, reason: 'too_many_decimals' };
  }
  if (!Number.isSafeInteger(scaled) || scaled > 1e15) return { ok: false, reason: 'too_large' };
  return { ok: true, minor: scaled };
}

const formatterCache = new Map<string, Intl.NumberFormat>();

export function localeFor(language: Language | string, country: string): string {
  return `${language}-${country.toUpperCase()}`;
}

/** 1250000 minor INR in en-IN -> "₹12,500.00"; 40000 OMR -> "OMR 40.000". */
export function formatMoney(minor: number, currency: string, locale = 'en-IN'): string {
  const key = `${locale}|${currency}`;
  let fmt = formatterCache.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatterCache.set(key, fmt);
  }
  return fmt.format(minor / 10 ** minorDigits(currency));
}
