// Reads a payment as owners write it: who paid how much, and how, for which bill, on which day.
import { parseAmount } from '../amount.ts';
import { addDays, type CalendarDate } from '../calendar.ts';
import type { CommandContext, OwnerCommand, PaymentDraft } from '../owner-command.ts';
import { stripNumber, usage } from './common.ts';
import { cleanName, resolveDueDate } from './invoice-fields.ts';

const METHODS = /\b(?:by|via|through|in|thru)\s+(upi|cash|cheque|check|neft|imps|rtgs|bank(?:\s+transfer)?|card|gpay|google pay|phonepe|paytm)\b/i;
const BARE_METHOD = /\b(upi|cash|cheque|neft|imps|rtgs|gpay|phonepe|paytm)\b/i;
const REFERENCE = /\b(?:ref(?:erence)?|utr|txn|transaction)\.?\s*(?:no\.?|number|id)?\s*[:#]?\s*([A-Za-z0-9-]{3,})/i;
// "for A-103", "against bill 7", "on invoice A-1" ("on" needs the word: "on 12/11" is a date).
const FOR_INVOICE = /\b(?:(?:for|against)\s+(?:(?:invoice|bill|inv)\.?\s*(?:no\.?)?\s*#?\s*)?|on\s+(?:invoice|bill|inv)\.?\s*(?:no\.?)?\s*#?\s*)([A-Za-z]*[-/]?\d[\w\-/]*)|\s#\s*([A-Za-z0-9][\w\-/]*)/i;
const PAID_VERB = /^(.+?)\s+(?:has\s+)?(?:paid|paid us|sent|transferred|ne\s+(?:diye|de\s+diye|bheje|pay\s+kiya|payment\s+kiya|jama\s+kiya))\s+(.+)$/i;
// "Ramesh ne 5000 diye", "रमेश ने 5000 दिए": the amount before the verb.
const PAID_AFTER =
  /^(.+?)\s+(?:ne|ने)\s+(.+?)\s+(?:diye|diya|dia|de\s+diye|de\s+diya|bheje|bheja|bhej\s+diye|bhej\s+diya|pay\s+kiye|pay\s+kiya|jama\s+kiye|jama\s+kiya|chuka\s+diye|दिए|दिये|दिया|दे\s+दिए|भेजे|भेज\s+दिए|जमा\s+किए|जमा\s+किये)(?:\s+(?:hai|hain|h|है|हैं))?$/iu;
const RECEIVED = /^(?:received|recd|rcvd|got|mila|mile|payment(?:\s+received)?(?:\s+of)?)\s+(.+?)\s+(?:from|se)\s+(.+)$/i;

/** "Ramesh paid 5000", "received 12,500 from Sharma by UPI ref 4417", "paid 5000 … for A-102". */
export function parsePayment(text: string, ctx: CommandContext): OwnerCommand | null {
  let rest = ` ${text.trim()} `;
  const draftExtras: Partial<PaymentDraft> = {};
  const method = METHODS.exec(rest);
  if (method) {
    draftExtras.method = normaliseMethod(method[1]!);
    rest = rest.replace(method[0], ' ');
  }
  const ref = REFERENCE.exec(rest);
  if (ref) {
    draftExtras.reference = ref[1]!;
    rest = rest.replace(ref[0], ' ');
  }
  const inv = FOR_INVOICE.exec(rest);
  if (inv) {
    draftExtras.invoiceNumber = stripNumber(inv[1] ?? inv[2]!);
    rest = rest.replace(inv[0], ' ');
  }
  const on = /\b(?:on|dated)\s+(\d{1,2}\s+\w{3,9}|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)\b|\b(yesterday|today|kal)\b/i.exec(rest);
  rest = rest.replace(/\s+/g, ' ').trim();
  let name: string | undefined;
  let amountPart: string | undefined;
  const paid = PAID_AFTER.exec(rest) ?? PAID_VERB.exec(rest);
  const received = RECEIVED.exec(rest);
  if (received) {
    amountPart = received[1];
    name = received[2];
  } else if (paid) {
    name = paid[1];
    amountPart = paid[2];
  } else {
    return null;
  }
  if (on) {
    const phrase = on[1] ?? on[2]!;
    const p = phrase.toLowerCase();
    const date = p === 'yesterday' || p === 'kal' ? addDays(ctx.today, -1) : p === 'today' ? ctx.today : resolvePastDate(phrase, ctx.today);
    if (date) draftExtras.receivedOn = date;
    amountPart = amountPart!.replace(on[0], ' ');
    name = name!.replace(on[0], ' ');
  }
  if (!draftExtras.method) {
    const bare = BARE_METHOD.exec(amountPart!);
    if (bare) {
      draftExtras.method = normaliseMethod(bare[1]!);
      amountPart = amountPart!.replace(bare[0], ' ');
    }
  }
  const amountText = amountPart!.replace(/(?:\b(?:rupees?|rupaye|rupay|rs\.?)|रुपये|रुपए)$/iu, '').replace(/\s+/g, ' ').trim();
  const debtorName = cleanName(name!.replace(/\s+/g, ' '));
  if (!debtorName) return usage('payment');
  const parsed = parseAmount(amountText);
  if (!parsed.ok) {
    if (!/\d/.test(amountText)) return null;
    const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
    return { kind: 'invalid', problem: { field: 'amount', reason, got: amountText } };
  }
  return { kind: 'payment', draft: { debtorName, amount: parsed.value, amountText, ...draftExtras } };
}

function normaliseMethod(raw: string): string {
  const m = raw.toLowerCase();
  if (m === 'check') return 'cheque';
  if (m.startsWith('bank')) return 'bank';
  if (m === 'google pay' || m === 'gpay' || m === 'phonepe' || m === 'paytm') return 'upi';
  return m;
}

/** A payment date: the most recent such day on or before today. */
function resolvePastDate(phrase: string, today: CalendarDate): CalendarDate | null {
  const resolved = resolveDueDate(phrase, today);
  if (!resolved) return null;
  return resolved > today ? `${Number(resolved.slice(0, 4)) - 1}${resolved.slice(4)}` : resolved;
}
