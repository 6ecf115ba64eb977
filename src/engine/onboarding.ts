// What a new owner answers during set-up: a currency and a time zone, with sensible guesses.
import { isValidTimeZone } from './calendar.ts';

const CURRENCY_HOME: Record<string, { timeZone: string; country: string }> = {
  INR: { timeZone: 'Asia/Kolkata', country: 'IN' },
  OMR: { timeZone: 'Asia/Muscat', country: 'OM' },
  AED: { timeZone: 'Asia/Dubai', country: 'AE' },
  SAR: { timeZone: 'Asia/Riyadh', country: 'SA' },
  QAR: { timeZone: 'Asia/Qatar', country: 'QA' },
  KWD: { timeZone: 'Asia/Kuwait', country: 'KW' },
  BHD: { timeZone: 'Asia/Bahrain', country: 'BH' },
  NPR: { timeZone: 'Asia/Kathmandu', country: 'NP' },
  BDT: { timeZone: 'Asia/Dhaka', country: 'BD' },
  LKR: { timeZone: 'Asia/Colombo', country: 'LK' },
  PKR: { timeZone: 'Asia/Karachi', country: 'PK' },
  SGD: { timeZone: 'Asia/Singapore', country: 'SG' },
  GBP: { timeZone: 'Europe/London', country: 'GB' },
  USD: { timeZone: 'America/New_York', country: 'US' },
};

const CURRENCY_ALIASES: Record<string, string> = { '₹': 'INR', rs: 'INR', 'rs.': 'INR', rupee: 'INR', rupees: 'INR', $: 'USD', '£': 'GBP', rial: 'OMR', dirham: 'AED' };
const TIME_ZONE_ALIASES: Record<string, string> = { ist: 'Asia/Kolkata', india: 'Asia/Kolkata', kolkata: 'Asia/Kolkata', calcutta: 'Asia/Kolkata', 'asia/kolkata': 'Asia/Kolkata', 'asia/calcutta': 'Asia/Kolkata', oman: 'Asia/Muscat', uae: 'Asia/Dubai', gst: 'Asia/Dubai' };
const YES = /^(ok|okay|yes|y|haan|ha|han|theek|thik|sahi|हाँ|हां|ठीक)$/i;

/** The time zone and country that go with a currency, for defaults; undefined when unknown. */
export function homeOfCurrency(currency: string): { timeZone: string; country: string } | undefined {
  return CURRENCY_HOME[currency];
}

export function isAcceptDefault(text: string): boolean {
  return YES.test(text.trim().replace(/[.!]+$/, ''));
}

/** "inr", "₹", "Rs" -> "INR"; undefined when the answer is not a currency. */
export function readCurrency(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const code = CURRENCY_ALIASES[t] ?? t.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  return (Intl.supportedValuesOf('currency') as string[]).includes(code) ? code : undefined;
}

let zoneNames: string[] | undefined;

/** "Asia/Kolkata", "kolkata", "Muscat", "IST" -> an IANA zone; undefined when unknown. */
export function readTimeZone(text: string): string | undefined {
  const t = text.trim();
  const alias = TIME_ZONE_ALIASES[t.toLowerCase()];
  if (alias) return alias;
  zoneNames ??= Intl.supportedValuesOf('timeZone');
  const lower = t.toLowerCase().replace(/\s+/g, '_');
  if (t.includes('/')) {
    const known = zoneNames.find((z) => z.toLowerCase() === lower);
    if (known) return known;
    return isValidTimeZone(t) ? t : undefined;
  }
  return zoneNames.find((z) => z.toLowerCase().endsWith(`/${lower}`));
}
