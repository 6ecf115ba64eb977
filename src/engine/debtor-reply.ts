// The rules of answering a debtor, apart from reading the words (reply.ts does that): which
// language to answer in, what a question asks for, which invoices a dispute is about, and how
// long a promise without a date holds reminders. Pure: no clock, no database.
import { addDays, type CalendarDate } from './calendar.ts';
import type { Language } from './money.ts';

/** A promise with no date ("will pay soon") holds reminders this many days, then counts as due. */
export const DATELESS_PROMISE_HOLD_DAYS = 7;

/** How long a "paid already" claim holds reminders while the owner has not confirmed it. */
export const PAID_CLAIM_HOLD_DAYS = 5;

/** How far back a request for a call or more time counts in ranking the follow-up list (it raises the customer; it does not put them first). */
export const CALLBACK_REQUEST_DAYS = 7;

export function datelessPromiseDate(today: CalendarDate): CalendarDate {
  return addDays(today, DATELESS_PROMISE_HOLD_DAYS);
}

/** The debtor's own language when known; Hindi for a message in Devanagari; else the business's. */
export function replyLanguage(debtorLanguage: string | null, text: string, businessLanguage: string): Language {
  if (debtorLanguage === 'hi' || debtorLanguage === 'en') return debtorLanguage;
  if (/[\u0900-\u097F]/.test(text)) return 'hi';
  return businessLanguage === 'hi' ? 'hi' : 'en';
}

export interface QuestionReading {
  /** The bot can answer it: the amount due, the invoices, how to pay. */
  answerable: boolean;
  /** Part of it only the owner can answer (a bill copy, a discount, anything else). */
  forward: boolean;
}

const BALANCE_CUES =
  /\b(?:how much|kitna|kitne|kitni|amount|amt|balance|bal|outstanding|dues?|pending|which (?:invoice|bill)s?|kaun ?sa|konsa|kon sa|invoice|bill|details?|statement|ledger|total|baa?ki|bakaya|hisab|hisaab)\b|कितना|कितने|बकाया|बाकी|कौन सा|बिल|हिसाब/iu;
const PAY_CUES =
  /\b(?:upi|gpay|g pay|google ?pay|phone ?pe|paytm|bhim|qr|scanner|scan|a\/c|account|acc(?:ount)? no|bank|ifsc|neft|imps|rtgs|pay(?:ment)? (?:link|details|mode|method)|link|how (?:do|can|should|to) (?:i |we )?pay|how to (?:pay|send|transfer)|kaise (?:pay|bhej|de|kar)|kaha[n]? (?:pay|bhej|de))\b|यूपीआई|खाता|कैसे भेज|कैसे दे/iu;
/** Asks for something the bot cannot send or decide: a copy of the bill, a discount, a meeting. */
const OWNER_ONLY_CUES =
  /\b(?:copy|pdf|photo|scan of|original|gst|tax invoice|receipt|discount|waive|rate|price|address|challan|delivery|goods|return)\b|कॉपी|रसीद|छूट/iu;

/** What a question asks for: something the bot knows, something only the owner knows, or both. */
export function readQuestion(text: string): QuestionReading {
  const known = BALANCE_CUES.test(text) || PAY_CUES.test(text);
  const ownerOnly = OWNER_ONLY_CUES.test(text);
  return { answerable: known, forward: ownerOnly || !known };
}

export interface DisputableInvoice {
  id: string;
  number: string;
}

function numberKey(value: string): string {
  return value.toLowerCase().replace(/^#/, '').replace(/[\s-/]/g, '');
}

/**
 * The invoices a dispute is about: those it names by number; else the open ones the last reminder
 * was about; else all open ones.
 */
export function pickDisputedInvoices<T extends DisputableInvoice>(text: string, open: readonly T[], lastRemindedIds: readonly string[]): T[] {
  const tokens = new Set(
    text
      .split(/[\s,;:()"'!?]+/u)
      .map((token) => numberKey(token.replace(/[.]+$/, '')))
      .filter((token) => token.length > 0),
  );
  const named = open.filter((invoice) => tokens.has(numberKey(invoice.number)));
  if (named.length) return named;
  const reminded = new Set(lastRemindedIds);
  const recent = open.filter((invoice) => reminded.has(invoice.id));
  return recent.length ? recent : [...open];
}

/** "#A-102", "#A-102 and #A-107", "#A-101, #A-102 and 3 more". */
export function listInvoiceNumbers(numbers: readonly string[], language: Language): string {
  const and = language === 'hi' ? 'और' : 'and';
  const more = (count: number) => (language === 'hi' ? `${count} और` : `${count} more`);
  const tagged = numbers.map((n) => `#${n}`);
  if (tagged.length <= 1) return tagged.join('');
  if (tagged.length <= 3) return `${tagged.slice(0, -1).join(', ')} ${and} ${tagged[tagged.length - 1]}`;
  return `${tagged.slice(0, 2).join(', ')} ${and} ${more(tagged.length - 2)}`;
}
