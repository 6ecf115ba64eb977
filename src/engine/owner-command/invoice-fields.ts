// Reads an invoice's fields (a customer name, an amount, a due date, a number, a phone), typed
// after `add` or in the words owners use, and the names and due dates they are made of.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseAmount } from '../amount.ts';
import { addDays, daysBetween, type CalendarDate } from '../calendar.ts';
import type { CommandContext, FieldProblem, InvoiceDraft, OwnerCommand } from '../owner-command.ts';
import { resolveDateExpression } from '../when.ts';

// "Agarwal Steel ko 2,35,000 dena hai 15 jan tak", "Sharma se 5000 lena hai", "शर्मा को 5000 देना है".
const HINDI_OWES =
  /^(.+?)\s+(?:ko|se|को|से)\s+(.+?)\s+(?:dena|dene|lena|lene|देना|देने|लेना|लेने)(?:\s+(?:hai|hain|h|he|है|हैं))?(?:\s+(.+))?$/iu;
const OWES = /^(.+?)\s+(?:owes(?:\s+(?:us|me))?|has to pay|ko dena hai|ka bill|ke|ka|par|pe)\s+(.+)$/i;

/**
 * An invoice in the words owners use: "Ramesh Traders owes 12,500 for bill A-102, due next Friday",
 * "Sharma medical 1.2 lakh due in 15 days". Always confirmed before saving, since it is a reading.
 */
export function parseNaturalInvoice(text: string, ctx: CommandContext): OwnerCommand | null {
  let body = text.replace(/\b(?:for\s+)?(?:bill|invoice|inv)\.?\s*(?:no\.?|number)?\s*#?\s*([A-Za-z]*[-/]?\d[\w\-/]*)/i, ' #$1');
  const hindi = HINDI_OWES.exec(body);
  const owes = hindi ?? OWES.exec(body);
  if (hindi) {
    const when = (hindi[3] ?? '').replace(/\s+(?:tak|तक)$/iu, '').trim();
    body = `${hindi[1]} ${hindi[2]}${when ? (/^(?:due|by)\b/i.test(when) ? ` ${when}` : ` due ${when}`) : ''}`;
  } else if (owes) body = `${owes[1]} ${owes[2]}`;
  body = body.replace(/,\s*(?=due\b)/i, ' ').replace(/\bdue\s+(?:on|by)\s+/i, 'due ');
  const parsed = parseInvoiceFields(body, ctx);
  if ('problem' in parsed) return owes ? { kind: 'invalid', problem: parsed.problem } : null;
  const d = parsed.draft;
  if (!d.debtorName || d.amount === undefined) return null;
  if (!owes && d.dueOn === undefined && d.number === undefined) return null;
  return { kind: 'add', draft: d, natural: true };
}

const AMOUNT_UNIT = /^(k|K|thousand|hazar|hazaar|hajar|lakh|lakhs|lac|lacs|l|L|crore|crores|cr)$/;
const CURRENCY_WORD = /^(rs\.?|inr|₹|omr|usd|aed|\$)$/i;
const LOOKS_NUMERIC = /^[-+]?(?:rs\.?|inr|omr|usd|aed|[₹$])?\s*[-+]?\d/i;

/**
 * Reads the fields of `add …`: a customer name, an amount, `due <date>`, `#<number>`, a phone.
 * Missing fields are simply absent (the conversation asks for them); a field that is present but
 * wrong is a problem, reported before anything is saved.
 */
export function parseInvoiceFields(input: string, ctx: CommandContext): { draft: InvoiceDraft } | { problem: FieldProblem } {
  const draft: InvoiceDraft = {};
  let rest = ` ${input.trim()} `;

  const numberMatch = /\s#\s*([\p{L}\p{N}][\p{L}\p{N}\-/_.]*)/u.exec(rest);
  if (numberMatch) {
    draft.number = numberMatch[1]!.replace(/[.]+$/, '');
    rest = rest.replace(numberMatch[0], ' ');
  }

  let tokens = rest.split(/\s+/).filter(Boolean);

  const phone = extractPhone(tokens, ctx.country);
  if (phone && 'problem' in phone) return phone;
  if (phone) {
    draft.phone = phone.e164;
    tokens = phone.remaining;
  }

  const dueIndex = tokens.findIndex((t) => /^(due|by|deadline)$/i.test(t));
  if (dueIndex >= 0) {
    const phrase = tokens.slice(dueIndex + 1).join(' ').replace(/[.,;]+$/, '');
    tokens = tokens.slice(0, dueIndex);
    const resolved = resolveDueDate(phrase, ctx.today);
    if (!resolved) return { problem: { field: 'due', reason: 'invalid', got: phrase || 'due' } };
    draft.dueOn = resolved;
  }

  const amount = extractAmount(tokens);
  if (amount && 'problem' in amount) return amount;
  if (amount) {
    draft.amount = amount.value;
    draft.amountText = amount.text;
    tokens = amount.remaining;
  }

  const name = cleanName(tokens.join(' '));
  if (name) draft.debtorName = name;
  return { draft };
}

/** Zero-width and direction marks: invisible, so "Ramesh\u200b" must be the same customer as "Ramesh". */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Strips invisible marks and punctuation around a name; returns undefined when nothing name-like is left. */
export function cleanName(raw: string): string | undefined {
  const name = raw
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,.:;\-–—]+|[\s,.:;\-–—]+$/g, '')
    .trim();
  if (!/\p{L}/u.test(name) || name.length > 120) return undefined;
  return name;
}

