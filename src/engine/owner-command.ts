// Reads what an owner types into a command, or into a precise complaint about one field.
// Pure: the caller passes today's date in the business's time zone.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseAmount } from './amount.ts';
import { addDays, daysBetween, type CalendarDate } from './calendar.ts';
import type { Language } from './money.ts';
import { resolveDateExpression } from './when.ts';

export const MAX_MESSAGE_LENGTH = 1000;

export interface InvoiceDraft {
  debtorName?: string;
  /** Major units as typed (12500.5); converted to minor units with the business's currency. */
  amount?: number;
  amountText?: string;
  dueOn?: CalendarDate;
  number?: string;
  /** E.164. */
  phone?: string;
}

export type FieldProblem =
  | { field: 'amount'; reason: 'malformed' | 'not_positive' | 'too_large'; got: string }
  | { field: 'due'; reason: 'invalid'; got: string }
  | { field: 'phone'; reason: 'invalid'; got: string };

export type OwnerCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'cancel' }
  | { kind: 'language'; language: Language }
  | { kind: 'add'; draft: InvoiceDraft }
  | { kind: 'invalid'; problem: FieldProblem }
  | { kind: 'unknown'; text: string };

export type TextScreen = { ok: true; text: string } | { ok: false; reason: 'too_long'; length: number } | { ok: false; reason: 'no_text' };

/** Rejects what no command can be: over-long messages and messages without a letter or digit. */
export function screenText(raw: string): TextScreen {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text.length > MAX_MESSAGE_LENGTH) return { ok: false, reason: 'too_long', length: text.length };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, reason: 'no_text' };
  return { ok: true, text };
}

export interface CommandContext {
  today: CalendarDate;
  /** Two-letter country for reading local phone numbers ("98123 45678" in IN). */
  country: string;
}

const WORD_COMMANDS: Record<string, OwnerCommand> = {
  help: { kind: 'help' },
  '?': { kind: 'help' },
  madad: { kind: 'help' },
  मदद: { kind: 'help' },
  list: { kind: 'list' },
  invoices: { kind: 'list' },
  cancel: { kind: 'cancel' },
  stop: { kind: 'cancel' },
  रद्द: { kind: 'cancel' },
  hindi: { kind: 'language', language: 'hi' },
  हिंदी: { kind: 'language', language: 'hi' },
  english: { kind: 'language', language: 'en' },
  angrezi: { kind: 'language', language: 'en' },
};

/** Parses one screened message from an owner or agent. */
export function parseOwnerCommand(text: string, ctx: CommandContext): OwnerCommand {
  const trimmed = text.trim();
  const word = trimmed.toLowerCase().replace(/[.!]+$/, '');
  const exact = WORD_COMMANDS[word];
  if (exact) return exact;
  if (word === 'list invoices' || word === 'open invoices') return { kind: 'list' };
  const add = /^(?:add|new|जोड़ो|jodo)\b\s*(.*)$/isu.exec(trimmed);
  if (add) {
    const parsed = parseInvoiceFields(add[1] ?? '', ctx);
    return 'problem' in parsed ? { kind: 'invalid', problem: parsed.problem } : { kind: 'add', draft: parsed.draft };
  }
  return { kind: 'unknown', text: trimmed };
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

/** Strips punctuation around a name; returns undefined when nothing name-like is left. */
export function cleanName(raw: string): string | undefined {
  const name = raw
    .replace(/\s+/g, ' ')
    .replace(/^[\s,.:;\-–—]+|[\s,.:;\-–—]+$/g, '')
    .trim();
  if (!/\p{L}/u.test(name) || name.length > 120) return undefined;
  return name;
}

/** "Ramesh  Traders" and "ramesh traders" are one debtor. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
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

function extractAmount(tokens: string[]): { value: number; text: string; remaining: string[] } | { problem: FieldProblem } | null {
  let firstProblem: FieldProblem | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const start = i;
    let end = i + 1;
    if (CURRENCY_WORD.test(token) && i + 1 < tokens.length && /^\d/.test(tokens[i + 1]!)) end = i + 2;
    else if (!LOOKS_NUMERIC.test(token)) continue;
    if (end < tokens.length && AMOUNT_UNIT.test(tokens[end]!)) end += 1;
    const text = tokens.slice(start, end).join(' ').replace(/[,;:]+$/, '');
    const parsed = parseAmount(text);
    if (parsed.ok) {
      return { value: parsed.value, text, remaining: [...tokens.slice(0, start), ...tokens.slice(end)] };
    }
    const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
    firstProblem ??= { field: 'amount', reason, got: text };
  }
  return firstProblem ? { problem: firstProblem } : null;
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