/** "Ramesh  Traders", "ramesh traders" and "Ramesh\u200b Traders" are one debtor. */
export function nameKey(name: string): string {
  return name.normalize('NFC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A due date as an owner means it. Owners enter old invoices too, so a day and month without a
 * year ("due 30 Oct" on 21 Nov) means the nearest such date, up to six months back, rather than
 * next year's.
 */
export function resolveDueDate(phrase: string, today: CalendarDate): CalendarDate | null {
  if (!phrase.trim()) return null;
  const resolved = resolveDateExpression(phrase, today);
  if (!resolved || 'invalid' in resolved) return null;
  const date = resolved.date;
  const hasExplicitYear = /\b\d{4}\b/.test(phrase);
  if (!hasExplicitYear && daysBetween(today, date) > 183 && /\d/.test(phrase) && !/\b(in|within)\b/i.test(phrase)) {
    const lastYear = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
    if (daysBetween(lastYear, today) <= 183) return lastYear;
  }
  return date;
}

/**
 * The amount: the last number typed (before "due", which is taken off already), so
 * digits inside a name ("Shop 24 Traders 500", "Sai 786 Stores 5000") stay in the name; or,
 * when the name comes last ("12500 Shop 24 Traders"), the number typed first.
 */
function extractAmount(tokens: string[]): { value: number; text: string; remaining: string[] } | { problem: FieldProblem } | null {
  const last = tokens.length - 1;
  const endsWithNumber = last >= 0 && (LOOKS_NUMERIC.test(tokens[last]!) || (AMOUNT_UNIT.test(tokens[last]!) && last > 0 && LOOKS_NUMERIC.test(tokens[last - 1]!)));
  const first = CURRENCY_WORD.test(tokens[0] ?? '') && /^\d/.test(tokens[1] ?? '') ? 1 : 0;
  const startsWithNumber = last > first && LOOKS_NUMERIC.test(tokens[first]!);
  let i = tokens.length - 1;
  if (!endsWithNumber && startsWithNumber) i = first;
  else while (i >= 0 && !LOOKS_NUMERIC.test(tokens[i]!)) i--;
  if (i < 0) return null;
  const start = i > 0 && CURRENCY_WORD.test(tokens[i - 1]!) && /^\d/.test(tokens[i]!) ? i - 1 : i;
  let end = i + 1;
  if (end < tokens.length && AMOUNT_UNIT.test(tokens[end]!)) end += 1;
  const text = tokens.slice(start, end).join(' ').replace(/[,;:]+$/, '');
  const parsed = parseAmount(text);
  if (parsed.ok) return { value: parsed.value, text, remaining: [...tokens.slice(0, start), ...tokens.slice(end)] };
  const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
  return { problem: { field: 'amount', reason, got: text } };
}

function extractPhone(tokens: string[], country: string): { e164: string; remaining: string[] } | { problem: FieldProblem } | null {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const plus = token.startsWith('+') && /\d/.test(token);
    const longDigits = /^\d{10,}$/.test(token.replace(/-/g, ''));
    if (!plus && !longDigits) continue;
    // "+91 98123 45678": try the longest run of digit groups that is a valid number.
    for (let len = Math.min(4, tokens.length - i); len >= 1; len--) {
      const group = tokens.slice(i, i + len);
      if (len > 1 && !group.slice(1).every((t) => /^\d[\d-]*$/.test(t))) continue;
      const parsed = parsePhoneNumberFromString(group.join(' '), country as CountryCode);
      if (parsed?.isValid()) {
        return { e164: parsed.number, remaining: [...tokens.slice(0, i), ...tokens.slice(i + len)] };
      }
    }
    if (plus) return { problem: { field: 'phone', reason: 'invalid', got: token } };
  }
  return null;
}

/** The due date an invoice without one is treated as having: issue date plus the business's terms. */
export function effectiveDueDate(issuedOn: CalendarDate, dueOn: CalendarDate | null, termsDays: number): CalendarDate {
  return dueOn ?? addDays(issuedOn, termsDays);
}
